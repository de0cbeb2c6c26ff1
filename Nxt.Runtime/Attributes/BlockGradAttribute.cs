namespace Nxt;

/// <summary>MXNet <c>BlockGrad</c>: the identity forward; no gradient flows back through it.</summary>
public sealed class BlockGradAttribute : LayerAttribute
{
}

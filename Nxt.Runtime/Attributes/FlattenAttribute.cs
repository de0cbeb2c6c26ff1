namespace Nxt;

/// <summary>MXNet <c>Flatten</c>: <c>(N, d1, d2, ...)</c> to <c>(N, d1·d2·...)</c>.</summary>
public sealed class FlattenAttribute : LayerAttribute
{
}

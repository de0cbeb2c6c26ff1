namespace Nxt;

/// <summary>
/// The network's data input. The arguments are the shape of one sample; the batch dimension
/// is implicit and comes from <c>Bind</c>. Named <c>data</c> by MXNet convention.
/// </summary>
public sealed class InputAttribute : NodeAttribute
{
    /// <summary>Declares an input whose samples have the given shape, e.g. <c>[Input(784)]</c>.</summary>
    public InputAttribute(params int[] shape) => Shape = shape;

    /// <summary>The shape of one sample.</summary>
    public int[] Shape { get; }
}

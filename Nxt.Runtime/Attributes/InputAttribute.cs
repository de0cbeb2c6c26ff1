namespace Nxt;

/// <summary>
/// A data input of the network (an argument under the field's name; <c>data</c> by MXNet
/// convention). The arguments are the shape of one sample; the batch dimension is implicit and
/// comes from <c>Bind</c>. A network may have several: <c>DataNames</c> lists them in
/// declaration order, the order (or the names) a batch gives its data tensors in.
/// </summary>
public sealed class InputAttribute : NodeAttribute
{
    /// <summary>Declares an input whose samples have the given shape, e.g. <c>[Input(784)]</c>.</summary>
    public InputAttribute(params int[] shape) => Shape = shape;

    /// <summary>The shape of one sample.</summary>
    public int[] Shape { get; }
}

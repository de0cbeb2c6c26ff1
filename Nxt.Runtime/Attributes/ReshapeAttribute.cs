namespace Nxt;

/// <summary>
/// MXNet <c>Reshape</c> with its codes over the full shape, batch first: <c>0</c> keeps the
/// input's dimension, <c>-1</c> is inferred, e.g. <c>[Reshape(0, 16, -1)]</c>. A view: no copy.
/// </summary>
public sealed class ReshapeAttribute : LayerAttribute
{
    /// <summary>Declares the target shape.</summary>
    public ReshapeAttribute(params int[] shape) => Shape = shape;

    /// <summary>The target shape codes.</summary>
    public int[] Shape { get; }
}

namespace Nxt;

/// <summary>MXNet <c>expand_dims</c>: a new axis of size 1 at <c>axis</c> (counting the batch as axis 0, as MXNet does), a view.</summary>
public sealed class ExpandDimsAttribute : LayerAttribute
{
    /// <summary>Declares the new axis; at least 1 (the batch stays first).</summary>
    public ExpandDimsAttribute(int axis) => Axis = axis;

    /// <summary>Where the new axis goes (MXNet <c>axis</c>).</summary>
    public int Axis { get; }
}

/// <summary>
/// MXNet <c>slice_axis</c>: elements <c>[begin, end)</c> of one axis (counting the batch as axis 0;
/// a negative <c>begin</c> or <c>end</c> counts from the axis's end, and <c>end</c> 0 means its end,
/// as Python's None). The gradient goes back to those elements, zero elsewhere.
/// </summary>
public sealed class SliceAxisAttribute : LayerAttribute
{
    /// <summary>Declares the slice of <paramref name="axis"/> (at least 1) from <paramref name="begin"/> to <paramref name="end"/>.</summary>
    public SliceAxisAttribute(int axis, int begin, int end)
    {
        Axis = axis;
        Begin = begin;
        End = end;
    }

    /// <summary>The axis (MXNet <c>axis</c>).</summary>
    public int Axis { get; }

    /// <summary>The first element kept (MXNet <c>begin</c>).</summary>
    public int Begin { get; }

    /// <summary>One past the last element kept (MXNet <c>end</c>; 0 for the axis's end).</summary>
    public int End { get; }
}

/// <summary>
/// MXNet <c>transpose(axes)</c>: the axes permuted; <c>axes</c> counts the batch as axis 0, which
/// stays first (a Nxt value has the batch first). No axes reverses the others, as MXNet reverses all.
/// </summary>
public sealed class TransposeAttribute : LayerAttribute
{
    /// <summary>Declares the permutation, e.g. <c>[Transpose(0, 2, 1)]</c>.</summary>
    public TransposeAttribute(params int[] axes) => Axes = axes;

    /// <summary>The new order of the axes (MXNet <c>axes</c>).</summary>
    public int[] Axes { get; }
}

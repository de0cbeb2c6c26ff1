namespace Nxt;

/// <summary>MXNet <c>sum(axis, keepdims)</c> over one axis (counting the batch as axis 0, so at least 1).</summary>
public sealed class SumAttribute : LayerAttribute
{
    /// <summary>Declares the sum over <paramref name="axis"/>.</summary>
    public SumAttribute(int axis) => Axis = axis;

    /// <summary>The axis summed (MXNet <c>axis</c>).</summary>
    public int Axis { get; }

    /// <summary>Keep the axis with size 1 (MXNet <c>keepdims</c>).</summary>
    public bool Keepdims { get; set; }
}

/// <summary>MXNet <c>mean(axis, keepdims)</c> over one axis (counting the batch as axis 0, so at least 1).</summary>
public sealed class MeanAttribute : LayerAttribute
{
    /// <summary>Declares the mean over <paramref name="axis"/>.</summary>
    public MeanAttribute(int axis) => Axis = axis;

    /// <summary>The axis averaged (MXNet <c>axis</c>).</summary>
    public int Axis { get; }

    /// <summary>Keep the axis with size 1 (MXNet <c>keepdims</c>).</summary>
    public bool Keepdims { get; set; }
}

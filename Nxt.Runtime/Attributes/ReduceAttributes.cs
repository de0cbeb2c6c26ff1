namespace Nxt;

/// <summary>MXNet <c>sum(axis, keepdims)</c> over one axis or several adjacent ones (counting the batch as axis 0, so at least 1).</summary>
public sealed class SumAttribute : LayerAttribute
{
    /// <summary>Declares the sum over <paramref name="axis"/>.</summary>
    public SumAttribute(int axis) => Axes = [axis];

    /// <summary>Declares the sum over adjacent <paramref name="axes"/> (MXNet <c>axis=(2, 3)</c>).</summary>
    public SumAttribute(params int[] axes) => Axes = axes;

    /// <summary>The axes summed (MXNet <c>axis</c>).</summary>
    public int[] Axes { get; }

    /// <summary>Keep the axis with size 1 (MXNet <c>keepdims</c>).</summary>
    public bool Keepdims { get; set; }
}

/// <summary>MXNet <c>mean(axis, keepdims)</c> over one axis or several adjacent ones (counting the batch as axis 0, so at least 1).</summary>
public sealed class MeanAttribute : LayerAttribute
{
    /// <summary>Declares the mean over <paramref name="axis"/>.</summary>
    public MeanAttribute(int axis) => Axes = [axis];

    /// <summary>Declares the mean over adjacent <paramref name="axes"/> (MXNet <c>axis=(2, 3)</c>).</summary>
    public MeanAttribute(params int[] axes) => Axes = axes;

    /// <summary>The axes averaged (MXNet <c>axis</c>).</summary>
    public int[] Axes { get; }

    /// <summary>Keep the axis with size 1 (MXNet <c>keepdims</c>).</summary>
    public bool Keepdims { get; set; }
}

namespace Nxt;

/// <summary>What <see cref="PadAttribute"/> puts in the border (MXNet <c>mode</c>).</summary>
public enum PadMode
{
    /// <summary>A constant, <see cref="PadAttribute.ConstantValue"/>.</summary>
    Constant,

    /// <summary>The nearest edge pixel, repeated.</summary>
    Edge,

    /// <summary>The image mirrored about its edge pixel (which is not repeated).</summary>
    Reflect,
}

/// <summary>
/// MXNet <c>pad</c> over images (N,C,H,W): a border around each plane. <c>padWidth</c> is MXNet's
/// <c>pad_width</c>, a before and an after count for every axis from the batch on:
/// <c>(0, 0, 0, 0, top, bottom, left, right)</c>; the batch and channels are not padded.
/// </summary>
public sealed class PadAttribute : LayerAttribute
{
    /// <summary>Declares the border: <c>(0, 0, 0, 0, top, bottom, left, right)</c>.</summary>
    public PadAttribute(params int[] padWidth) => PadWidth = padWidth;

    /// <summary>MXNet <c>pad_width</c>.</summary>
    public int[] PadWidth { get; }

    /// <summary>What fills the border (MXNet <c>mode</c>, default constant).</summary>
    public PadMode Mode { get; set; } = PadMode.Constant;

    /// <summary>The border's value in constant mode (MXNet <c>constant_value</c>, default 0).</summary>
    public double ConstantValue { get; set; }
}

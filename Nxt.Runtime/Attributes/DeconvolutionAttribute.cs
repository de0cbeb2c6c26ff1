namespace Nxt;

/// <summary>
/// MXNet <c>Deconvolution</c> (2-D transposed convolution, NCHW): the gradient of a
/// <c>Convolution</c> with respect to its input, so it grows an image where the convolution
/// shrinks it. Weight <c>(C, F/G, KH, KW)</c> for <c>C</c> input channels and <c>F</c> =
/// <see cref="NumFilter"/>; bias <c>(F)</c> only when <see cref="NoBias"/> is false (MXNet's
/// default is no bias). Output size <c>Stride·(H-1) + Dilate·(Kernel-1) + 1 - 2·Pad + Adj</c>, or
/// <see cref="TargetShape"/>.
/// </summary>
public sealed class DeconvolutionAttribute : ConvolutionWindowAttribute
{
    private int? _adjH;
    private int? _adjW;

    /// <summary>Declares a deconvolution with <paramref name="numFilter"/> output channels.</summary>
    public DeconvolutionAttribute(int numFilter) => NumFilter = numFilter;

    /// <summary>The number of output channels.</summary>
    public int NumFilter { get; }

    /// <summary>Rows and columns added at the bottom and right of the output (MXNet <c>adj</c>, default 0; less than the stride).</summary>
    public int Adj { get; set; }

    /// <summary>The adjustment along the height; unset, <see cref="Adj"/>.</summary>
    public int AdjH
    {
        get => _adjH ?? Adj;
        set => _adjH = value;
    }

    /// <summary>The adjustment along the width; unset, <see cref="Adj"/>.</summary>
    public int AdjW
    {
        get => _adjW ?? Adj;
        set => _adjW = value;
    }

    /// <summary>
    /// The output's (height, width) (MXNet <c>target_shape</c>): when set, the padding and
    /// adjustment that give it are computed as MXNet does and <see cref="WindowAttribute.Pad"/>
    /// and <see cref="Adj"/> are ignored.
    /// </summary>
    public int[]? TargetShape { get; set; }

    /// <summary>Channel groups (MXNet default 1); both the input channels and <see cref="NumFilter"/> must divide by it.</summary>
    public int NumGroup { get; set; } = 1;

    /// <summary>Leave out the bias term (MXNet's default for Deconvolution: true).</summary>
    public bool NoBias { get; set; } = true;
}

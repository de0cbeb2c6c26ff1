namespace Nxt;

/// <summary>
/// MXNet <c>Convolution</c> (2-D, NCHW): <c>NumFilter</c> filters of <c>Kernel×Kernel</c> over the
/// input's channels (split into <see cref="NumGroup"/> groups). Weight <c>(F, C/G, K, K)</c>,
/// bias <c>(F)</c>; output size <c>floor((H + 2·Pad - Dilate·(Kernel-1) - 1) / Stride) + 1</c>.
/// </summary>
public sealed class ConvolutionAttribute : ConvolutionWindowAttribute
{
    /// <summary>Declares a convolution with <paramref name="numFilter"/> output channels.</summary>
    public ConvolutionAttribute(int numFilter) => NumFilter = numFilter;

    /// <summary>The number of output channels.</summary>
    public int NumFilter { get; }

    /// <summary>Channel groups (MXNet default 1); both the input channels and <see cref="NumFilter"/> must divide by it.</summary>
    public int NumGroup { get; set; } = 1;

    /// <summary>Leave out the bias term.</summary>
    public bool NoBias { get; set; }
}

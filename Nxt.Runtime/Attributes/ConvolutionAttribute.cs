namespace Nxt;

/// <summary>
/// MXNet <c>Convolution</c> (2-D, NCHW): <c>NumFilter</c> filters of <c>Kernel×Kernel</c> over the
/// input's channels (split into <see cref="NumGroup"/> groups). Weight <c>(F, C/G, K, K)</c>,
/// bias <c>(F)</c>; output size <c>floor((H + 2·Pad - Dilate·(Kernel-1) - 1) / Stride) + 1</c>.
/// </summary>
public sealed class ConvolutionAttribute : LayerAttribute
{
    private int? _kernelH;
    private int? _kernelW;
    private int? _strideH;
    private int? _strideW;
    private int? _padH;
    private int? _padW;
    private int? _dilateH;
    private int? _dilateW;

    /// <summary>Declares a convolution with <paramref name="numFilter"/> output channels.</summary>
    public ConvolutionAttribute(int numFilter) => NumFilter = numFilter;

    /// <summary>The number of output channels.</summary>
    public int NumFilter { get; }

    /// <summary>The kernel size, both ways (<see cref="KernelH"/> and <see cref="KernelW"/> set one).</summary>
    public int Kernel { get; set; } = 1;

    /// <summary>The stride (MXNet default 1).</summary>
    public int Stride { get; set; } = 1;

    /// <summary>Zero padding on each side (MXNet default 0).</summary>
    public int Pad { get; set; }

    /// <summary>The dilation (MXNet default 1).</summary>
    public int Dilate { get; set; } = 1;

    /// <summary>Channel groups (MXNet default 1); both the input channels and <see cref="NumFilter"/> must divide by it.</summary>
    public int NumGroup { get; set; } = 1;

    /// <summary>Leave out the bias term.</summary>
    public bool NoBias { get; set; }

    /// <summary>The kernel along the height, for a rectangular window; unset, <see cref="Kernel"/>.</summary>
    public int KernelH
    {
        get => _kernelH ?? Kernel;
        set => _kernelH = value;
    }

    /// <summary>The kernel along the width, for a rectangular window; unset, <see cref="Kernel"/>.</summary>
    public int KernelW
    {
        get => _kernelW ?? Kernel;
        set => _kernelW = value;
    }

    /// <summary>The stride along the height, for a rectangular window; unset, <see cref="Stride"/>.</summary>
    public int StrideH
    {
        get => _strideH ?? Stride;
        set => _strideH = value;
    }

    /// <summary>The stride along the width, for a rectangular window; unset, <see cref="Stride"/>.</summary>
    public int StrideW
    {
        get => _strideW ?? Stride;
        set => _strideW = value;
    }

    /// <summary>The pad along the height, for a rectangular window; unset, <see cref="Pad"/>.</summary>
    public int PadH
    {
        get => _padH ?? Pad;
        set => _padH = value;
    }

    /// <summary>The pad along the width, for a rectangular window; unset, <see cref="Pad"/>.</summary>
    public int PadW
    {
        get => _padW ?? Pad;
        set => _padW = value;
    }

    /// <summary>The dilate along the height, for a rectangular window; unset, <see cref="Dilate"/>.</summary>
    public int DilateH
    {
        get => _dilateH ?? Dilate;
        set => _dilateH = value;
    }

    /// <summary>The dilate along the width, for a rectangular window; unset, <see cref="Dilate"/>.</summary>
    public int DilateW
    {
        get => _dilateW ?? Dilate;
        set => _dilateW = value;
    }
}

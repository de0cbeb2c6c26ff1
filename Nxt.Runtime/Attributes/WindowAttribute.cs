namespace Nxt;

/// <summary>
/// The window a convolution, a deconvolution and a pooling share: kernel, stride and padding,
/// each both ways or per axis (<c>KernelH</c>/<c>KernelW</c> and so on) for a rectangular window
/// such as Inception's 1x7.
/// </summary>
public abstract class WindowAttribute : LayerAttribute
{
    private int? _kernelH;
    private int? _kernelW;
    private int? _strideH;
    private int? _strideW;
    private int? _padH;
    private int? _padW;

    /// <summary>The kernel size, both ways (<see cref="KernelH"/> and <see cref="KernelW"/> set one).</summary>
    public int Kernel { get; set; } = 1;

    /// <summary>The stride (MXNet default 1).</summary>
    public int Stride { get; set; } = 1;

    /// <summary>Padding on each side (MXNet default 0): zeros for a convolution; a max pooling never picks them.</summary>
    public int Pad { get; set; }

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
}

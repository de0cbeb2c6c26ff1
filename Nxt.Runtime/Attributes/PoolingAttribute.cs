namespace Nxt;

/// <summary>Pooling reductions.</summary>
public enum Pool
{
    /// <summary>The window's maximum.</summary>
    Max,
    /// <summary>The window's mean.</summary>
    Avg,
}

/// <summary>How a pooling output size is rounded.</summary>
public enum PoolingConvention
{
    /// <summary><c>floor((H + 2p - k) / s) + 1</c> (MXNet default).</summary>
    Valid,
    /// <summary><c>ceil((H + 2p - k) / s) + 1</c>.</summary>
    Full,
}

/// <summary>MXNet <c>Pooling</c> (2-D, NCHW), max or average, or global over the whole plane.</summary>
public sealed class PoolingAttribute : LayerAttribute
{
    private int? _kernelH;
    private int? _kernelW;
    private int? _strideH;
    private int? _strideW;
    private int? _padH;
    private int? _padW;

    /// <summary>Declares pooling of the given type.</summary>
    public PoolingAttribute(Pool poolType) => PoolType = poolType;

    /// <summary>Max or average.</summary>
    public Pool PoolType { get; }

    /// <summary>The (square) window size.</summary>
    public int Kernel { get; set; } = 1;

    /// <summary>The stride (MXNet default 1).</summary>
    public int Stride { get; set; } = 1;

    /// <summary>Padding on each side.</summary>
    public int Pad { get; set; }

    /// <summary>Pool over the whole plane, ignoring kernel, stride and pad: output <c>(C,1,1)</c>.</summary>
    public bool GlobalPool { get; set; }

    /// <summary>Output size rounding (MXNet default valid).</summary>
    public PoolingConvention Convention { get; set; }

    /// <summary>Average pooling divides by the window including padding (MXNet default true).</summary>
    public bool CountIncludePad { get; set; } = true;

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

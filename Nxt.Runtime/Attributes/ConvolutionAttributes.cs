namespace Nxt;

/// <summary>
/// MXNet <c>Convolution</c> (2-D, NCHW): <c>NumFilter</c> filters of <c>Kernel×Kernel</c> over the
/// input's channels (split into <see cref="NumGroup"/> groups). Weight <c>(F, C/G, K, K)</c>,
/// bias <c>(F)</c>; output size <c>floor((H + 2·Pad - Dilate·(Kernel-1) - 1) / Stride) + 1</c>.
/// </summary>
public sealed class ConvolutionAttribute : LayerAttribute
{
    /// <summary>Declares a convolution with <paramref name="numFilter"/> output channels.</summary>
    public ConvolutionAttribute(int numFilter) => NumFilter = numFilter;

    /// <summary>The number of output channels.</summary>
    public int NumFilter { get; }

    /// <summary>The (square) kernel size.</summary>
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
}

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
}

/// <summary>
/// MXNet <c>BatchNorm</c> over axis 1. Parameters <c>gamma</c>, <c>beta</c>; auxiliary states
/// <c>moving_mean</c>, <c>moving_var</c>, updated in training and used in inference.
/// </summary>
public sealed class BatchNormAttribute : LayerAttribute
{
    /// <summary>Added to the variance (MXNet default 1e-3).</summary>
    public double Eps { get; set; } = 1e-3;

    /// <summary>Moving statistics keep this share of their old value each batch (MXNet default 0.9).</summary>
    public double Momentum { get; set; } = 0.9;

    /// <summary>Fix gamma at 1 (MXNet's default is true).</summary>
    public bool FixGamma { get; set; } = true;

    /// <summary>Normalise by the moving statistics in training too.</summary>
    public bool UseGlobalStats { get; set; }
}

/// <summary>The activations of MXNet's <c>LeakyReLU</c> operator.</summary>
public enum LeakyAct
{
    /// <summary><c>x</c> if positive, else <c>slope·x</c>.</summary>
    Leaky,
    /// <summary><c>x</c> if positive, else <c>slope·(eˣ - 1)</c>.</summary>
    Elu,
    /// <summary><c>x</c> if positive, else <c>gamma[c]·x</c> with a learned slope per channel (<c>NAME_gamma</c>).</summary>
    PRelu,
    /// <summary><c>x·Φ(x)</c>.</summary>
    Gelu,
}

/// <summary>MXNet <c>LeakyReLU</c>: leaky, elu, prelu or gelu.</summary>
public sealed class LeakyReLUAttribute : LayerAttribute
{
    /// <summary>Declares the activation (MXNet default leaky).</summary>
    public LeakyReLUAttribute(LeakyAct actType = LeakyAct.Leaky) => ActType = actType;

    /// <summary>Which activation.</summary>
    public LeakyAct ActType { get; }

    /// <summary>The negative slope of leaky and elu (MXNet default 0.25).</summary>
    public double Slope { get; set; } = 0.25;
}

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

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
public sealed class PoolingAttribute : WindowAttribute
{
    /// <summary>Declares pooling of the given type.</summary>
    public PoolingAttribute(Pool poolType) => PoolType = poolType;

    /// <summary>Max or average.</summary>
    public Pool PoolType { get; }

    /// <summary>Pool over the whole plane, ignoring kernel, stride and pad: output <c>(C,1,1)</c>.</summary>
    public bool GlobalPool { get; set; }

    /// <summary>Output size rounding (MXNet default valid).</summary>
    public PoolingConvention Convention { get; set; }

    /// <summary>Average pooling divides by the window including padding (MXNet default true).</summary>
    public bool CountIncludePad { get; set; } = true;
}

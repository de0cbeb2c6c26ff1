namespace Nxt.Generators.Emit;

/// <summary>
/// A backend as the plan renderer sees it: the namespace its kernel classes live in, the type of
/// its buffers, and whether its kernels take the CPU-only arguments (a worker's workspace).
/// Nxt.Cpu's and Nxt.Gpu's kernel classes share names and methods (a test checks every call a
/// plan can make exists in both with matching parameters).
/// </summary>
internal sealed class KernelBackend
{
    private KernelBackend(string kernelNamespace, string spanType, bool onHost, string generatedKernelsClass)
    {
        GeneratedKernelsClass = generatedKernelsClass;
        KernelNamespace = kernelNamespace;
        SpanType = spanType;
        TakesCpuOnlyArguments = onHost;
        ReportsReadyGradients = onHost;
    }

    public static KernelBackend Cpu { get; } = new("global::Nxt.Cpu.", Names.Span, onHost: true, "GeneratedKernels");

    public static KernelBackend Gpu { get; } = new("global::Nxt.Gpu.", Names.DeviceSpan, onHost: false, "GeneratedDeviceKernels");

    /// <summary>The nested class of the network's generated element-wise kernels for this backend.</summary>
    public string GeneratedKernelsClass { get; }

    /// <summary>The prefix of a kernel class: <c>global::Nxt.Cpu.</c>.</summary>
    public string KernelNamespace { get; }

    /// <summary>The type of the plan's buffer locals.</summary>
    public string SpanType { get; }

    public bool TakesCpuOnlyArguments { get; }

    /// <summary>Whether its backward plan tells the module which parameter gradients are final (the host's: MPI reads host memory).</summary>
    public bool ReportsReadyGradients { get; }
}

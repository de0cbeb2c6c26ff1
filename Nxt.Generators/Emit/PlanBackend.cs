namespace Nxt.Generators.Emit;

/// <summary>
/// What differs between the CPU plan and the ILGPU plan of a network: the type of a buffer local
/// and the namespace of the kernels. Nxt.Gpu's kernel classes mirror Nxt.Cpu's names and
/// signatures over <c>DeviceSpan</c>s, and its <c>GpuPlan</c> base mirrors the members the
/// plan reads (<c>Activations</c>, <c>GradientWanted</c>, ...), so the steps written once by
/// <see cref="ForwardSteps"/>, <see cref="BackwardSteps"/> and <see cref="FusedSteps"/> serve both:
/// one fused plan, one memory layout, two backends.
/// </summary>
internal sealed class PlanBackend
{
    private const string CpuKernels = "global::Nxt.Cpu.";

    private PlanBackend(string spanType, string kernelNamespace)
    {
        SpanType = spanType;
        KernelNamespace = kernelNamespace;
    }

    public static PlanBackend Cpu { get; } = new(Names.Span, CpuKernels);

    public static PlanBackend Gpu { get; } = new(Names.DeviceSpan, "global::Nxt.Gpu.");

    /// <summary>The type of the plan's buffer locals.</summary>
    public string SpanType { get; }

    private string KernelNamespace { get; }

    /// <summary>Steps written with the CPU kernels' names, as this backend calls them.</summary>
    public string Translate(string steps) => KernelNamespace == CpuKernels ? steps : steps.Replace(CpuKernels, KernelNamespace);
}

using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Expressions;

namespace Nxt.Generators.Emit;

/// <summary>
/// Writes a network's generated element-wise kernels (<see cref="RegionKernel"/>) into a nested
/// <c>GeneratedKernels</c> class: for the CPU, a loop over the widest hardware vector
/// (<c>Vector512</c>, <c>Vector256</c> or <c>Vector128</c>, chosen at run time) and a scalar
/// tail; for the GPU, an ILGPU kernel with one thread per element. Forward, each member is one
/// local computed from its inputs' locals, and only the output is stored. Backward, the member
/// values some derivative reads are recomputed from the inputs, each member's gradient is pushed
/// to its inputs in reverse order (a value read by several members sums their contributions), and
/// each wanted input gradient is stored. A region that is a dense layer's or a convolution's epilogue also gets a
/// struct the layer's kernel calls (<see cref="WriteEpilogue"/>). A region that reads parameters
/// (one value per element of a sample, or per channel) goes sample by sample on the CPU (and
/// channel by channel for per-channel ones), reading them at the position in the sample and
/// adding their gradients up as it goes; on the device, its parameters' gradients are kernels of
/// their own, a thread per position or per channel summing over the batch
/// (<c>ElementwiseKernelEmitter.Cpu.cs</c>, <c>.Gpu.cs</c>; one element's statements: <c>.Body.cs</c>).
/// </summary>
internal static partial class ElementwiseKernelEmitter
{
    private const string ReadOnlySpan = "global::System.ReadOnlySpan<float>";
    private const string Span = "global::System.Span<float>";
    private const string Marshal = "global::System.Runtime.InteropServices.MemoryMarshal";
    private const string CpuMath = "global::Nxt.Cpu.ElementwiseMath";
    private const string View = "global::ILGPU.ArrayView<float>";
    private const string Launch = "global::Nxt.Gpu.GeneratedKernel";

    public static void WriteCpu(SourceWriter writer, IReadOnlyList<RegionKernel> kernels) => Write(writer, kernels, gpu: false);

    public static void WriteGpu(SourceWriter writer, IReadOnlyList<RegionKernel> kernels) => Write(writer, kernels, gpu: true);

    private static void Write(SourceWriter writer, IReadOnlyList<RegionKernel> kernels, bool gpu)
    {
        if (kernels.Count == 0)
        {
            return;
        }

        // The device's are internal, not private: ILGPU's CPU accelerator calls them from an
        // assembly of its own, which the GPU file makes a friend of the user's.
        OpenClass(writer, gpu ? KernelBackend.Gpu : KernelBackend.Cpu, gpu ? "internal" : "private");
        for (int k = 0; k < kernels.Count; k++)
        {
            var kernel = kernels[k];
            if (k > 0)
            {
                writer.Line();
            }

            // A device epilogue computes the region inside the GEMM: no forward kernel of its own.
            if (kernel.Region.Producer < 0 || !gpu)
            {
                WriteKernel(writer, kernel, backward: false, gpu);
            }

            if (kernel.Region.Producer >= 0)
            {
                if (!gpu)
                {
                    writer.Line();
                }

                WriteEpilogue(writer, kernel, gpu);
            }

            if (kernel.HasBackward)
            {
                writer.Line();
                WriteKernel(writer, kernel, backward: true, gpu);
            }
        }

        writer.Close();
    }

    private static void WriteKernel(SourceWriter writer, RegionKernel kernel, bool backward, bool gpu)
    {
        if (gpu)
        {
            WriteGpuKernel(writer, kernel, backward);
        }
        else
        {
            WriteCpuKernel(writer, kernel, backward);
        }
    }

    private static void OpenClass(SourceWriter writer, KernelBackend backend, string access)
    {
        writer.Line();
        writer.Line("/// <summary>The network's element-wise regions, each one generated kernel forward and one backward.</summary>");
        writer.Line(Names.GeneratedCode);
        writer.Open($"{access} static class {backend.GeneratedKernelsClass}");
    }

    private static void WriteSummary(SourceWriter writer, RegionKernel kernel, bool backward, bool gpu)
    {
        var graph = kernel.Graph;
        string inputs = string.Join(", ", kernel.Region.Inputs.Select(i => graph.Nodes[i].Name));
        string output = graph.Nodes[kernel.Region.Output].Name;
        writer.Line("/// <summary>");
        if (backward)
        {
            var wanted = kernel.Region.Inputs.Where((_, k) => kernel.Wanted[k]).Select(i => graph.Nodes[i].Name).Concat(kernel.Region.Parameters.Select(p => p.Name));
            var read = kernel.BackwardInputs.Select(i => graph.Nodes[i].Name).Concat(kernel.BackwardParameters.Select(p => p.Name)).ToList();
            string reads = read.Count == 0 ? "no value needed" : "what the derivatives need recomputed from " + string.Join(", ", read);
            var threads = new[] { kernel.SampleParameters.Any() ? "a thread per position in the sample" : null, kernel.ChannelParameters.Any() ? "a thread per channel" : null }.Where(t => t is not null);
            string parameters = kernel.Layout == RegionLayout.Flat ? string.Empty
                : $" (the parameters' summed over the batch{(gpu ? $", first, by {string.Join(" and ", threads)}" : string.Empty)})";
            writer.Line($"/// The gradients of {string.Join(", ", wanted)} from {output}'s{parameters}, {reads}:");
        }
        else
        {
            var (unfused, fused) = kernel.ForwardPasses();
            writer.Line($"/// {output} from {inputs} in one pass: {SourceWriter.Int(fused)} memory passes where one kernel per operator makes {SourceWriter.Int(unfused)}:");
        }

        writer.Line("/// <code>");
        foreach (string formula in kernel.Formulas())
        {
            writer.Line("/// " + formula.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;"));
        }

        writer.Line("/// </code>");
        writer.Line("/// </summary>");
    }

    /// <summary>
    /// The region as its layer's epilogue (a dense layer's or a convolution's), a struct holding
    /// the region's other buffers. The CPU's is a <c>ref struct</c> over spans that the layer's
    /// kernel hands each block of whole samples it produces, calling the forward kernel on it;
    /// the device's holds views, and the GEMM's threads run the region on each element they
    /// store, in the GEMM kernel itself.
    /// </summary>
    private static void WriteEpilogue(SourceWriter writer, RegionKernel kernel, bool gpu)
    {
        var region = kernel.Region;
        var graph = kernel.Graph;
        var held = region.Inputs.Where(i => i != region.Producer).Append(region.Output).ToList();
        string stem = kernel.Name + "Epilogue";
        string produced = kernel.Span(region.Producer);
        string producer = graph.Nodes[region.Producer].Name;
        string output = kernel.Span(region.Output);
        string Type(int node) => gpu ? View : node == region.Output ? Span : ReadOnlySpan;
        string Parameter(int node) => gpu ? Names.DeviceSpan : Type(node);
        writer.Line(gpu
            ? $"/// <summary>The region as the epilogue of {producer}'s GEMM: each thread computes it on the elements of {producer} it stores.</summary>"
            : $"/// <summary>{kernel.Name}Forward as the epilogue of {producer}'s kernel, over the blocks of {producer} it produces.</summary>");
        writer.Open(gpu ? $"public readonly struct {stem} : global::Nxt.Gpu.IGemmEpilogue" : $"public readonly ref struct {stem} : global::Nxt.Cpu.IRowEpilogue");
        foreach (int node in held)
        {
            writer.Line($"private readonly {Type(node)} {kernel.Span(node)};");
        }

        foreach (var parameter in region.Parameters)
        {
            writer.Line($"private readonly {(gpu ? View : ReadOnlySpan)} {kernel.Span(parameter)};");
        }

        writer.Line();
        var arguments = held.Select(n => $"{Parameter(n)} {kernel.Span(n)}").Concat(region.Parameters.Select(p => $"{(gpu ? Names.DeviceSpan : ReadOnlySpan)} {kernel.Span(p)}"));
        writer.Open($"public {stem}({string.Join(", ", arguments)})");
        foreach (int node in held)
        {
            string value = !gpu ? kernel.Span(node) : node == region.Output ? $"{output}.View" : $"{Launch}.View({kernel.Span(node)}, {output}, \"{kernel.Span(node)}\")";
            writer.Line($"this.{kernel.Span(node)} = {value};");
        }

        foreach (var parameter in region.Parameters)
        {
            string value = gpu ? $"{Launch}.Parameter({kernel.Span(parameter)}, {ParameterLength(kernel, parameter)}, {output}, \"{parameter.Name}\")" : kernel.Span(parameter);
            writer.Line($"this.{kernel.Span(parameter)} = {value};");
        }

        writer.Close();
        writer.Line();
        if (gpu)
        {
            writer.Open($"public void After(int i, float {kernel.Value(region.Producer)})");
            foreach (string line in Body(kernel, backward: false, ExprDialect.Gpu, new List<int>(), Indexing.Gpu(kernel), ParameterGradients.None, inEpilogue: true).Lines)
            {
                writer.Line(line);
            }

            writer.Close();
        }
        else
        {
            // The layer's kernel hands over whole samples, so a block starts a sample and the parameters are passed whole.
            string Argument(int node) => node == region.Producer ? produced : $"this.{kernel.Span(node)}.Slice(start, {produced}.Length)";
            var forward = region.Inputs.Select(Argument).Concat(region.Parameters.Select(p => $"this.{kernel.Span(p)}")).Append(Argument(region.Output));
            writer.Line($"public void Apply({ReadOnlySpan} {produced}, int start) => {kernel.Name}Forward({string.Join(", ", forward)});");
        }

        writer.Close();
    }

    /// <summary>The inputs a kernel reads: all of them forward, those some derivative needs backward.</summary>
    private static IReadOnlyList<int> Reads(RegionKernel kernel, bool backward) => backward ? kernel.BackwardInputs : kernel.Region.Inputs;

    /// <summary>The parameters a kernel reads: all of them forward, those some derivative needs backward.</summary>
    private static IReadOnlyList<ParameterInfo> ParameterReads(RegionKernel kernel, bool backward) => backward ? kernel.BackwardParameters : kernel.Region.Parameters;

    /// <summary>A parameter's floats: one per element of a sample, or one per channel.</summary>
    private static string ParameterLength(RegionKernel kernel, ParameterInfo parameter) => SourceWriter.Int(kernel.IsPerChannel(parameter) ? kernel.Channels : kernel.SampleLength);

    private static List<int> WantedInputs(RegionKernel kernel, bool backward)
        => backward ? kernel.Region.Inputs.Where((_, k) => kernel.Wanted[k]).ToList() : new List<int>();

    private static string Wants(RegionKernel kernel, int input) => kernel.GradientSpan(input) + "_wanted";

    private static string Wants(RegionKernel kernel, ParameterInfo parameter) => kernel.GradientSpan(parameter) + "_wanted";
}

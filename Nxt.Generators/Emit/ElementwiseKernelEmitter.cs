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
/// (one value per element of a sample) goes sample by sample on the CPU, reading them at the
/// position in the sample and adding their gradients into place as it goes; on the device, its
/// parameters' gradients are a second kernel, one thread per position summing over the batch.
/// </summary>
internal static class ElementwiseKernelEmitter
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
            string parameters = kernel.ByRow ? $" (the parameters' summed over the batch{(gpu ? ", by a second kernel with a thread per position in the sample" : string.Empty)})" : string.Empty;
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

    private static void WriteCpuKernel(SourceWriter writer, RegionKernel kernel, bool backward)
    {
        var region = kernel.Region;
        var wanted = WantedInputs(kernel, backward);
        var reads = Reads(kernel, backward);
        var parameterReads = ParameterReads(kernel, backward);
        var parameterGradients = backward ? region.Parameters : new List<ParameterInfo>();
        var parameters = reads.Select(i => $"{ReadOnlySpan} {kernel.Span(i)}").ToList();
        parameters.AddRange(parameterReads.Select(p => $"{ReadOnlySpan} {kernel.Span(p)}"));
        parameters.Add(backward ? $"{ReadOnlySpan} {kernel.GradientSpan(region.Output)}" : $"{Span} {kernel.Span(region.Output)}");
        parameters.AddRange(wanted.Select(i => $"{Span} {kernel.GradientSpan(i)}"));
        parameters.AddRange(parameterGradients.Select(p => $"{Span} {kernel.GradientSpan(p)}"));
        parameters.AddRange(parameterGradients.Select(p => $"bool {kernel.Adds(p)}"));
        WriteSummary(writer, kernel, backward, gpu: false);
        writer.Open($"public static void {kernel.Name}{(backward ? "Backward" : "Forward")}({string.Join(", ", parameters)})");
        string lengthOf = backward ? kernel.GradientSpan(region.Output) : kernel.Span(region.Output);
        string sample = SourceWriter.Int(kernel.SampleLength);
        writer.Line($"int length = {lengthOf}.Length;");
        foreach (int input in reads)
        {
            writer.Line($"{CpuMath}.CheckLength({kernel.Span(input)}, length, \"{kernel.Graph.Nodes[input].Name}\");");
        }

        foreach (var parameter in parameterReads)
        {
            writer.Line($"{CpuMath}.CheckLength({kernel.Span(parameter)}, {sample}, \"{parameter.Name}\");");
        }

        if (kernel.ByRow)
        {
            writer.Line($"{CpuMath}.CheckSamples(length, {sample}, \"{kernel.Graph.Nodes[region.Output].Name}\");");
        }

        foreach (int input in wanted)
        {
            // An input whose gradient this Bind does not want is passed no buffer.
            writer.Line($"bool {Wants(kernel, input)} = !{kernel.GradientSpan(input)}.IsEmpty;");
            writer.Line($"{CpuMath}.CheckLength({kernel.GradientSpan(input)}, {Wants(kernel, input)} ? length : 0, \"{kernel.Graph.Nodes[input].Name}'s gradient\");");
        }

        foreach (var parameter in parameterGradients)
        {
            writer.Line($"bool {Wants(kernel, parameter)} = !{kernel.GradientSpan(parameter)}.IsEmpty;");
            writer.Line($"{CpuMath}.CheckLength({kernel.GradientSpan(parameter)}, {Wants(kernel, parameter)} ? {sample} : 0, \"{parameter.Name}'s gradient\");");
        }

        // The batch's contributions are added into place, so a gradient that does not add to the last one starts at zero.
        foreach (var parameter in parameterGradients)
        {
            writer.Open($"if (!{kernel.Adds(parameter)})");
            writer.Line($"{kernel.GradientSpan(parameter)}.Clear();");
            writer.Close();
            writer.Line();
        }

        foreach (int input in reads)
        {
            writer.Line($"ref float {kernel.Ref(input)} = ref {Marshal}.GetReference({kernel.Span(input)});");
        }

        foreach (var parameter in parameterReads)
        {
            writer.Line($"ref float {kernel.Ref(parameter)} = ref {Marshal}.GetReference({kernel.Span(parameter)});");
        }

        writer.Line(backward
            ? $"ref float {kernel.GradientRef(region.Output)} = ref {Marshal}.GetReference({kernel.GradientSpan(region.Output)});"
            : $"ref float {kernel.Ref(region.Output)} = ref {Marshal}.GetReference({kernel.Span(region.Output)});");
        foreach (int input in wanted)
        {
            writer.Line($"ref float {kernel.GradientRef(input)} = ref {Marshal}.GetReference({kernel.GradientSpan(input)});");
        }

        foreach (var parameter in parameterGradients)
        {
            writer.Line($"ref float {kernel.GradientRef(parameter)} = ref {Marshal}.GetReference({kernel.GradientSpan(parameter)});");
        }

        // A region with parameters goes sample by sample: i is the position in the sample, where the parameters are read.
        var indexing = kernel.ByRow ? Indexing.CpuRows : Indexing.Flat;
        string end = kernel.ByRow ? sample : "length";
        if (kernel.ByRow)
        {
            writer.Open($"for (int row = 0; row < length; row += {sample})");
        }

        writer.Line("int i = 0;");
        var gradients = backward ? (kernel.ByRow ? ParameterGradients.AddInPlace : ParameterGradients.None) : ParameterGradients.None;
        for (int w = 0; w < ExprDialect.CpuVectors.Length; w++)
        {
            var dialect = ExprDialect.CpuVectors[w];
            writer.Open($"{(w == 0 ? "if" : "else if")} ({dialect.VectorClass}.IsHardwareAccelerated)");
            var body = Body(kernel, backward, dialect, wanted, indexing, gradients);
            foreach (string constant in body.Constants)
            {
                writer.Line(constant);
            }

            writer.Open($"for (; i <= {end} - {dialect.ValueType}.Count; i += {dialect.ValueType}.Count)");
            foreach (string line in body.Lines)
            {
                writer.Line(line);
            }

            writer.Close();
            writer.Close();
        }

        writer.Line();
        writer.Open($"for (; i < {end}; i++)");
        foreach (string line in Body(kernel, backward, ExprDialect.CpuScalar, wanted, indexing, gradients).Lines)
        {
            writer.Line(line);
        }

        writer.Close();
        if (kernel.ByRow)
        {
            writer.Close();
        }

        writer.Close();
    }

    private static void WriteGpuKernel(SourceWriter writer, RegionKernel kernel, bool backward)
    {
        var region = kernel.Region;
        var wanted = WantedInputs(kernel, backward);
        string stem = kernel.Name + (backward ? "Backward" : "Forward");
        var reads = Reads(kernel, backward);
        var parameterReads = ParameterReads(kernel, backward);
        var parameterGradients = backward ? region.Parameters : new List<ParameterInfo>();
        var views = reads.Select(i => kernel.Span(i)).ToList();
        string extent = backward ? kernel.GradientSpan(region.Output) : kernel.Span(region.Output);
        views.Add(extent);
        views.AddRange(wanted.Select(kernel.GradientSpan));
        var parameterViews = parameterReads.Select(kernel.Span).Concat(parameterGradients.Select(kernel.GradientSpan)).ToList();
        string sample = SourceWriter.Int(kernel.SampleLength);

        WriteSummary(writer, kernel, backward, gpu: true);
        var arguments = views.Take(reads.Count).Concat(parameterReads.Select(kernel.Span)).Append(extent).Concat(views.Skip(reads.Count + 1)).Concat(parameterGradients.Select(kernel.GradientSpan))
            .Select(v => $"{Names.DeviceSpan} {v}")
            .Concat(parameterGradients.Select(p => $"bool {kernel.Adds(p)}"));
        writer.Open($"public static void {stem}({string.Join(", ", arguments)})");
        var names = parameterReads.Select(p => p.Name).Concat(parameterGradients.Select(p => p.Name + "'s gradient")).ToList();
        var fields = views.Select(v => v == extent ? $"{v} = {v}.View" : $"{v} = {Launch}.View({v}, {extent}, \"{v}\")")
            .Concat(parameterViews.Select((v, k) => $"{v} = {Launch}.Parameter({v}, {sample}, {extent}, \"{names[k]}\")"))
            .Concat(wanted.Select(i => $"{Wants(kernel, i)} = {kernel.GradientSpan(i)}.IsEmpty ? 0 : 1"))
            .Concat(parameterGradients.Select(p => $"{Wants(kernel, p)} = {kernel.GradientSpan(p)}.IsEmpty ? 0 : 1"))
            .Concat(parameterGradients.Select(p => $"{kernel.Adds(p)} = {kernel.Adds(p)} ? 1 : 0"));
        writer.Line($"var views = new {stem}Views");
        writer.Line("{");
        foreach (string field in fields)
        {
            writer.Line("    " + field + ",");
        }

        writer.Line("};");

        // Backward, the parameters' kernel writes their gradients and the element kernel the inputs'.
        // The parameters' go first: the producing layer's gradient is written over the output's, which they read.
        if (parameterGradients.Count > 0)
        {
            writer.Open($"if ({string.Join(" || ", parameterGradients.Select(p => $"!{kernel.GradientSpan(p)}.IsEmpty"))})");
            writer.Line($"{Launch}.Run({stem}ParametersKernel, {extent}, {sample}, views);");
            writer.Close();
            writer.Line();
        }

        if (!backward || wanted.Count > 0)
        {
            writer.Line($"{Launch}.Run({stem}Kernel, {extent}, views);");
        }

        writer.Close();
        writer.Line();

        writer.Line($"/// <summary>The buffers of <see cref=\"{stem}\"/> on the device.</summary>");
        writer.Open($"internal struct {stem}Views");
        foreach (string view in views.Concat(parameterViews))
        {
            writer.Line($"public {View} {view};");
        }

        foreach (string flag in wanted.Select(i => Wants(kernel, i)).Concat(parameterGradients.Select(p => Wants(kernel, p))).Concat(parameterGradients.Select(kernel.Adds)))
        {
            writer.Line($"public int {flag};");
        }

        writer.Close();
        if (!backward || wanted.Count > 0)
        {
            writer.Line();
            writer.Open($"internal static void {stem}Kernel(global::ILGPU.Index1D i, {stem}Views views)");
            foreach (string line in Body(kernel, backward, ExprDialect.Gpu, wanted, Indexing.Gpu(kernel), ParameterGradients.None).Lines)
            {
                writer.Line(line);
            }

            writer.Close();
        }

        if (parameterGradients.Count > 0)
        {
            // One thread per position j in the sample: it walks the batch, summing the parameters' gradients in registers.
            writer.Line();
            writer.Line($"/// <summary>The parameters' gradients of <see cref=\"{stem}\"/>: thread j sums position j over the batch.</summary>");
            writer.Open($"internal static void {stem}ParametersKernel(global::ILGPU.Index1D j, {stem}Views views)");
            writer.Line($"int length = views.{extent}.IntLength;");
            foreach (var parameter in parameterGradients)
            {
                writer.Line($"float {Total(kernel, parameter)} = 0f;");
            }

            writer.Open($"for (int row = 0; row < length; row += {sample})");
            writer.Line("int i = row + j;");
            foreach (string line in Body(kernel, backward, ExprDialect.Gpu, new List<int>(), Indexing.GpuColumn, ParameterGradients.Sum).Lines)
            {
                writer.Line(line);
            }

            writer.Close();
            writer.Line();
            foreach (var parameter in parameterGradients)
            {
                string gradient = $"views.{kernel.GradientSpan(parameter)}[j]";
                writer.Open($"if (views.{Wants(kernel, parameter)} != 0)");
                writer.Line($"{gradient} = views.{kernel.Adds(parameter)} != 0 ? {gradient} + {Total(kernel, parameter)} : {Total(kernel, parameter)};");
                writer.Close();
            }

            writer.Close();
        }
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
            string value = gpu ? $"{Launch}.Parameter({kernel.Span(parameter)}, {SourceWriter.Int(kernel.SampleLength)}, {output}, \"{parameter.Name}\")" : kernel.Span(parameter);
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

    private static List<int> WantedInputs(RegionKernel kernel, bool backward)
        => backward ? kernel.Region.Inputs.Where((_, k) => kernel.Wanted[k]).ToList() : new List<int>();

    private static string Wants(RegionKernel kernel, int input) => kernel.GradientSpan(input) + "_wanted";

    private static string Wants(RegionKernel kernel, ParameterInfo parameter) => kernel.GradientSpan(parameter) + "_wanted";

    private static string Total(RegionKernel kernel, ParameterInfo parameter) => kernel.Adjoint(parameter) + "_total";

    /// <summary>What a backward body does with the parameters' gradients.</summary>
    private enum ParameterGradients
    {
        /// <summary>Nothing (forward, or the device's element kernel).</summary>
        None,

        /// <summary>Adds each element's contribution to the gradient at its position (the CPU, sample by sample).</summary>
        AddInPlace,

        /// <summary>Adds it to a running total (the device's parameters kernel).</summary>
        Sum,
    }

    /// <summary>How a body indexes the region's buffers (<c>Element</c>) and its parameters (<c>Parameter</c>).</summary>
    private sealed record Indexing(string Element, string Parameter)
    {
        public static readonly Indexing Flat = new("i", "i");

        public static readonly Indexing CpuRows = new("row + i", "i");

        public static readonly Indexing GpuColumn = new("i", "j");

        public static Indexing Gpu(RegionKernel kernel) => new("i", "i % " + SourceWriter.Int(kernel.SampleLength));
    }

    private sealed class KernelBody
    {
        public List<string> Constants { get; } = new();

        public List<string> Lines { get; } = new();
    }

    /// <summary>The statements of one element: load, compute, (backward: push gradients), store.</summary>
    /// <param name="inEpilogue">A device epilogue's body: its buffers are its own fields, and the layer's value is its parameter.</param>
    private static KernelBody Body(RegionKernel kernel, bool backward, ExprDialect dialect, List<int> wanted, Indexing indexing, ParameterGradients parameterGradients, bool inEpilogue = false)
    {
        var region = kernel.Region;
        var body = new KernelBody();
        var constants = new ConstantTable(dialect);
        bool gpu = dialect == ExprDialect.Gpu;
        string type = dialect.IsVector ? "var" : "float";
        string holder = inEpilogue ? "this" : "views";
        string At(string index) => dialect.IsVector ? (index.Contains(' ') ? $"(nuint)({index})" : $"(nuint){index}") : index;
        string Load(string span, string reference, string index)
            => gpu ? $"{holder}.{span}[{index}]" : dialect.IsVector ? $"{dialect.VectorClass}.LoadUnsafe(ref {reference}, {At(index)})" : $"{span}[{index}]";
        string Store(string span, string reference, string index, string value)
            => gpu ? $"{holder}.{span}[{index}] = {value};" : dialect.IsVector ? $"{dialect.VectorClass}.StoreUnsafe({value}, ref {reference}, {At(index)});" : $"{span}[{index}] = {value};";
        string element = indexing.Element;

        foreach (int input in Reads(kernel, backward).Where(i => !inEpilogue || i != region.Producer))
        {
            body.Lines.Add($"{type} {kernel.Value(input)} = {Load(kernel.Span(input), kernel.Ref(input), element)};");
        }

        foreach (var parameter in ParameterReads(kernel, backward))
        {
            body.Lines.Add($"{type} {kernel.Value(parameter)} = {Load(kernel.Span(parameter), kernel.Ref(parameter), indexing.Parameter)};");
        }

        // Backward recomputes only the members some derivative reads.
        foreach (int member in region.Members.Where(m => !backward || kernel.BackwardValues.Contains(m)))
        {
            body.Lines.Add($"{type} {kernel.Value(member)} = {constants.Render(kernel.Forward(member))};");
        }

        if (!backward)
        {
            int output = region.Output;
            body.Lines.Add(Store(kernel.Span(output), kernel.Ref(output), element, kernel.Value(output)));
            body.Constants.AddRange(constants.Declarations);
            return body;
        }

        body.Lines.Add($"{type} {kernel.Adjoint(region.Output)} = {Load(kernel.GradientSpan(region.Output), kernel.GradientRef(region.Output), element)};");
        var declared = new HashSet<int> { region.Output };
        foreach (int member in region.Members.Reverse())
        {
            var node = kernel.Graph.Nodes[member];
            var gradients = kernel.Gradients(member);
            for (int k = 0; k < node.Inputs.Count; k++)
            {
                int input = node.Inputs[k];
                if (region.Inputs.Contains(input) && !wanted.Contains(input))
                {
                    continue;
                }

                string contribution = constants.Render(gradients[k]);
                body.Lines.Add(declared.Add(input)
                    ? $"{type} {kernel.Adjoint(input)} = {contribution};"
                    : $"{kernel.Adjoint(input)} += {contribution};");
            }

            // A parameter belongs to one member: its contribution is complete here.
            for (int k = 0; k < node.Parameters.Count && parameterGradients != ParameterGradients.None; k++)
            {
                var parameter = node.Parameters[k];
                string adjoint = kernel.Adjoint(parameter);
                body.Lines.Add($"{type} {adjoint} = {constants.Render(gradients[node.Inputs.Count + k])};");
                if (parameterGradients == ParameterGradients.Sum)
                {
                    body.Lines.Add($"{Total(kernel, parameter)} += {adjoint};");
                    continue;
                }

                string gradient = kernel.GradientSpan(parameter), reference = kernel.GradientRef(parameter);
                body.Lines.Add($"if ({Wants(kernel, parameter)})");
                body.Lines.Add("{");
                body.Lines.Add("    " + Store(gradient, reference, indexing.Parameter, $"{Load(gradient, reference, indexing.Parameter)} + {adjoint}"));
                body.Lines.Add("}");
            }
        }

        foreach (int input in wanted)
        {
            int k = region.Inputs.ToList().IndexOf(input);
            string adjoint = kernel.Adjoint(input);
            string value = kernel.Accumulate[k] ? $"{Load(kernel.GradientSpan(input), kernel.GradientRef(input), element)} + {adjoint}" : adjoint;
            string flag = gpu ? $"views.{Wants(kernel, input)} != 0" : Wants(kernel, input);
            body.Lines.Add($"if ({flag})");
            body.Lines.Add("{");
            body.Lines.Add("    " + Store(kernel.GradientSpan(input), kernel.GradientRef(input), element, value));
            body.Lines.Add("}");
        }

        body.Constants.AddRange(constants.Declarations);
        return body;
    }

    /// <summary>
    /// A vector loop's constants as locals declared before it (<c>var c0 = Vector256.Create(0.5f);</c>),
    /// so the loop body reads as the formulas; a scalar loop writes them inline.
    /// </summary>
    private sealed class ConstantTable
    {
        private readonly ExprDialect _dialect;
        private readonly Dictionary<float, string> _names = new();

        public ConstantTable(ExprDialect dialect) => _dialect = dialect;

        public List<string> Declarations { get; } = new();

        public string Render(Expr expr) => _dialect.IsVector ? Hoist(expr).Render(_dialect) : expr.Render(_dialect);

        private Expr Hoist(Expr expr)
        {
            switch (expr)
            {
                case ConstExpr constant:
                    if (!_names.TryGetValue(constant.Value, out string? name))
                    {
                        name = "c" + SourceWriter.Int(_names.Count);
                        _names[constant.Value] = name;
                        Declarations.Add($"var {name} = {_dialect.Constant(constant.Value)};");
                    }

                    return Expr.Named(name);
                case BinaryExpr binary:
                    return binary.Op switch
                    {
                        '+' => Hoist(binary.A) + Hoist(binary.B),
                        '-' => Hoist(binary.A) - Hoist(binary.B),
                        '*' => Hoist(binary.A) * Hoist(binary.B),
                        _ => Hoist(binary.A) / Hoist(binary.B),
                    };
                case NegateExpr negate:
                    return -Hoist(negate.X);
                case CallExpr call:
                    return Expr.Call(call.Function, call.Args.Select(Hoist).ToArray());
                case SelectExpr select:
                    return Expr.Select(Hoist(select.A), select.Comparison, Hoist(select.B), Hoist(select.IfTrue), Hoist(select.IfFalse));
                default:
                    return expr;
            }
        }
    }
}

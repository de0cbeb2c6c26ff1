using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Expressions;

namespace Nxt.Generators.Emit;

/// <summary>The statements of one element, shared by every loop and device kernel of a region.</summary>
internal static partial class ElementwiseKernelEmitter
{
    /// <summary>What a backward body does with the parameters' gradients.</summary>
    private enum ParameterGradients
    {
        /// <summary>Nothing (forward, or the device's element kernel).</summary>
        None,

        /// <summary>
        /// The CPU's: a per-element parameter's contribution is added to its gradient in place; a
        /// per-channel one's to the channel's running sum (a vector accumulator in a vector loop).
        /// </summary>
        Cpu,

        /// <summary>A device parameters kernel's: the contributions of the parameters it sums, to their running totals.</summary>
        Sum,
    }

    /// <summary>
    /// How a body indexes the region's buffers (<c>Element</c>), its per-element parameters
    /// (<c>Sample</c>) and its per-channel ones (<c>Channel</c>; null where the loop reads the
    /// channel's value once, before it).
    /// </summary>
    private sealed record Indexing(string Element, string Sample, string? Channel)
    {
        public static readonly Indexing Flat = new("i", "i", null);

        public static readonly Indexing CpuSamples = new("row + i", "i", null);

        public static readonly Indexing CpuChannels = new("row + plane + i", "plane + i", null);

        /// <summary>A device thread per element (the element kernel, an epilogue).</summary>
        public static Indexing Gpu(RegionKernel kernel)
            => new("i", "i % " + SourceWriter.Int(kernel.SampleLength), $"(i / {SourceWriter.Int(kernel.PlaneLength)}) % {SourceWriter.Int(kernel.Channels)}");

        /// <summary>A device thread per position j in the sample (the per-element parameters' kernel).</summary>
        public static Indexing GpuPositions(RegionKernel kernel) => new("i", "j", "j / " + SourceWriter.Int(kernel.PlaneLength));

        /// <summary>A device thread per channel (the per-channel parameters' kernel).</summary>
        public static readonly Indexing GpuChannels = new("i", "position", "channel");
    }

    private sealed class KernelBody
    {
        /// <summary>Before a vector loop: its constants, broadcast channel values and accumulators.</summary>
        public List<string> Constants { get; } = new();

        public List<string> Lines { get; } = new();

        /// <summary>After a vector loop: its accumulators folded into the running sums.</summary>
        public List<string> After { get; } = new();
    }

    /// <summary>The statements of one element: load, compute, (backward: push gradients), store.</summary>
    /// <param name="summed">The parameters a <see cref="ParameterGradients.Sum"/> body sums.</param>
    /// <param name="inEpilogue">A device epilogue's body: its buffers are its own fields, and the layer's value is its parameter.</param>
    private static KernelBody Body(
        RegionKernel kernel, bool backward, ExprDialect dialect, List<int> wanted, Indexing indexing, ParameterGradients parameterGradients,
        ICollection<ParameterInfo>? summed = null, bool inEpilogue = false)
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
            if (!kernel.IsPerChannel(parameter))
            {
                body.Lines.Add($"{type} {kernel.Value(parameter)} = {Load(kernel.Span(parameter), kernel.Ref(parameter), indexing.Sample)};");
            }
            else if (indexing.Channel is not null)
            {
                body.Lines.Add($"{type} {kernel.Value(parameter)} = {Load(kernel.Span(parameter), kernel.Ref(parameter), indexing.Channel)};");
            }
            else if (dialect.IsVector)
            {
                // The CPU reads a channel's value once, before its plane's loops.
                body.Constants.Add($"var {kernel.Value(parameter)} = {dialect.VectorClass}.Create({kernel.ChannelValue(parameter)});");
            }
            else
            {
                body.Lines.Add($"float {kernel.Value(parameter)} = {kernel.ChannelValue(parameter)};");
            }
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
            body.Constants.InsertRange(0, constants.Declarations);
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
            for (int k = 0; k < node.Parameters.Count; k++)
            {
                var parameter = node.Parameters[k];
                if (parameterGradients == ParameterGradients.None || (parameterGradients == ParameterGradients.Sum && !summed!.Contains(parameter)))
                {
                    continue;
                }

                string adjoint = kernel.Adjoint(parameter);
                body.Lines.Add($"{type} {adjoint} = {constants.Render(gradients[node.Inputs.Count + k])};");
                if (parameterGradients == ParameterGradients.Sum || (kernel.IsPerChannel(parameter) && !dialect.IsVector))
                {
                    body.Lines.Add($"{kernel.Total(parameter)} += {adjoint};");
                }
                else if (kernel.IsPerChannel(parameter))
                {
                    body.Constants.Add($"var {kernel.Accumulator(parameter)} = {dialect.ValueType}.Zero;");
                    body.Lines.Add($"{kernel.Accumulator(parameter)} += {adjoint};");
                    body.After.Add($"{kernel.Total(parameter)} += {dialect.VectorClass}.Sum({kernel.Accumulator(parameter)});");
                }
                else
                {
                    string gradient = kernel.GradientSpan(parameter), reference = kernel.GradientRef(parameter);
                    body.Lines.Add($"if ({Wants(kernel, parameter)})");
                    body.Lines.Add("{");
                    body.Lines.Add("    " + Store(gradient, reference, indexing.Sample, $"{Load(gradient, reference, indexing.Sample)} + {adjoint}"));
                    body.Lines.Add("}");
                }
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

        body.Constants.InsertRange(0, constants.Declarations);
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

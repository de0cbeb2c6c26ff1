using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Nxt.Generators.Graph;

namespace Nxt.Generators.Emit;

/// <summary>
/// Emits the forward and backward plans as straight-line calls into the CPU kernels: every
/// shape a constant, every buffer a slice at its planned offset (per-sample offsets times
/// the bound batch size <c>n</c>). Buffer locals are named after their MXNet values:
/// <c>fc1_out</c>, <c>fc1_weight</c>, <c>fc1_grad</c>, <c>fc1_weight_grad</c>.
/// </summary>
internal static class PlanEmitter
{
    public static void WriteAttachNodeFields(SourceWriter writer, InferredGraph graph)
    {
        writer.Line("/// <inheritdoc/>");
        writer.Open("protected override void AttachNodeFields()");
        foreach (var node in graph.Nodes)
        {
            writer.Line($"this.{NetworkEmitter.Identifier(node.Name)} = NodeOutput({SourceWriter.Int(node.Index)});");
        }

        writer.Close();
        writer.Line();
    }

    public static void WriteForward(SourceWriter writer, InferredGraph graph, MemoryPlan plan)
    {
        writer.Line("/// <inheritdoc/>");
        writer.Open("protected override void ForwardCore(bool isTrain)");
        var buffers = new BufferLocals();
        buffers.Add("n", "int n = BatchSize;");
        buffers.Add("activations", $"{Names.Span} activations = Activations;");
        buffers.Add("parameters", $"{Names.Span} parameters = Parameters;");
        foreach (var node in graph.Nodes)
        {
            buffers.AddNode(node, plan, withGradients: false);
        }

        var steps = new SourceWriter();
        foreach (var node in graph.Nodes.Where(n => n.Op != OpKind.Input))
        {
            var input = graph.Nodes[node.Input];
            steps.Line();
            steps.Line($"// {node.Name} = {NetworkEmitter.Describe(node)}({input.Name}): {Shapes.Batched(input.Shape)} -> {Shapes.Batched(node.Shape)}");
            WriteForwardStep(steps, node, input);
        }

        buffers.WriteUsed(writer, steps.ToString());
        writer.Close();
        writer.Line();
    }

    private static void WriteForwardStep(SourceWriter writer, InferredNode node, InferredNode input)
    {
        string x = Out(input), y = Out(node);
        switch (node.Spec.Params)
        {
            case FullyConnectedParams fc:
                var (rows, inputs) = DenseDims(fc, input);
                string bias = fc.NoBias ? "default" : node.Name + "_bias";
                writer.Line($"{Names.Dense}.Forward({x}, {node.Name}_weight, {bias}, {y}, {rows}, {SourceWriter.Int(inputs)}, {SourceWriter.Int(fc.NumHidden)});");
                break;
            case ActivationParams act:
                writer.Line($"{Names.Activation}.{act.ActType}Forward({x}, {y});");
                break;
            case FlattenParams:
                writer.Line($"// A view: {y} is {x}'s buffer, no copy.");
                break;
            case DropoutParams dropout:
                writer.Open("if (isTrain)");
                writer.Line($"{Names.Dropout}.ForwardTraining({x}, {Mask(node)}, {y}, {SourceWriter.Float(dropout.P)}, Random);");
                writer.Close();
                writer.Open("else");
                writer.Line($"{x}.CopyTo({y});");
                writer.Close();
                break;
            case SoftmaxOutputParams:
                writer.Line($"{Names.Softmax}.Forward({x}, {y}, n, {SourceWriter.Int(node.SampleLength)});");
                break;
        }
    }

    public static void WriteBackward(SourceWriter writer, InferredGraph graph, MemoryPlan plan)
    {
        writer.Line("/// <inheritdoc/>");
        writer.Open("protected override void BackwardCore()");
        var buffers = new BufferLocals();
        buffers.Add("n", "int n = BatchSize;");
        buffers.Add("activations", $"{Names.Span} activations = Activations;");
        buffers.Add("gradients", $"{Names.Span} gradients = Gradients;");
        buffers.Add("parameters", $"{Names.Span} parameters = Parameters;");
        buffers.Add("parameterGradients", $"{Names.Span} parameterGradients = ParameterGradients;");
        buffers.Add("parameterGradientsWanted", "bool parameterGradientsWanted = ComputeParameterGradients;");
        buffers.Add("accumulateParameterGradients", "bool accumulateParameterGradients = AccumulateParameterGradients;");
        foreach (var node in graph.Nodes.Where(n => plan.ReachesLoss[n.Index]))
        {
            buffers.AddNode(node, plan, withGradients: true);
        }

        var steps = new SourceWriter();

        // The first step to reach a gradient buffer writes it; later ones (other readers of the same value) add.
        var written = new HashSet<int>();
        foreach (var node in graph.Nodes.Reverse().Where(n => plan.ReachesLoss[n.Index] && n.Op != OpKind.Input))
        {
            var input = graph.Nodes[node.Input];
            bool inputWanted = plan.NeedsGradient[input.Index];
            if (!inputWanted && node.Parameters.Count == 0)
            {
                continue;
            }

            string accumulate = "false";
            if (inputWanted && !written.Add(plan.GradientOffset[input.Index]))
            {
                accumulate = "true";
            }

            steps.Line();
            steps.Line($"// {node.Name}: {NetworkEmitter.Describe(node)} backward");
            WriteBackwardStep(steps, node, input, inputWanted, accumulate);
        }

        buffers.WriteUsed(writer, steps.ToString());
        writer.Close();
    }

    private static void WriteBackwardStep(SourceWriter writer, InferredNode node, InferredNode input, bool inputWanted, string accumulate)
    {
        string x = Out(input), y = Out(node), dx = Grad(input), dy = Grad(node);
        switch (node.Spec.Params)
        {
            case FullyConnectedParams fc:
                var (rows, inputs) = DenseDims(fc, input);
                string dims = $"{rows}, {SourceWriter.Int(inputs)}, {SourceWriter.Int(fc.NumHidden)}";
                writer.Open("if (parameterGradientsWanted)");
                writer.Line($"{Names.Dense}.BackwardWeight({dy}, {x}, {node.Name}_weight_grad, {dims}, accumulateParameterGradients);");
                if (!fc.NoBias)
                {
                    writer.Line($"{Names.Dense}.BackwardBias({dy}, {node.Name}_bias_grad, {rows}, {SourceWriter.Int(fc.NumHidden)}, accumulateParameterGradients);");
                }

                writer.Close();
                if (inputWanted)
                {
                    writer.Line();
                    writer.Line($"{Names.Dense}.BackwardData({dy}, {node.Name}_weight, {dx}, {dims}, accumulate: {accumulate});");
                }

                break;
            case ActivationParams act:
                // softrelu's derivative needs the input; the others are functions of the output.
                string source = act.ActType == ActivationType.SoftRelu ? x : y;
                writer.Line($"{Names.Activation}.{act.ActType}Backward({source}, {dy}, {dx}, accumulate: {accumulate});");
                break;
            case FlattenParams:
                writer.Line($"// A view: {dy} is {dx}'s buffer, nothing to do.");
                break;
            case DropoutParams:
                writer.Line($"{Names.Dropout}.Backward({dy}, {Mask(node)}, {dx}, accumulate: {accumulate});");
                break;
            case SoftmaxOutputParams softmax:
                writer.Line($"{Names.Softmax}.OutputBackward({y}, Labels, {dx}, n, {SourceWriter.Int(node.SampleLength)}, {SourceWriter.Float(softmax.GradScale)}, accumulate: {accumulate});");
                break;
        }
    }

    // FullyConnected as a GEMM: with flatten, (N, K) rows; without, every leading index is a row.
    private static (string Rows, int Inputs) DenseDims(FullyConnectedParams fc, InferredNode input)
    {
        if (fc.Flatten)
        {
            return ("n", input.SampleLength);
        }

        int inner = input.Shape[input.Shape.Count - 1];
        int rowsPerSample = input.SampleLength / inner;
        return (rowsPerSample == 1 ? "n" : $"n * {SourceWriter.Int(rowsPerSample)}", inner);
    }

    private static string Offset(int perSample, int length)
        => $"{SourceWriter.Int(perSample)} * n, {SourceWriter.Int(length)} * n";

    private static string Out(InferredNode node) => node.Name + "_out";

    private static string Grad(InferredNode node) => node.Name + "_grad";

    private static string Mask(InferredNode node) => node.Name + "_mask";

    /// <summary>
    /// The locals a plan may need, in declaration order; only those the plan's steps mention
    /// are written, so the emitted method declares exactly what it uses.
    /// </summary>
    private sealed class BufferLocals
    {
        private readonly List<(string Name, string Declaration)> _locals = new();

        public void Add(string name, string declaration) => _locals.Add((name, declaration));

        /// <summary>A node's output, dropout mask and parameters, and with gradients their gradients too.</summary>
        public void AddNode(InferredNode node, MemoryPlan plan, bool withGradients)
        {
            Add(Out(node), $"var {Out(node)} = activations.Slice({Offset(plan.OutputOffset[node.Index], node.SampleLength)});");
            if (plan.MaskOffset[node.Index] >= 0)
            {
                Add(Mask(node), $"var {Mask(node)} = activations.Slice({Offset(plan.MaskOffset[node.Index], node.SampleLength)});");
            }

            if (withGradients && plan.GradientOffset[node.Index] >= 0)
            {
                Add(Grad(node), $"var {Grad(node)} = gradients.Slice({Offset(plan.GradientOffset[node.Index], node.SampleLength)});");
            }

            foreach (var p in node.Parameters)
            {
                string range = $"{SourceWriter.Int(plan.ParameterOffset[p.Name])}, {SourceWriter.Int(p.Length)}";
                Add(p.Name, $"var {p.Name} = parameters.Slice({range});");
                if (withGradients)
                {
                    Add(p.Name + "_grad", $"var {p.Name}_grad = parameterGradients.Slice({range});");
                }
            }
        }

        public void WriteUsed(SourceWriter writer, string steps)
        {
            var used = new HashSet<string>(Regex.Matches(steps, @"\b[A-Za-z_][A-Za-z0-9_]*\b").Cast<Match>().Select(m => m.Value));
            // A declaration can mention another local (a slice of activations, a size times n).
            for (int i = _locals.Count - 1; i >= 0; i--)
            {
                if (used.Contains(_locals[i].Name))
                {
                    foreach (Match m in Regex.Matches(_locals[i].Declaration.Substring(_locals[i].Declaration.IndexOf('=')), @"\b[A-Za-z_][A-Za-z0-9_]*\b"))
                    {
                        used.Add(m.Value);
                    }
                }
            }

            foreach (var (name, declaration) in _locals)
            {
                if (used.Contains(name))
                {
                    writer.Line(declaration);
                }
            }

            foreach (string line in steps.TrimEnd('\n').Split('\n'))
            {
                writer.Line(line.Length == 0 ? string.Empty : line);
            }
        }
    }
}

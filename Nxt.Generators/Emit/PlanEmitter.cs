using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Nxt.Generators.Graph;
using Nxt.Generators.Planning;

namespace Nxt.Generators.Emit;

/// <summary>
/// Emits the forward and backward plans as straight-line calls into the CPU kernels: every
/// shape a constant, every buffer a slice at its planned offset (per-sample offsets times
/// the bound batch size <c>n</c>). Buffer locals are named after their MXNet values:
/// <c>fc1_out</c>, <c>fc1_weight</c>, <c>fc1_grad</c>, <c>fc1_weight_grad</c>, <c>bn1_moving_mean</c>.
/// The plans run the fusion plan's groups in order (reversed for backward); the operators' own
/// calls are in <see cref="ForwardSteps"/> and <see cref="BackwardSteps"/>, a fused group's in
/// <see cref="FusedSteps"/>.
/// </summary>
internal static class PlanEmitter
{
    public static void WriteAttachNodeFields(SourceWriter writer, InferredGraph graph)
    {
        writer.Line("/// <inheritdoc/>");
        writer.Open("protected override void AttachNodeFields()");
        foreach (var node in graph.Nodes.Where(n => n.Spec.IsMember))
        {
            writer.Line($"this.{NetworkEmitter.Identifier(node.Name)} = NodeOutput({SourceWriter.Int(node.Index)});");
        }

        writer.Close();
        writer.Line();
    }

    /// <summary>
    /// The fixed geometry of each convolution and pooling, as named constants the plans pass to
    /// the kernels, and one instance of each custom operator.
    /// </summary>
    public static void WriteGeometries(SourceWriter writer, InferredGraph graph)
    {
        foreach (var node in graph.Nodes.Where(n => n.Spec.Params is CustomParams))
        {
            writer.Line($"private readonly {((CustomParams)node.Spec.Params).TypeName} {ForwardSteps.CustomOperatorField(node)} = new();");
            writer.Line();
        }

        foreach (var node in graph.Nodes)
        {
            string? geometry = Geometry.Declaration(node, graph);
            if (geometry is not null)
            {
                writer.Line(geometry);
                writer.Line();
            }
        }
    }

    public static void WriteForward(SourceWriter writer, InferredGraph graph, MemoryPlan plan, PlanBackend backend)
    {
        writer.Line("/// <inheritdoc/>");
        writer.Open("protected override void ForwardCore(bool isTrain)");
        var buffers = new BufferLocals(plan, backend);
        foreach (var node in graph.Nodes)
        {
            buffers.AddNode(node, withGradients: false);
        }

        var steps = new SourceWriter();
        foreach (var group in plan.Fusion.Groups)
        {
            var node = graph.Nodes[group.Output];
            var inputs = group.Members.SelectMany(m => graph.Nodes[m].Inputs).Where(i => !group.Members.Contains(i)).Distinct().Select(i => graph.Nodes[i]).ToList();
            steps.Line();
            if (plan.Fusion.IsFoldedForInference(group.Producer))
            {
                // Inference computes it inside the BatchNorm's group.
                steps.Open("if (isTrain)");
                WriteGroupForward(steps, graph, group, node, inputs);
                steps.Close();
            }
            else if (group.Folded >= 0)
            {
                steps.Open("if (isTrain)");
                WriteGroupForward(steps, graph, group, node, inputs);
                steps.Close();
                steps.Open("else");
                FusedSteps.WriteFoldedInference(steps, graph, group);
                steps.Close();
            }
            else
            {
                WriteGroupForward(steps, graph, group, node, inputs);
            }
        }

        buffers.WriteUsed(writer, steps.ToString());
        writer.Close();
        writer.Line();
    }

    private static void WriteGroupForward(SourceWriter steps, InferredGraph graph, FusedGroup group, InferredNode node, List<InferredNode> inputs)
    {
        if (group.IsFused)
        {
            steps.Line($"// {node.Name} = {string.Join(" + ", group.Members.Select(m => NetworkEmitter.Describe(graph.Nodes[m])))}({string.Join(", ", inputs.Select(i => i.Name))}): {string.Join(" and ", inputs.Select(i => Shapes.Batched(i.Shape)))} -> {Shapes.Batched(node.Shape)}, one kernel");
            FusedSteps.WriteForward(steps, graph, group);
            return;
        }

        steps.Line($"// {node.Name} = {NetworkEmitter.Describe(node)}({string.Join(", ", inputs.Select(i => i.Name))}): {string.Join(" and ", inputs.Select(i => Shapes.Batched(i.Shape)))} -> {Shapes.Batched(node.Shape)}");
        ForwardSteps.Write(steps, node, node.Inputs.Select(i => graph.Nodes[i]).ToList());
    }

    public static void WriteBackward(SourceWriter writer, InferredGraph graph, MemoryPlan plan, PlanBackend backend)
    {
        writer.Line("/// <inheritdoc/>");
        writer.Open("protected override void BackwardCore()");
        var buffers = new BufferLocals(plan, backend);
        buffers.AddGradientFlags(graph);
        foreach (var node in graph.Nodes.Where(n => plan.ReachesLoss[n.Index]))
        {
            buffers.AddNode(node, withGradients: true);
        }

        var steps = new SourceWriter();

        // The first step to reach a gradient buffer writes it; later ones (other readers of the same value) add.
        var written = new HashSet<int>();
        bool Accumulates(int value) => !written.Add(plan.GradientOwner[value]);
        foreach (var group in plan.Fusion.Groups.Reverse().Where(g => plan.ReachesLoss[g.Output]))
        {
            var node = graph.Nodes[group.Producer];
            var inputs = node.Inputs.Select(i => graph.Nodes[i]).ToList();
            var wanted = inputs.Select(i => plan.NeedsGradient[i.Index]).ToList();
            if (group.IsFused)
            {
                if (plan.NeedsGradient[group.Output])
                {
                    steps.Line();
                    steps.Line($"// {group.Label(graph)}: fused backward");
                    FusedSteps.WriteBackward(steps, graph, plan, group, Accumulates);
                }

                continue;
            }

            if (!wanted.Contains(true) && node.Parameters.Count == 0)
            {
                continue;
            }

            var accumulate = inputs.Select((input, k) => wanted[k] && Accumulates(input.Index)).ToList();
            steps.Line();
            steps.Line($"// {node.Name}: {NetworkEmitter.Describe(node)} backward");
            BackwardSteps.Write(steps, node, inputs, wanted, accumulate);
        }

        buffers.WriteUsed(writer, steps.ToString());
        writer.Close();
    }

    public static string Out(InferredNode node) => node.Name + "_out";

    public static string Grad(InferredNode node) => node.Name + "_grad";

    public static string Scratch(InferredNode node) => node.Name + (node.Op == OpKind.Dropout ? "_mask" : "_scratch");

    public static string State(InferredNode node) => node.Name + "_state";

    /// <summary>True in the plan when some parameter at or above the node wants a gradient in this Bind.</summary>
    public static string Wanted(InferredNode node) => node.Name + "_wanted";

    public static string ParamWanted(ParameterInfo parameter) => parameter.Name + "_wanted";

    public static string ParamAdds(ParameterInfo parameter) => parameter.Name + "_adds";

    /// <summary>
    /// The locals a plan may need, in declaration order; only those the plan's steps mention
    /// are written, so the emitted method declares exactly what it uses.
    /// </summary>
    private sealed class BufferLocals
    {
        private static readonly Regex s_identifier = new(@"\b[A-Za-z_][A-Za-z0-9_]*\b");
        private static readonly Regex s_blockEnd = new(@"(\n *\})\n( *(?!else\b)[^\s}])");
        private readonly List<(string Name, string Declaration)> _locals = new();
        private readonly MemoryPlan _plan;
        private readonly PlanBackend _backend;

        public BufferLocals(MemoryPlan plan, PlanBackend backend)
        {
            _plan = plan;
            _backend = backend;
            string span = backend.SpanType;
            Add("n", "int n = BatchSize;");
            Add("activations", $"{span} activations = Activations;");
            Add("gradients", $"{span} gradients = Gradients;");
            Add("parameters", $"{span} parameters = Parameters;");
            Add("parameterGradients", $"{span} parameterGradients = ParameterGradients;");
            Add("auxiliaryStates", $"{span} auxiliaryStates = AuxiliaryStates;");
            Add("state", $"{span} state = NodeState;");
            Add("workspace", $"{span} workspace = Workspace;");
        }

        /// <summary>
        /// Which gradients this Bind wants: each parameter's (from its requirement), then each
        /// value's, true when one of its own parameters or its inputs' wants one.
        /// </summary>
        public void AddGradientFlags(InferredGraph graph)
        {
            int index = 0;
            foreach (var p in graph.Parameters)
            {
                Add(ParamWanted(p), $"bool {ParamWanted(p)} = GradientWanted({SourceWriter.Int(index)});");
                Add(ParamAdds(p), $"bool {ParamAdds(p)} = GradientAdds({SourceWriter.Int(index)});");
                index++;
            }

            foreach (var node in graph.Nodes.Where(n => _plan.NeedsGradient[n.Index]))
            {
                var terms = node.Parameters.Select(ParamWanted)
                    .Concat(node.Op == OpKind.BlockGrad ? Enumerable.Empty<string>() : node.Inputs.Where(i => _plan.NeedsGradient[i]).Select(i => Wanted(graph.Nodes[i])));
                Add(Wanted(node), $"bool {Wanted(node)} = {string.Join(" || ", terms)};");
            }
        }

        /// <summary>A node's output, scratch, state, parameters and auxiliary states, and with gradients their gradients too.</summary>
        public void AddNode(InferredNode node, bool withGradients)
        {
            if (_plan.OutputOffset[node.Index] >= 0)
            {
                Add(Out(node), $"var {Out(node)} = activations.Slice({PerSample(_plan.OutputOffset[node.Index], node.SampleLength)});");
            }

            if (_plan.ScratchOffset[node.Index] >= 0)
            {
                Add(Scratch(node), $"var {Scratch(node)} = activations.Slice({PerSample(_plan.ScratchOffset[node.Index], node.Scratch.PerSample)});");
            }

            if (_plan.FoldOffset[node.Index] >= 0)
            {
                int length = node.Parameters[0].Length + node.Shape[0];
                Add(FusedSteps.Folded(node), $"var {FusedSteps.Folded(node)} = state.Slice({Fixed(_plan.FoldOffset[node.Index], length)});");
            }

            if (_plan.StateOffset[node.Index] >= 0)
            {
                Add(State(node), $"var {State(node)} = state.Slice({Fixed(_plan.StateOffset[node.Index], node.Scratch.Fixed)});");
            }

            if (withGradients && _plan.GradientOffset[node.Index] >= 0)
            {
                Add(Grad(node), $"var {Grad(node)} = gradients.Slice({PerSample(_plan.GradientOffset[node.Index], node.SampleLength)});");
            }

            foreach (var p in node.Parameters)
            {
                string range = Fixed(_plan.ParameterOffset[p.Name], p.Length);
                Add(p.Name, $"var {p.Name} = parameters.Slice({range});");
                if (withGradients)
                {
                    Add(p.Name + "_grad", $"var {p.Name}_grad = parameterGradients.Slice({range});");
                }
            }

            foreach (var a in node.AuxiliaryStates)
            {
                Add(a.Name, $"var {a.Name} = auxiliaryStates.Slice({Fixed(_plan.AuxiliaryOffset[a.Name], a.Length)});");
            }
        }

        public void WriteUsed(SourceWriter writer, string steps)
        {
            var used = new HashSet<string>(s_identifier.Matches(steps).Cast<Match>().Select(m => m.Value));
            // A declaration can mention another local (a slice of activations, a size times n).
            for (int i = _locals.Count - 1; i >= 0; i--)
            {
                if (used.Contains(_locals[i].Name))
                {
                    string value = _locals[i].Declaration.Substring(_locals[i].Declaration.IndexOf('='));
                    foreach (Match m in s_identifier.Matches(value))
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

            // As hand-written code: a blank line after a block, unless an else or another brace follows.
            steps = s_blockEnd.Replace(_backend.Translate(steps), "$1\n\n$2");
            foreach (string line in steps.TrimEnd('\n').Split('\n'))
            {
                writer.Line(line);
            }
        }

        private void Add(string name, string declaration) => _locals.Add((name, declaration));

        private static string PerSample(int offset, int length) => $"{SourceWriter.Int(offset)} * n, {SourceWriter.Int(length)} * n";

        private static string Fixed(int offset, int length) => $"{SourceWriter.Int(offset)}, {SourceWriter.Int(length)}";
    }
}

using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Plans;
using Nxt.Generators.Planning;

namespace Nxt.Generators.Emit;

/// <summary>
/// Writes a network's plans as C#: the statements of <see cref="PlanBuilder"/>, rendered for
/// one backend, after the declarations of exactly the locals they read. Every shape is a
/// constant; every buffer a slice at its planned offset (per-sample offsets times the bound
/// batch size <c>n</c>).
/// </summary>
internal static class PlanEmitter
{
    public static void WriteAttachNodeFields(SourceWriter writer, InferredGraph graph)
    {
        writer.Line("/// <inheritdoc/>");
        writer.Line(Names.GeneratedCode);
        writer.Open("protected override void AttachNodeFields()");
        foreach (var node in graph.Nodes.Where(n => n.Spec.IsMember))
        {
            writer.Line($"this.{NetworkEmitter.Identifier(node.Name)} = NodeOutput({SourceWriter.Int(node.Index)});");
        }

        writer.Close();
        writer.Line();
    }

    /// <summary>The fields the plans' calls read: each convolution's and pooling's geometry, each custom operator's instance.</summary>
    public static void WriteClassFields(SourceWriter writer, InferredGraph graph)
    {
        foreach (var node in graph.Nodes)
        {
            foreach (string field in node.Operator.ClassFields(node, graph))
            {
                writer.Line(Names.GeneratedCode);
                writer.Line(field);
                writer.Line();
            }
        }
    }

    public static void WriteForward(SourceWriter writer, NetworkPlan network, KernelBackend backend)
    {
        writer.Line("/// <inheritdoc/>");
        writer.Line(Names.GeneratedCode);
        writer.Open("protected override void ForwardCore(bool isTrain)");
        var locals = new BufferLocals(network.Graph, network.Memory, backend);
        foreach (var node in network.Graph.Nodes)
        {
            locals.AddNode(node, withGradients: false);
        }

        locals.Write(writer, network.ForwardSteps);
        writer.Close();
        writer.Line();
    }

    public static void WriteBackward(SourceWriter writer, NetworkPlan network, KernelBackend backend)
    {
        writer.Line("/// <inheritdoc/>");
        writer.Line(Names.GeneratedCode);
        writer.Open("protected override void BackwardCore()");
        var locals = new BufferLocals(network.Graph, network.Memory, backend);
        locals.AddGradientFlags(network.Graph);
        // Values no loss reaches have no gradients, but a backward step may read them (an embedding's ids).
        foreach (var node in network.Graph.Nodes)
        {
            locals.AddNode(node, withGradients: network.Memory.ReachesLoss[node.Index]);
        }

        locals.Write(writer, network.BackwardSteps);
        writer.Close();
    }

    /// <summary>
    /// The locals a plan may need, in declaration order, each with the locals its own
    /// declaration reads; only those the rendered statements read (and what those read) are written.
    /// </summary>
    private sealed class BufferLocals
    {
        private static readonly Regex s_blockEnd = new(@"(\n *\})\n( *(?!else\b)[^\s}])");
        private readonly List<(string Name, string Declaration, string[] Reads)> _locals = new();
        private readonly InferredGraph _graph;
        private readonly MemoryPlan _plan;
        private readonly KernelBackend _backend;

        public BufferLocals(InferredGraph graph, MemoryPlan plan, KernelBackend backend)
        {
            _graph = graph;
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
            Add("labels", "var labels = Labels;");
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
                Add(Buffers.ParamWantedName(p), $"bool {Buffers.ParamWantedName(p)} = GradientWanted({SourceWriter.Int(index)});");
                Add(Buffers.ParamAddsName(p), $"bool {Buffers.ParamAddsName(p)} = GradientAdds({SourceWriter.Int(index)});");
                index++;
            }

            foreach (var node in graph.Nodes.Where(n => _plan.NeedsGradient[n.Index]))
            {
                if (node.Op == OpKind.Input)
                {
                    Add(Buffers.WantedName(node), $"bool {Buffers.WantedName(node)} = InputGradientsWanted;");
                    continue;
                }

                var terms = node.Parameters.Select(Buffers.ParamWantedName)
                    .Concat(MemoryPlan.StopsGradient(node) ? Enumerable.Empty<string>() : node.Inputs.Where(i => _plan.NeedsGradient[i]).Select(i => Buffers.WantedName(graph.Nodes[i])))
                    .ToArray();
                Add(Buffers.WantedName(node), $"bool {Buffers.WantedName(node)} = {string.Join(" || ", terms)};", terms);
            }
        }

        /// <summary>A node's output, scratch, state, parameters and auxiliary states, and with gradients their gradients too.</summary>
        public void AddNode(InferredNode node, bool withGradients)
        {
            if (_plan.OutputOffset[node.Index] >= 0)
            {
                Add(Buffers.OutName(node), $"var {Buffers.OutName(node)} = activations.Slice({PerSample(_plan.OutputOffset[node.Index], node.SampleLength)});", "activations", "n");
            }

            if (_plan.ScratchOffset[node.Index] >= 0)
            {
                Add(Buffers.ScratchName(node), $"var {Buffers.ScratchName(node)} = activations.Slice({PerSample(_plan.ScratchOffset[node.Index], node.Scratch.PerSample)});", "activations", "n");
            }

            if (_plan.FoldOffset[node.Index] >= 0)
            {
                int length = node.Parameters[0].Length + node.Shape[0];
                Add(Buffers.FoldedName(node), $"var {Buffers.FoldedName(node)} = state.Slice({Fixed(_plan.FoldOffset[node.Index], length)});", "state");
            }

            if (_plan.StateOffset[node.Index] >= 0)
            {
                Add(Buffers.StateName(node), $"var {Buffers.StateName(node)} = state.Slice({Fixed(_plan.StateOffset[node.Index], node.Scratch.Fixed)});", "state");
            }

            if (withGradients && _plan.IsInputGradient(_graph, node.Index))
            {
                // The input gradients' region exists only for Bind(inputsNeedGrad: true): sliced only then.
                string wanted = Buffers.WantedName(_graph.Nodes[_plan.GradientOwner[node.Index]]);
                Add(Buffers.GradName(node), $"var {Buffers.GradName(node)} = {wanted} ? gradients.Slice({PerSample(_plan.GradientOffset[node.Index], node.SampleLength)}) : default;", wanted, "gradients", "n");
            }
            else if (withGradients && _plan.GradientOffset[node.Index] >= 0)
            {
                Add(Buffers.GradName(node), $"var {Buffers.GradName(node)} = gradients.Slice({PerSample(_plan.GradientOffset[node.Index], node.SampleLength)});", "gradients", "n");
            }

            if (withGradients && _plan.LabelOffset[node.Index] >= 0)
            {
                Add(Buffers.LabelName(node), $"var {Buffers.LabelName(node)} = labels.Slice({PerSample(_plan.LabelOffset[node.Index], Shapes.Product(node.Label!.Shape))});", "labels", "n");
            }

            foreach (var p in node.Parameters)
            {
                string range = Fixed(_plan.ParameterOffset[p.Name], p.Length);
                Add(Buffers.ParamName(p), $"var {Buffers.ParamName(p)} = parameters.Slice({range});", "parameters");
                if (withGradients)
                {
                    Add(Buffers.ParamGradName(p), $"var {Buffers.ParamGradName(p)} = parameterGradients.Slice({range});", "parameterGradients");
                }
            }

            foreach (var a in node.AuxiliaryStates)
            {
                Add(a.Name, $"var {a.Name} = auxiliaryStates.Slice({Fixed(_plan.AuxiliaryOffset[a.Name], a.Length)});", "auxiliaryStates");
            }
        }

        /// <summary>The declarations of the locals <paramref name="statements"/> read, then the statements.</summary>
        public void Write(SourceWriter writer, IReadOnlyList<Statement> statements)
        {
            var renderer = new StepRenderer(_backend);
            var body = new SourceWriter();
            renderer.Render(body, statements);
            var used = renderer.UsedLocals;
            for (int i = _locals.Count - 1; i >= 0; i--)
            {
                if (used.Contains(_locals[i].Name))
                {
                    used.UnionWith(_locals[i].Reads);
                }
            }

            foreach (var (name, declaration, _) in _locals)
            {
                if (used.Contains(name))
                {
                    writer.Line(declaration);
                }
            }

            // As hand-written code: a blank line after a block, unless an else or another brace follows.
            string steps = s_blockEnd.Replace(body.ToString(), "$1\n\n$2");
            foreach (string line in steps.TrimEnd('\n').Split('\n'))
            {
                writer.Line(line);
            }
        }

        private void Add(string name, string declaration, params string[] reads) => _locals.Add((name, declaration, reads));

        private static string PerSample(int offset, int length) => $"{SourceWriter.Int(offset)} * n, {SourceWriter.Int(length)} * n";

        private static string Fixed(int offset, int length) => $"{SourceWriter.Int(offset)}, {SourceWriter.Int(length)}";
    }
}

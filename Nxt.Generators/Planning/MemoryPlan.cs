using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Operators;

namespace Nxt.Generators.Planning;

/// <summary>
/// The static memory plan: where every forward value, scratch buffer, gradient, parameter and
/// auxiliary state lives. Batched buffers have offsets per sample (the runtime multiplies by
/// the batch size), so one plan serves every batch size and is allocated once at <c>Bind</c>.
/// Values whose lifetimes (<see cref="Lifetimes"/>) do not overlap share memory, forward and
/// backward alike; views cost nothing (<c>Flatten</c> and <c>Reshape</c> share their input's
/// buffer and gradient); values fused into a kernel (<see cref="FusionPlan"/>) have no buffer.
/// Only values whose gradient can reach a parameter or a data input get a gradient buffer. The
/// gradients of the data inputs (and of views of them) live after the backward arena, in a
/// region the runtime allocates only for <c>Bind(inputsNeedGrad: true)</c>: they must outlive
/// the backward pass, and most networks never ask for them. Labels live in a buffer of their
/// own, one region per labelled loss.
/// </summary>
internal sealed class MemoryPlan
{
    private MemoryPlan(InferredGraph graph, FusionPlan fusion)
    {
        int count = graph.Nodes.Count;
        Fusion = fusion;
        OutputOffset = Enumerable.Repeat(-1, count).ToArray();
        ScratchOffset = Enumerable.Repeat(-1, count).ToArray();
        StateOffset = Enumerable.Repeat(-1, count).ToArray();
        FoldOffset = Enumerable.Repeat(-1, count).ToArray();
        GradientOffset = Enumerable.Repeat(-1, count).ToArray();
        GradientOwner = Enumerable.Repeat(-1, count).ToArray();
        InputGradientOffset = Enumerable.Repeat(-1, count).ToArray();
        LabelOffset = Enumerable.Repeat(-1, count).ToArray();
        KeptAfterForward = new bool[count];
        ReachesLoss = new bool[count];
        NeedsGradient = new bool[count];
    }

    public FusionPlan Fusion { get; }

    /// <summary>Per-sample offset of each node's output in the forward buffer; -1 for a value fused away.</summary>
    public int[] OutputOffset { get; }

    /// <summary>True for values still in their buffer after the forward pass (what a node field can show).</summary>
    public bool[] KeptAfterForward { get; }

    /// <summary>Per-sample offset of each node's forward scratch (a dropout mask), or -1.</summary>
    public int[] ScratchOffset { get; }

    /// <summary>Offset of each node's fixed-size state in the state buffer (BatchNorm's batch statistics), or -1.</summary>
    public int[] StateOffset { get; }

    /// <summary>
    /// For a convolution folded into its BatchNorm for inference, where in the state buffer the
    /// folded weights and biases are computed (weight length + filters floats), or -1.
    /// </summary>
    public int[] FoldOffset { get; }

    /// <summary>Per-sample offset of each node's output gradient, or -1 when none is needed.</summary>
    public int[] GradientOffset { get; }

    /// <summary>The node that owns each gradient buffer: itself, the value a view looks at, or the output of the group a value was fused into.</summary>
    public int[] GradientOwner { get; }

    /// <summary>
    /// For each data input, the per-sample offset of its gradient in the gradient buffer (after
    /// the backward arena: <see cref="GradientFloatsPerSample"/> plus its place among the inputs), or -1.
    /// </summary>
    public int[] InputGradientOffset { get; }

    /// <summary>Per-sample floats of the data inputs' gradients, all inputs together.</summary>
    public int InputGradientFloatsPerSample { get; private set; }

    /// <summary>For each labelled loss, the per-sample offset of its label in the label buffer, or -1.</summary>
    public int[] LabelOffset { get; }

    /// <summary>Per-sample floats of every label together.</summary>
    public int LabelFloatsPerSample { get; private set; }

    /// <summary>True for nodes a loss layer depends on; the others get no backward pass.</summary>
    public bool[] ReachesLoss { get; }

    /// <summary>True for nodes whose output gradient leads to some parameter or data input.</summary>
    public bool[] NeedsGradient { get; }

    /// <summary>Absolute offset of each parameter in the parameter buffer.</summary>
    public Dictionary<string, int> ParameterOffset { get; } = new();

    /// <summary>Absolute offset of each auxiliary state in the auxiliary buffer.</summary>
    public Dictionary<string, int> AuxiliaryOffset { get; } = new();

    public int ActivationFloatsPerSample { get; private set; }

    public int GradientFloatsPerSample { get; private set; }

    public int ParameterFloats { get; private set; }

    public int AuxiliaryFloats { get; private set; }

    /// <summary>Fixed floats of per-node state, whatever the batch size.</summary>
    public int StateFloats { get; private set; }

    /// <summary>Floats one worker thread needs as kernel scratch (the largest over the nodes).</summary>
    public int WorkspaceFloatsPerThread { get; private set; }

    /// <summary>What the forward and backward buffers would take with one buffer per value: no views, no fusion, no reuse.</summary>
    public int NaiveFloatsPerSample { get; private set; }

    /// <summary>The forward arena's requests and placements (for validation).</summary>
    public BufferAllocator ForwardArena { get; } = new();

    /// <summary>The backward arena's requests and placements (for validation).</summary>
    public BufferAllocator GradientArena { get; } = new();

    public int PlannedBytesPerSample => (ActivationFloatsPerSample + GradientFloatsPerSample) * 4;

    public int NaiveBytesPerSample => NaiveFloatsPerSample * 4;

    public static MemoryPlan Build(InferredGraph graph) => Build(graph, FusionPlan.Build(graph));

    public static MemoryPlan Build(InferredGraph graph, FusionPlan fusion)
    {
        var plan = new MemoryPlan(graph, fusion);
        plan.MarkGradientFlow(graph.Nodes);
        plan.PlaceForward(graph);
        plan.PlaceGradients(graph);
        plan.PlaceLabels(graph);
        int state = 0, naive = 0;
        foreach (var node in graph.Nodes)
        {
            // Data inputs' gradients are opt-in (Bind(inputsNeedGrad: true)), so neither plan counts them.
            bool countsGradient = plan.NeedsGradient[node.Index] && node.Op != OpKind.Input;
            naive += node.SampleLength + node.Scratch.PerSample + (countsGradient ? node.SampleLength : 0);
            if (node.Scratch.Fixed > 0)
            {
                plan.StateOffset[node.Index] = Take(ref state, node.Scratch.Fixed);
            }

            plan.WorkspaceFloatsPerThread = System.Math.Max(plan.WorkspaceFloatsPerThread, node.Operator.CpuWorkspacePerThread(node, graph));
            if (fusion.IsFoldedForInference(node.Index))
            {
                plan.FoldOffset[node.Index] = Take(ref state, node.Parameters[0].Length + node.Shape[0]);
                // An inference forward never writes it.
                plan.KeptAfterForward[node.Index] = false;
            }
        }

        int parameters = 0, auxiliary = 0;
        foreach (var p in graph.Parameters)
        {
            plan.ParameterOffset[p.Name] = Take(ref parameters, p.Length);
        }

        foreach (var a in graph.AuxiliaryStates)
        {
            plan.AuxiliaryOffset[a.Name] = Take(ref auxiliary, a.Length);
        }

        plan.ParameterFloats = parameters;
        plan.AuxiliaryFloats = auxiliary;
        plan.StateFloats = state;
        plan.NaiveFloatsPerSample = naive;
        return plan;
    }

    private void PlaceForward(InferredGraph graph)
    {
        var end = Lifetimes.ForwardEnd(graph, Fusion, ReachesLoss);
        var allocator = ForwardArena;
        var value = new Dictionary<int, int>();
        var scratch = new Dictionary<int, int>();
        foreach (var node in graph.Nodes.Where(n => !n.IsView && !Fusion.IsAbsorbed(n.Index)))
        {
            int start = Fusion.Position(node.Index);
            value[node.Index] = allocator.Request(node.SampleLength, start, System.Math.Max(start, end[node.Index]), InPlaceSource(graph, node, end, value));
            if (node.Scratch.PerSample > 0)
            {
                // Kept for the backward pass (a dropout mask).
                scratch[node.Index] = allocator.Request(node.Scratch.PerSample, start, Lifetimes.End);
            }
        }

        var (offsets, size) = allocator.Place();
        foreach (var node in graph.Nodes.Where(n => !Fusion.IsAbsorbed(n.Index)))
        {
            int owner = Lifetimes.Owner(graph, node.Index);
            OutputOffset[node.Index] = offsets[value[owner]];
            KeptAfterForward[node.Index] = end[owner] == Lifetimes.End;
            if (scratch.TryGetValue(node.Index, out int id))
            {
                ScratchOffset[node.Index] = offsets[id];
            }
        }

        ActivationFloatsPerSample = size;
    }

    /// <summary>
    /// The request an element-wise operator may overwrite: its input's, when the input's last
    /// reader is this operator (relu after a pooling writes over the pooling's output).
    /// </summary>
    private int InPlaceSource(InferredGraph graph, InferredNode node, int[] end, Dictionary<int, int> value)
    {
        if ((node.Traits & OpTraits.InPlace) == 0 || Fusion.GroupOf(node.Index)!.IsFused)
        {
            return -1;
        }

        int source = Lifetimes.Owner(graph, node.Input);
        return end[source] == Fusion.Position(node.Index) && graph.Nodes[source].SampleLength == node.SampleLength ? value[source] : -1;
    }

    private void PlaceGradients(InferredGraph graph)
    {
        var allocator = GradientArena;
        var request = new Dictionary<int, int>();
        foreach (var node in graph.Nodes.Where(n => NeedsGradient[n.Index]))
        {
            int owner = Lifetimes.Owner(graph, node.Index);
            if (Fusion.IsAbsorbed(owner) || Fusion.GroupOf(owner)?.Region?.Producer == owner)
            {
                // Its group rebuilds this gradient in the buffer of the group's output (a dense
                // layer's under its generated epilogue too: the region's backward kernel reads each
                // element of the output's gradient before it writes the layer's).
                owner = Fusion.GroupOf(owner)!.Output;
            }

            GradientOwner[node.Index] = owner;
            if (owner == node.Index && node.Op != OpKind.Input)
            {
                int start = Fusion.Position(node.Index);
                request[node.Index] = allocator.Request(node.SampleLength, start, System.Math.Max(start, Lifetimes.GradientEnd(graph, Fusion, node.Index)));
            }
        }

        var (offsets, size) = allocator.Place();
        GradientFloatsPerSample = size;

        // Every data input has a region, so an input no loss reaches reads as a zero gradient.
        int inputs = size;
        foreach (var input in graph.Nodes.Where(n => n.Op == OpKind.Input))
        {
            InputGradientOffset[input.Index] = Take(ref inputs, input.SampleLength);
        }

        InputGradientFloatsPerSample = inputs - size;
        foreach (var node in graph.Nodes.Where(n => NeedsGradient[n.Index]))
        {
            int owner = GradientOwner[node.Index];
            GradientOffset[node.Index] = graph.Nodes[owner].Op == OpKind.Input ? InputGradientOffset[owner] : offsets[request[owner]];
        }
    }

    private void PlaceLabels(InferredGraph graph)
    {
        int labels = 0;
        foreach (var node in graph.Nodes.Where(n => n.HasLabel))
        {
            LabelOffset[node.Index] = Take(ref labels, Shapes.Product(node.Label!.Shape));
        }

        LabelFloatsPerSample = labels;
    }

    /// <summary>True when <paramref name="node"/>'s gradient is a data input's (or a view of one): it lives in the opt-in region.</summary>
    public bool IsInputGradient(InferredGraph graph, int node)
        => GradientOwner[node] >= 0 && graph.Nodes[GradientOwner[node]].Op == OpKind.Input;

    private void MarkGradientFlow(IReadOnlyList<InferredNode> nodes)
    {
        // Readers come after what they read, so one reverse sweep finds what feeds a loss.
        for (int i = nodes.Count - 1; i >= 0; i--)
        {
            ReachesLoss[i] |= nodes[i].IsLoss;
            if (ReachesLoss[i] && !StopsGradient(nodes[i]))
            {
                foreach (int input in nodes[i].Inputs)
                {
                    ReachesLoss[input] = true;
                }
            }
        }

        // A forward sweep finds which values have a parameter or a data input at or above them.
        var hasParameterAbove = new bool[nodes.Count];
        foreach (var node in nodes)
        {
            // A data input counts: its gradient is there for Bind(inputsNeedGrad: true).
            hasParameterAbove[node.Index] = node.Parameters.Count > 0 || node.Op == OpKind.Input || (!StopsGradient(node) && node.Inputs.Any(i => hasParameterAbove[i]));
            NeedsGradient[node.Index] = ReachesLoss[node.Index] && !node.IsLoss && hasParameterAbove[node.Index];
        }
    }

    /// <summary>BlockGrad: no gradient flows through it.</summary>
    public static bool StopsGradient(InferredNode node) => (node.Traits & OpTraits.StopsGradient) != 0;

    private static int Take(ref int cursor, int length)
    {
        int offset = cursor;
        cursor += length;
        return offset;
    }
}

using System.Collections.Generic;
using System.Linq;

namespace Nxt.Generators.Graph;

/// <summary>
/// The static memory plan: where every forward value, dropout mask, gradient and parameter
/// lives. Batched buffers have offsets per sample (the runtime multiplies by the batch size),
/// so one plan serves every batch size and is allocated once at <c>Bind</c>.
/// Views cost nothing: <c>Flatten</c> shares its input's buffer and gradient.
/// Only values whose gradient can reach a parameter get a gradient buffer.
/// </summary>
internal sealed class MemoryPlan
{
    private MemoryPlan(InferredGraph graph)
    {
        int count = graph.Nodes.Count;
        OutputOffset = new int[count];
        MaskOffset = Enumerable.Repeat(-1, count).ToArray();
        GradientOffset = Enumerable.Repeat(-1, count).ToArray();
        ReachesLoss = new bool[count];
        NeedsGradient = new bool[count];
    }

    /// <summary>Per-sample offset of each node's output in the forward buffer.</summary>
    public int[] OutputOffset { get; }

    /// <summary>Per-sample offset of each dropout node's mask, or -1.</summary>
    public int[] MaskOffset { get; }

    /// <summary>Per-sample offset of each node's output gradient, or -1 when none is needed.</summary>
    public int[] GradientOffset { get; }

    /// <summary>True for nodes a loss layer depends on; the others get no backward pass.</summary>
    public bool[] ReachesLoss { get; }

    /// <summary>True for nodes whose output gradient leads to some parameter.</summary>
    public bool[] NeedsGradient { get; }

    /// <summary>Absolute offset of each parameter in the parameter buffer.</summary>
    public Dictionary<string, int> ParameterOffset { get; } = new();

    public int ActivationFloatsPerSample { get; private set; }

    public int GradientFloatsPerSample { get; private set; }

    public int ParameterFloats { get; private set; }

    /// <summary>What the forward and backward buffers would take with one buffer per value and no views.</summary>
    public int NaiveFloatsPerSample { get; private set; }

    public static MemoryPlan Build(InferredGraph graph)
    {
        var plan = new MemoryPlan(graph);
        var nodes = graph.Nodes;
        plan.MarkGradientFlow(nodes);
        int forward = 0, backward = 0, naive = 0;
        foreach (var node in nodes)
        {
            bool isView = node.Op == OpKind.Flatten;
            plan.OutputOffset[node.Index] = isView ? plan.OutputOffset[node.Input] : Take(ref forward, node.SampleLength);
            naive += node.SampleLength;
            if (node.Op == OpKind.Dropout)
            {
                plan.MaskOffset[node.Index] = Take(ref forward, node.SampleLength);
                naive += node.SampleLength;
            }

            if (plan.NeedsGradient[node.Index])
            {
                plan.GradientOffset[node.Index] = isView ? plan.GradientOffset[node.Input] : Take(ref backward, node.SampleLength);
                naive += node.SampleLength;
            }
        }

        int parameters = 0;
        foreach (var p in graph.Parameters)
        {
            plan.ParameterOffset[p.Name] = Take(ref parameters, p.Length);
        }

        plan.ActivationFloatsPerSample = forward;
        plan.GradientFloatsPerSample = backward;
        plan.ParameterFloats = parameters;
        plan.NaiveFloatsPerSample = naive;
        return plan;
    }

    private void MarkGradientFlow(IReadOnlyList<InferredNode> nodes)
    {
        // Consumers come after producers, so one reverse sweep finds what feeds a loss.
        for (int i = nodes.Count - 1; i >= 0; i--)
        {
            if (nodes[i].IsLoss)
            {
                ReachesLoss[i] = true;
            }

            if (ReachesLoss[i] && nodes[i].Input >= 0)
            {
                ReachesLoss[nodes[i].Input] = true;
            }
        }

        // A forward sweep finds which values have a parameter at or above them.
        var hasParameterAbove = new bool[nodes.Count];
        foreach (var node in nodes)
        {
            hasParameterAbove[node.Index] = node.Parameters.Count > 0 || (node.Input >= 0 && hasParameterAbove[node.Input]);
            NeedsGradient[node.Index] = ReachesLoss[node.Index] && !node.IsLoss && hasParameterAbove[node.Index];
        }
    }

    private static int Take(ref int cursor, int length)
    {
        int offset = cursor;
        cursor += length;
        return offset;
    }
}

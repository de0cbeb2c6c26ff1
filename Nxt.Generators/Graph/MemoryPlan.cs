using System.Collections.Generic;
using System.Linq;

namespace Nxt.Generators.Graph;

/// <summary>
/// The static memory plan: where every forward value, scratch buffer, gradient, parameter and
/// auxiliary state lives. Batched buffers have offsets per sample (the runtime multiplies by
/// the batch size), so one plan serves every batch size and is allocated once at <c>Bind</c>.
/// Views cost nothing: <c>Flatten</c> and <c>Reshape</c> share their input's buffer and
/// gradient. Only values whose gradient can reach a parameter get a gradient buffer.
/// </summary>
internal sealed class MemoryPlan
{
    private MemoryPlan(int count)
    {
        OutputOffset = new int[count];
        ScratchOffset = Enumerable.Repeat(-1, count).ToArray();
        StateOffset = Enumerable.Repeat(-1, count).ToArray();
        GradientOffset = Enumerable.Repeat(-1, count).ToArray();
        ReachesLoss = new bool[count];
        NeedsGradient = new bool[count];
    }

    /// <summary>Per-sample offset of each node's output in the forward buffer.</summary>
    public int[] OutputOffset { get; }

    /// <summary>Per-sample offset of each node's forward scratch (a dropout mask), or -1.</summary>
    public int[] ScratchOffset { get; }

    /// <summary>Offset of each node's fixed-size state in the state buffer (BatchNorm's batch statistics), or -1.</summary>
    public int[] StateOffset { get; }

    /// <summary>Per-sample offset of each node's output gradient, or -1 when none is needed.</summary>
    public int[] GradientOffset { get; }

    /// <summary>True for nodes a loss layer depends on; the others get no backward pass.</summary>
    public bool[] ReachesLoss { get; }

    /// <summary>True for nodes whose output gradient leads to some parameter.</summary>
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

    /// <summary>What the forward and backward buffers would take with one buffer per value and no views.</summary>
    public int NaiveFloatsPerSample { get; private set; }

    public static MemoryPlan Build(InferredGraph graph)
    {
        var nodes = graph.Nodes;
        var plan = new MemoryPlan(nodes.Count);
        plan.MarkGradientFlow(nodes);
        int forward = 0, backward = 0, state = 0, naive = 0;
        foreach (var node in nodes)
        {
            plan.OutputOffset[node.Index] = node.IsView ? plan.OutputOffset[node.Input] : Take(ref forward, node.SampleLength);
            naive += node.SampleLength;
            if (node.Scratch.PerSample > 0)
            {
                plan.ScratchOffset[node.Index] = Take(ref forward, node.Scratch.PerSample);
                naive += node.Scratch.PerSample;
            }

            if (node.Scratch.Fixed > 0)
            {
                plan.StateOffset[node.Index] = Take(ref state, node.Scratch.Fixed);
            }

            plan.WorkspaceFloatsPerThread = System.Math.Max(plan.WorkspaceFloatsPerThread, node.Scratch.PerThread);
            if (plan.NeedsGradient[node.Index])
            {
                plan.GradientOffset[node.Index] = node.IsView ? plan.GradientOffset[node.Input] : Take(ref backward, node.SampleLength);
                naive += node.SampleLength;
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

        plan.ActivationFloatsPerSample = forward;
        plan.GradientFloatsPerSample = backward;
        plan.ParameterFloats = parameters;
        plan.AuxiliaryFloats = auxiliary;
        plan.StateFloats = state;
        plan.NaiveFloatsPerSample = naive;
        return plan;
    }

    private void MarkGradientFlow(IReadOnlyList<InferredNode> nodes)
    {
        // Readers come after what they read, so one reverse sweep finds what feeds a loss.
        for (int i = nodes.Count - 1; i >= 0; i--)
        {
            ReachesLoss[i] |= nodes[i].IsLoss;
            if (ReachesLoss[i] && nodes[i].Op != OpKind.BlockGrad) // BlockGrad stops the gradient
            {
                foreach (int input in nodes[i].Inputs)
                {
                    ReachesLoss[input] = true;
                }
            }
        }

        // A forward sweep finds which values have a parameter at or above them.
        var hasParameterAbove = new bool[nodes.Count];
        foreach (var node in nodes)
        {
            hasParameterAbove[node.Index] = node.Parameters.Count > 0 || (node.Op != OpKind.BlockGrad && node.Inputs.Any(i => hasParameterAbove[i]));
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

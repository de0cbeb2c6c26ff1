using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;

namespace Nxt.Generators.Planning;

/// <summary>
/// When each buffer is live, in plan positions (a group runs at its output's declaration index;
/// inputs are written at -1, before the plan). A forward value lives from the group that writes
/// it to the last group that reads it, or to the end when it is an output or a backward step
/// reads it. A value's gradient lives, in the backward plan (which runs the positions in
/// reverse), from the last reader's backward step, which writes it, to its own group's, which
/// reads it. Views (Flatten, Reshape) share their input's buffer and gradient, so they extend
/// its lifetime; absorbed values have none.
/// </summary>
internal static class Lifetimes
{
    public const int End = int.MaxValue;

    /// <summary>The node whose buffer holds <paramref name="node"/>'s value: itself, or the value a view looks at.</summary>
    public static int Owner(InferredGraph graph, int node)
    {
        while (graph.Nodes[node].IsView)
        {
            node = graph.Nodes[node].Input;
        }

        return node;
    }

    /// <summary>The last position that reads each stored value (-1 for none), <see cref="End"/> for kept ones.</summary>
    public static int[] ForwardEnd(InferredGraph graph, FusionPlan fusion, bool[] reachesLoss)
    {
        var end = graph.Nodes.Select(n => fusion.Position(n.Index)).ToArray();
        var readInBackward = ReadInBackward(graph, fusion, reachesLoss);
        foreach (var node in graph.Nodes)
        {
            int owner = Owner(graph, node.Index);
            bool kept = node.Op == OpKind.Input || node.IsLoss || node.Spec.IsOutput || graph.Outputs.Contains(node.Index) || readInBackward.Contains(node.Index);
            end[owner] = kept ? End : System.Math.Max(end[owner], LastReader(graph, fusion, node.Index));
        }

        return end;
    }

    /// <summary>The last backward position that writes each gradient: its last reader's.</summary>
    public static int GradientEnd(InferredGraph graph, FusionPlan fusion, int owner)
        => graph.Nodes.Where(n => Owner(graph, n.Index) == owner).Select(n => LastReader(graph, fusion, n.Index)).Max();

    private static int LastReader(InferredGraph graph, FusionPlan fusion, int value)
    {
        int last = -1;
        foreach (var reader in graph.Nodes.Where(n => n.Inputs.Contains(value)))
        {
            last = System.Math.Max(last, fusion.Position(reader.Index));
        }

        return last;
    }

    /// <summary>
    /// The values some backward step reads (besides gradients): kept to the end of the
    /// forward pass in a training plan. Absorbed values are never read: the rules make sure.
    /// </summary>
    private static HashSet<int> ReadInBackward(InferredGraph graph, FusionPlan fusion, bool[] reachesLoss)
    {
        var read = new HashSet<int>();
        foreach (var group in fusion.Groups.Where(g => reachesLoss[g.Output]))
        {
            if (group.Region is not null)
            {
                // A generated backward kernel recomputes the members' values it needs from the
                // inputs; then the layer whose epilogue the region is runs its own backward.
                read.UnionWith(group.Region.BackwardReads(graph));
                if (group.Region.Producer >= 0)
                {
                    var layer = graph.Nodes[group.Region.Producer];
                    read.UnionWith(layer.Operator.BackwardReads(layer));
                }

                continue;
            }

            // A fused group's backward is the producer's own (over the group's output gradient)
            // after the activation's derivative, which reads the group's output.
            var producer = graph.Nodes[group.Producer];
            foreach (int value in producer.Operator.BackwardReads(producer))
            {
                read.Add(value);
            }

            if (group.Activation >= 0)
            {
                read.Add(group.Output);
            }
        }

        return read;
    }
}

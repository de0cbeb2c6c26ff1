using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Plans;
using Nxt.Generators.Planning;

namespace Nxt.Generators.Emit;

/// <summary>
/// Where the backward plan tells the module how far the parameter gradients are final. The
/// parameters lie in forward order, so the backward pass finishes them roughly from the end of
/// the buffer to its start; after each group the plan reports the longest final tail
/// (every parameter from some offset to the end), when it has grown and not yet reached the start
/// (the module handles the whole buffer when the pass ends). A parameter is final after the last
/// group in backward order that owns it; one that no group owns (its node does not reach a loss)
/// is never written, so final from the beginning.
/// </summary>
internal sealed class GradientReadiness
{
    private readonly List<(int Offset, string Name, int LastGroup)> _byOffset;
    private int _reported;

    public GradientReadiness(InferredGraph graph, MemoryPlan plan, IReadOnlyList<FusedGroup> backwardGroups)
    {
        var lastGroup = new Dictionary<string, int>();
        for (int k = 0; k < backwardGroups.Count; k++)
        {
            foreach (int member in backwardGroups[k].Members)
            {
                foreach (var p in graph.Nodes[member].Parameters)
                {
                    lastGroup[p.Name] = k;
                }
            }
        }

        _byOffset = graph.Parameters
            .Select(p => (plan.ParameterOffset[p.Name], p.Name, lastGroup.TryGetValue(p.Name, out int k) ? k : -1))
            .OrderBy(p => p.Item1)
            .ToList();
        _reported = _byOffset.Count;
    }

    /// <summary>After the backward group at <paramref name="group"/> (an index in backward order): reports a grown final tail.</summary>
    public void After(int group, PlanSteps steps)
    {
        int first = _reported;
        while (first > 0 && _byOffset[first - 1].LastGroup <= group)
        {
            first--;
        }

        if (first == _reported || first == 0)
        {
            return;
        }

        _reported = first;
        steps.GradientsReady(_byOffset[first].Offset, _byOffset[first].Name, _byOffset[_byOffset.Count - 1].Name);
    }
}

using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Plans;
using Nxt.Generators.Planning;

namespace Nxt.Generators.Emit;

/// <summary>
/// A network inferred, fused, planned and turned into statements, once: the CPU module and the
/// ILGPU plan are both rendered from it.
/// </summary>
internal sealed class NetworkPlan
{
    private NetworkPlan(InferredGraph graph, MemoryPlan memory)
    {
        Graph = graph;
        Memory = memory;
        var kernels = memory.Fusion.Groups.Where(g => g.Region is not null).ToDictionary(g => g.Output, g => new RegionKernel(graph, g.Region!));
        ForwardSteps = PlanBuilder.Forward(graph, memory, kernels);
        BackwardSteps = PlanBuilder.Backward(graph, memory, kernels);
        Kernels = kernels.Values.OrderBy(k => k.Region.Output).ToList();
    }

    public InferredGraph Graph { get; }

    public MemoryPlan Memory { get; }

    public IReadOnlyList<Statement> ForwardSteps { get; }

    public IReadOnlyList<Statement> BackwardSteps { get; }

    /// <summary>The generated element-wise kernels the plans call, in plan order.</summary>
    public IReadOnlyList<RegionKernel> Kernels { get; }

    /// <summary>The plan, or null where the network has build errors.</summary>
    public static NetworkPlan? Build(NetworkSpec spec)
    {
        var (graph, _) = ShapeInference.Run(spec);
        return graph is null ? null : new NetworkPlan(graph, MemoryPlan.Build(graph));
    }
}

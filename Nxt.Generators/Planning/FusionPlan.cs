using System;
using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Operators;

namespace Nxt.Generators.Planning;

/// <summary>
/// The kernels a plan runs: the graph's operators partitioned into <see cref="FusedGroup"/>s
/// by the fusion passes, in execution order. Each pass applies one rule wherever it matches,
/// then the partition is validated, so a wrong rule fails the build of the generator's tests,
/// not a user's training run. With fusion off every operator is its own group.
/// </summary>
internal sealed class FusionPlan
{
    private readonly int[] _groupOf;

    private FusionPlan(InferredGraph graph, IReadOnlyList<FusedGroup> groups)
    {
        Groups = groups;
        _groupOf = Enumerable.Repeat(-1, graph.Nodes.Count).ToArray();
        for (int g = 0; g < groups.Count; g++)
        {
            foreach (int member in groups[g].Members)
            {
                _groupOf[member] = g;
            }
        }
    }

    /// <summary>The groups in execution order (by the declaration index of their output); inputs have none.</summary>
    public IReadOnlyList<FusedGroup> Groups { get; }

    /// <summary>The group a node runs in, or null for an input.</summary>
    public FusedGroup? GroupOf(int node) => _groupOf[node] < 0 ? null : Groups[_groupOf[node]];

    /// <summary>Where a node's kernel runs in the plan: its group's output index (-1 for inputs, which are copied in before).</summary>
    public int Position(int node) => _groupOf[node] < 0 ? -1 : Groups[_groupOf[node]].Output;

    /// <summary>True for a node whose value exists only inside its group's kernel.</summary>
    public bool IsAbsorbed(int node) => _groupOf[node] >= 0 && !Groups[_groupOf[node]].Stores(node);

    public static FusionPlan Build(InferredGraph graph)
    {
        var groups = graph.Nodes.Where(n => n.Op != OpKind.Input).Select(n => new FusedGroup(n.Index)).ToList();
        Validate(graph, groups, "unfused");
        if (!graph.Spec.Fuse)
        {
            return new FusionPlan(graph, groups);
        }

        var context = new FusionContext(graph);
        groups = Pass(graph, groups, context, FusionRules.ResidualEpilogue);
        Validate(graph, groups, nameof(FusionRules.ResidualEpilogue));
        groups = Pass(graph, groups, context, FusionRules.ActivationEpilogue);
        Validate(graph, groups, nameof(FusionRules.ActivationEpilogue));
        groups = FoldPass(graph, groups, context);
        Validate(graph, groups, nameof(FusionRules.BatchNormFold));
        groups = RegionPass(graph, groups, context);
        Validate(graph, groups, nameof(ElementwiseRegion));
        groups = GeneratedEpiloguePass(graph, groups, context);
        Validate(graph, groups, nameof(GeneratedEpiloguePass));
        return new FusionPlan(graph, groups);
    }

    /// <summary>
    /// One pass: for each node in order, if a rule merges the group producing one of its inputs
    /// with it, the merged group replaces both. Later inputs are tried first, so an add whose
    /// operands both qualify absorbs the one computed last.
    /// </summary>
    private static List<FusedGroup> Pass(InferredGraph graph, List<FusedGroup> groups, FusionContext context, Func<FusedGroup, InferredNode, FusionContext, FusedGroup?> rule)
    {
        var byOutput = groups.ToDictionary(g => g.Output);
        foreach (var node in graph.Nodes)
        {
            if (!byOutput.TryGetValue(node.Index, out var own) || own.IsFused)
            {
                continue;
            }

            foreach (int input in node.Inputs.Distinct().OrderByDescending(i => i))
            {
                if (byOutput.TryGetValue(input, out var producer) && rule(producer, node, context) is { } merged)
                {
                    byOutput.Remove(input);
                    byOutput[node.Index] = merged;
                    break;
                }
            }
        }

        return byOutput.Values.OrderBy(g => g.Output).ToList();
    }

    /// <summary>
    /// The element-wise pass, after the epilogue rules (so a producer keeps the residual add and
    /// activation it absorbed): each region of element-wise operators replaces the groups of its members.
    /// </summary>
    private static List<FusedGroup> RegionPass(InferredGraph graph, List<FusedGroup> groups, FusionContext context)
    {
        // A lone operator is a region only where it can run as a layer's generated epilogue
        // (gelu after a dense layer) and no built-in epilogue holds it already; nor is what a
        // built-in epilogue holds (an add and its relu) a region by itself: it stores less as it is.
        var byOutput = groups.ToDictionary(g => g.Output);
        bool BuiltInEpilogue(ElementwiseRegion region) => groups.Any(g => !region.Members.Contains(g.Producer) && region.Members.All(g.Members.Contains));
        var regions = ElementwiseRegion.Find(graph, groups, context)
            .Where(r => (r.Members.Count > 1 && !BuiltInEpilogue(r)) || (byOutput.TryGetValue(r.Output, out var own) && !own.IsFused && EpilogueProducer(graph, byOutput, r, context) >= 0))
            .ToList();
        var inRegion = new HashSet<int>(regions.SelectMany(r => r.Members));

        // A layer whose activation left for a region runs alone again (the next pass may make the region its epilogue).
        var leftAlone = groups.Where(g => g.Members.Any(inRegion.Contains)).SelectMany(g => g.Members).Where(m => !inRegion.Contains(m));
        return groups.Where(g => !g.Members.Any(inRegion.Contains))
            .Concat(leftAlone.Select(m => new FusedGroup(m)))
            .Concat(regions.Select(r => new FusedGroup(r.Members[0], Region: r)))
            .OrderBy(g => g.Output)
            .ToList();
    }

    /// <summary>
    /// The generated-epilogue pass: a region that reads a dense layer's or a convolution's output, and is that
    /// output's only reader, runs as the layer's epilogue (<see cref="ElementwiseRegion.Producer"/>);
    /// of several such layers, the last. The layer's group joins the region's.
    /// </summary>
    private static List<FusedGroup> GeneratedEpiloguePass(InferredGraph graph, List<FusedGroup> groups, FusionContext context)
    {
        var byOutput = groups.ToDictionary(g => g.Output);
        foreach (var group in groups.Where(g => g.Region is not null))
        {
            var region = group.Region!;
            int producer = EpilogueProducer(graph, byOutput, region, context);
            if (producer >= 0)
            {
                byOutput.Remove(producer);
                byOutput[group.Output] = new FusedGroup(producer, Region: region.WithProducer(producer));
            }
        }

        return byOutput.Values.OrderBy(g => g.Output).ToList();
    }

    /// <summary>The last dense layer or convolution the region reads whose value only the region reads, alone in its group; or -1.</summary>
    private static int EpilogueProducer(InferredGraph graph, Dictionary<int, FusedGroup> byOutput, ElementwiseRegion region, FusionContext context)
        => region.Inputs
            .Where(i => byOutput.TryGetValue(i, out var own) && !own.IsFused && own.Folded < 0 && graph.Nodes[i].Operator is IGeneratedEpilogueProducer)
            .Where(i => context.Readers(i).All(region.Members.Contains) && !graph.Nodes[i].Spec.IsOutput && !graph.Outputs.Contains(i) && graph.Nodes[i].Shape.Equals(graph.Nodes[region.Output].Shape))
            .DefaultIfEmpty(-1)
            .Max();

    /// <summary>True for a convolution whose inference forward runs inside a later BatchNorm group.</summary>
    public bool IsFoldedForInference(int node) => Groups.Any(g => g.Folded == node);

    /// <summary>
    /// The fold pass: both groups stay (training runs them as they are); the BatchNorm group
    /// records the convolution its inference forward computes.
    /// </summary>
    private static List<FusedGroup> FoldPass(InferredGraph graph, List<FusedGroup> groups, FusionContext context)
    {
        var byOutput = groups.ToDictionary(g => g.Output);
        return groups.Select(group =>
        {
            var batchNorm = graph.Nodes[group.Producer];
            return batchNorm.Op == OpKind.BatchNorm && byOutput.TryGetValue(batchNorm.Input, out var convolution)
                && FusionRules.BatchNormFold(convolution, batchNorm, context)
                ? group with { Folded = convolution.Producer }
                : group;
        }).ToList();
    }

    /// <summary>
    /// The invariants every pass keeps: each operator in exactly one group; each absorbed value
    /// read only by the next member of its group and not an output; and each group reads only
    /// stored values computed before it runs.
    /// </summary>
    private static void Validate(InferredGraph graph, IReadOnlyList<FusedGroup> groups, string pass)
    {
        var context = new FusionContext(graph);
        var seen = new int[graph.Nodes.Count];
        var absorbed = new bool[graph.Nodes.Count];
        foreach (var group in groups)
        {
            var members = group.Members.ToList();
            if (group.Region is not null)
            {
                if (group.Region.Producer >= 0)
                {
                    // The layer stores its value for the region's backward.
                    var producer = graph.Nodes[group.Region.Producer];
                    seen[producer.Index]++;
                    Check(producer.Operator is IGeneratedEpilogueProducer && group.Region.Inputs.Contains(producer.Index) && context.Readers(producer.Index).All(group.Region.Members.Contains), pass, $"{producer.Name} runs {group.Label(graph)} as its epilogue but is read elsewhere or cannot");
                }

                // A region's values are read inside it only, but for its output.
                foreach (int member in group.Region.Members.Take(group.Region.Members.Count - 1))
                {
                    seen[member]++;
                    absorbed[member] = true;
                    var node = graph.Nodes[member];
                    bool inside = context.Readers(member).All(members.Contains) && !node.Spec.IsOutput && !node.IsLoss && !graph.Outputs.Contains(member);
                    Check(inside && ElementwiseRegion.IsElementwise(node), pass, $"{node.Name} is absorbed into {group.Label(graph)} but is read elsewhere, is an output or is not element-wise");
                }

                seen[group.Output]++;
                continue;
            }

            for (int k = 0; k < members.Count; k++)
            {
                seen[members[k]]++;
                if (k + 1 < members.Count)
                {
                    absorbed[members[k]] = true;
                    Check(context.CanAbsorb(members[k], graph.Nodes[members[k + 1]]), pass, $"{graph.Nodes[members[k]].Name} is absorbed into {group.Label(graph)} but is read elsewhere or is an output");
                }
            }
        }

        foreach (var node in graph.Nodes)
        {
            Check(seen[node.Index] == (node.Op == OpKind.Input ? 0 : 1), pass, $"{node.Name} is in {seen[node.Index]} groups");
        }

        foreach (var group in groups.Where(g => g.Folded >= 0))
        {
            var conv = graph.Nodes[group.Folded];
            Check(conv.Op == OpKind.Convolution && context.CanAbsorb(conv.Index, graph.Nodes[group.Producer]) && groups.Any(g => g.Producer == conv.Index && !g.IsFused), pass, $"{conv.Name} is folded into {group.Label(graph)} but is not a lone convolution read only by it");
        }

        foreach (var group in groups)
        {
            var members = new HashSet<int>(group.Members);
            foreach (int input in members.SelectMany(m => graph.Nodes[m].Inputs).Where(i => !members.Contains(i)))
            {
                Check(!absorbed[input] && input < group.Output, pass, $"{group.Label(graph)} reads {graph.Nodes[input].Name}, which is not stored before it runs");
            }
        }
    }

    private static void Check(bool condition, string pass, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"Fusion pass {pass} broke the plan: {message}.");
        }
    }
}

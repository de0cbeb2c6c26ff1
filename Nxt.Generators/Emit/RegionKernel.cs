using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Model;
using Nxt.Generators.Operators;
using Nxt.Generators.Operators.Expressions;
using Nxt.Generators.Planning;

namespace Nxt.Generators.Emit;

/// <summary>
/// One generated element-wise kernel pair as the plans call it: the region, the names its
/// arguments and locals take, and for its backward which inputs get a gradient and whether each
/// adds to a gradient a later step wrote (the plan decides that as it builds the backward pass).
/// </summary>
internal sealed class RegionKernel
{
    private static readonly HashSet<string> s_reserved = new() { "i", "length", "views" };
    private readonly Dictionary<int, string> _base = new();

    public RegionKernel(InferredGraph graph, ElementwiseRegion region)
    {
        Graph = graph;
        Region = region;
        var nodes = region.Inputs.Concat(region.Members).ToList();
        foreach (int node in nodes)
        {
            _base[node] = NetworkEmitter.Identifier(graph.Nodes[node].Name);
        }

        // Node names are the locals' names; where one would clash with another's (a node named
        // like another's buffer, or like the loop's own locals), every local is named by index.
        var all = nodes.SelectMany(n => new[] { Value(n), Adjoint(n), Span(n), GradientSpan(n), Ref(n), GradientRef(n) }).ToList();
        if (all.Distinct().Count() != all.Count || all.Any(s_reserved.Contains) || all.Any(n => n.StartsWith("c", System.StringComparison.Ordinal) && int.TryParse(n.Substring(1), out _)))
        {
            foreach (int node in nodes)
            {
                _base[node] = "v" + SourceWriter.Int(node);
            }
        }

        Name = _base[region.Output].TrimStart('@');
        BackwardValues = region.BackwardValues(graph);
        BackwardInputs = region.BackwardReads(graph);
    }

    /// <summary>The inputs and members the backward kernel loads or recomputes: those some derivative needs.</summary>
    public ISet<int> BackwardValues { get; }

    /// <summary>The inputs the backward kernel reads (<see cref="ElementwiseRegion.BackwardReads"/>).</summary>
    public IReadOnlyList<int> BackwardInputs { get; }

    public InferredGraph Graph { get; }

    public ElementwiseRegion Region { get; }

    /// <summary>The kernels' name stem: the output's name (<c>act1Forward</c>, <c>act1Backward</c>).</summary>
    public string Name { get; }

    /// <summary>For each input, whether the backward kernel computes its gradient.</summary>
    public IReadOnlyList<bool> Wanted { get; private set; } = System.Array.Empty<bool>();

    /// <summary>For each input, whether its gradient adds to what a later step wrote.</summary>
    public IReadOnlyList<bool> Accumulate { get; private set; } = System.Array.Empty<bool>();

    /// <summary>Whether the backward plan calls the backward kernel.</summary>
    public bool HasBackward { get; private set; }

    public void SetBackward(IReadOnlyList<bool> wanted, IReadOnlyList<bool> accumulate)
    {
        Wanted = wanted;
        Accumulate = accumulate;
        HasBackward = true;
    }

    public string Value(int node) => _base[node];

    public string Adjoint(int node) => "d_" + _base[node].TrimStart('@');

    public string Span(int node) => _base[node].TrimStart('@') + "_out";

    public string GradientSpan(int node) => _base[node].TrimStart('@') + "_grad";

    public string Ref(int node) => _base[node].TrimStart('@') + "_ref";

    public string GradientRef(int node) => _base[node].TrimStart('@') + "_grad_ref";

    /// <summary>A member's value from its inputs' locals.</summary>
    public Expr Forward(int member)
    {
        var node = Graph.Nodes[member];
        return ((IElementwiseOperator)node.Operator).Forward(node.Spec.Params, node.Inputs.Select(i => Expr.Named(Value(i))).ToList());
    }

    /// <summary>A member's contributions to its inputs' gradients, from its own value and gradient.</summary>
    public IReadOnlyList<Expr> Gradients(int member)
    {
        var node = Graph.Nodes[member];
        var inputs = node.Inputs.Select(i => Expr.Named(Value(i))).ToList();
        return ((IElementwiseOperator)node.Operator).Gradients(node.Spec.Params, inputs, Expr.Named(Value(member)), Expr.Named(Adjoint(member)));
    }

    /// <summary>The members as MXNet writes them, a line each: <c>act1 = elemwise_mul(fc1, sig1)</c>.</summary>
    public IEnumerable<string> Formulas()
        => Region.Members.Select(m => Graph.Nodes[m]).Select(n => $"{n.Name} = {NetworkEmitter.Describe(n)}({string.Join(", ", n.Inputs.Select(i => Graph.Nodes[i].Name))})");

    /// <summary>Memory passes over the region's shape: one kernel per operator reads each input and writes its output; this one reads the inputs and writes the output once.</summary>
    public (int Unfused, int Fused) ForwardPasses()
        => (Region.Members.Sum(m => Graph.Nodes[m].Inputs.Count + 1), Region.Inputs.Count + 1);
}

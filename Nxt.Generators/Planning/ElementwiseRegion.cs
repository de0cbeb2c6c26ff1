using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Model;
using Nxt.Generators.Operators;
using Nxt.Generators.Operators.Expressions;

namespace Nxt.Generators.Planning;

/// <summary>
/// Element-wise operators of one shape that run as one generated kernel: a chain or DAG whose
/// values are all read only inside it, but for its last member (<see cref="Output"/>), the one
/// value it stores. Forward, the kernel reads <see cref="Inputs"/> once and writes the output
/// once, the members' values living in registers. Backward, it reads the output's gradient and
/// the inputs some derivative needs (<see cref="BackwardReads"/>) and writes the inputs'
/// gradients, recomputing the member values those derivatives read on the way. The rule: an
/// element-wise value costs a few instructions to rebuild and a memory pass to keep, so a region
/// keeps none but its output. Its members' <see cref="Parameters"/> (a <c>[Variable]</c>'s value,
/// PReLU's slopes) hold one value per element of a sample, or per channel, broadcast over the
/// batch (and a channel's plane): the kernel reads them at each element's position in its
/// sample, and sums their gradients over the batch.
/// </summary>
internal sealed class ElementwiseRegion
{
    private ElementwiseRegion(IReadOnlyList<int> members, IReadOnlyList<int> inputs, IReadOnlyList<ParameterInfo> parameters, int producer = -1)
    {
        Members = members;
        Inputs = inputs;
        Parameters = parameters;
        Producer = producer;
    }

    /// <summary>The members in data-flow order.</summary>
    public IReadOnlyList<int> Members { get; }

    /// <summary>The values it reads from outside, in the order its members first read them.</summary>
    public IReadOnlyList<int> Inputs { get; }

    /// <summary>The members' parameters, in member order: each one value per element of a sample, or per channel.</summary>
    public IReadOnlyList<ParameterInfo> Parameters { get; }

    public int Output => Members[Members.Count - 1];

    /// <summary>
    /// The dense layer or convolution whose kernel runs the region as its epilogue, or -1. It is one of
    /// <see cref="Inputs"/>: its value is still stored (the region's backward reads it), but no
    /// kernel of its own writes it, and the region reads it from cache.
    /// </summary>
    public int Producer { get; }

    /// <summary>
    /// A member's operands as <see cref="IElementwiseOperator"/> takes them: its inputs, then its parameters.
    /// </summary>
    public static List<Expr> Operands(InferredNode member, System.Func<int, Expr> node, System.Func<ParameterInfo, Expr> parameter)
        => member.Inputs.Select(node).Concat(member.Parameters.Select(parameter)).ToList();

    /// <summary>
    /// The values its backward kernel reads besides the output's gradient: the inputs whose values
    /// some member's derivative needs, directly or through a member it recomputes (a scale or a
    /// sum needs none; <c>x · sigmoid(x)</c> needs <c>x</c>). The memory plan keeps only these.
    /// </summary>
    public IReadOnlyList<int> BackwardReads(InferredGraph graph)
    {
        var needed = BackwardValues(graph);
        return Inputs.Where(needed.Contains).ToList();
    }

    /// <summary>The parameters whose values some derivative needs (PReLU's slopes; not a <c>[Variable]</c>'s).</summary>
    public IReadOnlyList<ParameterInfo> BackwardParameters(InferredGraph graph)
    {
        var needed = NeededNames(graph);
        return Parameters.Where(p => needed.Contains(ParameterName(p))).ToList();
    }

    /// <summary>The inputs and members whose values the backward kernel loads or recomputes.</summary>
    public ISet<int> BackwardValues(InferredGraph graph)
    {
        var needed = NeededNames(graph);
        return new HashSet<int>(Inputs.Concat(Members).Where(n => needed.Contains(NodeName(n))));
    }

    private static string NodeName(int node) => "v" + node.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string ParameterName(ParameterInfo parameter) => "p:" + parameter.Name;

    private HashSet<string> NeededNames(InferredGraph graph)
    {
        var needed = new HashSet<string>();
        foreach (int member in Members)
        {
            var node = graph.Nodes[member];
            var operands = Operands(node, i => Expr.Named(NodeName(i)), p => Expr.Named(ParameterName(p)));
            var gradients = ((IElementwiseOperator)node.Operator).Gradients(node.Spec.Params, operands, Expr.Named(NodeName(member)), Expr.Named("dy"));
            needed.UnionWith(gradients.SelectMany(g => g.Names()));
        }

        // A needed member is recomputed from its own operands, so those are needed too (members come in data-flow order).
        foreach (int member in Members.Reverse())
        {
            if (needed.Contains(NodeName(member)))
            {
                var node = graph.Nodes[member];
                needed.UnionWith(node.Inputs.Select(NodeName).Concat(node.Parameters.Select(ParameterName)));
            }
        }

        return needed;
    }

    /// <summary>The region run as <paramref name="producer"/>'s epilogue.</summary>
    public ElementwiseRegion WithProducer(int producer) => new(Members, Inputs, Parameters, producer);

    /// <summary>
    /// The regions, grown from their outputs backwards: in reverse
    /// declaration order, an element-wise node joins the region all its readers are in when it
    /// has the region's shape and is not an output, so every value but the region's output is
    /// used only inside it (a value read by two members, as in <c>x · sigmoid(x)</c>, joins too).
    /// Nodes already in a fused group join only if every member of that group is element-wise (an
    /// add with its activation), so a producer's epilogue is never split.
    /// </summary>
    public static List<ElementwiseRegion> Find(InferredGraph graph, IReadOnlyList<FusedGroup> groups, FusionContext context)
    {
        var groupOf = new Dictionary<int, FusedGroup>();
        foreach (var group in groups)
        {
            foreach (int member in group.Members)
            {
                groupOf[member] = group;
            }
        }

        // What a dense layer's or a convolution's built-in epilogue absorbed (a residual add, an activation) may leave
        // it for a region: the region, larger, then runs as the layer's generated epilogue.
        bool Candidate(int node) => groupOf.TryGetValue(node, out var group)
            && (group.Members.All(m => IsElementwise(graph.Nodes[m]))
                || ((group.Activation == node || group.ResidualAdd == node) && graph.Nodes[group.Producer].Operator is IGeneratedEpilogueProducer && IsElementwise(graph.Nodes[node])));

        // Each node's region, named by the region's output; -1 for nodes outside any.
        var regionOf = Enumerable.Repeat(-1, graph.Nodes.Count).ToArray();
        for (int node = graph.Nodes.Count - 1; node >= 0; node--)
        {
            if (!Candidate(node))
            {
                continue;
            }

            var readers = context.Readers(node);
            int region = readers.Count == 0 ? -1 : regionOf[readers[0]];
            bool joins = region >= 0 && readers.All(r => regionOf[r] == region) && !IsKept(graph, node) && graph.Nodes[node].Shape.Equals(graph.Nodes[region].Shape);
            regionOf[node] = joins ? region : node;
        }

        return Enumerable.Range(0, graph.Nodes.Count)
            .Where(n => regionOf[n] >= 0)
            .GroupBy(n => regionOf[n])
            .Select(g => Create(graph, g.OrderBy(n => n).ToList()))
            .OrderBy(r => r.Output)
            .ToList();
    }

    /// <summary>
    /// True for a node the generated kernels can compute: an element-wise variant whose parameters
    /// (if any) hold one value per element of a sample (a <c>[Variable]</c>, PReLU's slopes after a
    /// dense layer) or one per channel, its first axis (PReLU's slopes after a convolution).
    /// </summary>
    public static bool IsElementwise(InferredNode node)
        => node.Operator is IElementwiseOperator e && e.IsElementwise(node.Spec.Params)
            && node.Parameters.All(p => p.Length == node.SampleLength || (node.Shape.Count > 1 && p.Length == node.Shape[0]))
            && !node.IsLoss && !node.IsView;

    private static bool IsKept(InferredGraph graph, int node)
        => graph.Nodes[node].Spec.IsOutput || graph.Nodes[node].IsLoss || graph.Outputs.Contains(node);

    private static ElementwiseRegion Create(InferredGraph graph, List<int> members)
    {
        var set = new HashSet<int>(members);
        var inputs = members.SelectMany(m => graph.Nodes[m].Inputs).Where(i => !set.Contains(i)).Distinct().ToList();
        return new ElementwiseRegion(members, inputs, members.SelectMany(m => graph.Nodes[m].Parameters).ToList());
    }
}

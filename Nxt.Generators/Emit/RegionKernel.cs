using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Model;
using Nxt.Generators.Operators;
using Nxt.Generators.Operators.Expressions;
using Nxt.Generators.Operators.Plans;
using Nxt.Generators.Planning;

namespace Nxt.Generators.Emit;

/// <summary>
/// One generated element-wise kernel pair as the plans call it: the region, the names its
/// arguments and locals take, and for its backward which inputs get a gradient and whether each
/// adds to a gradient a later step wrote (the plan decides that as it builds the backward pass).
/// </summary>
internal sealed class RegionKernel
{
    private static readonly HashSet<string> s_reserved = new() { "i", "j", "row", "channel", "plane", "position", "length", "views" };
    private readonly Dictionary<int, string> _base = new();
    private readonly Dictionary<string, string> _parameterBase = new();

    public RegionKernel(InferredGraph graph, ElementwiseRegion region)
    {
        Graph = graph;
        Region = region;
        var nodes = region.Inputs.Concat(region.Members).ToList();
        foreach (int node in nodes)
        {
            _base[node] = NetworkEmitter.Identifier(graph.Nodes[node].Name);
        }

        foreach (var parameter in region.Parameters)
        {
            _parameterBase[parameter.Name] = NetworkEmitter.Identifier(Buffers.ParamName(parameter));
        }

        // Node and parameter names are the locals' names; where one would clash with another's (a
        // node named like another's buffer, or like the loop's own locals), every local is named by index.
        var all = nodes.SelectMany(n => new[] { Value(n), Adjoint(n), Span(n), GradientSpan(n), Ref(n), GradientRef(n) })
            .Concat(region.Parameters.SelectMany(p => new[] { Value(p), Adjoint(p), Span(p), GradientSpan(p), Ref(p), GradientRef(p), Adds(p), ChannelValue(p), Accumulator(p), Total(p) }))
            .ToList();
        all.AddRange(all.Where(n => n.EndsWith("_grad", System.StringComparison.Ordinal)).Select(n => n + "_wanted").ToList());
        if (all.Distinct().Count() != all.Count || all.Any(s_reserved.Contains) || all.Any(n => n.StartsWith("c", System.StringComparison.Ordinal) && int.TryParse(n.Substring(1), out _)))
        {
            foreach (int node in nodes)
            {
                _base[node] = "v" + SourceWriter.Int(node);
            }

            for (int k = 0; k < region.Parameters.Count; k++)
            {
                _parameterBase[region.Parameters[k].Name] = "p" + SourceWriter.Int(k);
            }
        }

        Name = _base[region.Output].TrimStart('@');
        BackwardValues = region.BackwardValues(graph);
        BackwardInputs = region.BackwardReads(graph);
        BackwardParameters = region.BackwardParameters(graph);
        var output = graph.Nodes[region.Output];
        SampleLength = output.SampleLength;
        Channels = output.Shape.Count > 0 ? output.Shape[0] : 1;
        PlaneLength = SampleLength / Channels;
        Layout = region.Parameters.Count == 0 ? RegionLayout.Flat : region.Parameters.Any(IsPerChannel) ? RegionLayout.Channels : RegionLayout.Samples;
    }

    /// <summary>The floats of one sample: a parameter's length, and the stride of the kernels' rows when the region has parameters.</summary>
    public int SampleLength { get; }

    /// <summary>The channels of a sample (its first axis), for parameters with one value per channel.</summary>
    public int Channels { get; }

    /// <summary>The floats of one channel of a sample (a plane of an image).</summary>
    public int PlaneLength { get; }

    /// <summary>How the CPU kernels walk the elements: at once, sample by sample, or by sample and channel.</summary>
    public RegionLayout Layout { get; }

    /// <summary>A parameter with one value per channel, each read across the channel's plane (PReLU's slopes after a convolution).</summary>
    public bool IsPerChannel(ParameterInfo parameter) => parameter.Length != SampleLength;

    public IEnumerable<ParameterInfo> SampleParameters => Region.Parameters.Where(p => !IsPerChannel(p));

    public IEnumerable<ParameterInfo> ChannelParameters => Region.Parameters.Where(IsPerChannel);

    /// <summary>The parameters whose values the backward kernel reads (<see cref="ElementwiseRegion.BackwardParameters"/>).</summary>
    public IReadOnlyList<ParameterInfo> BackwardParameters { get; }

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

    public string Value(ParameterInfo parameter) => _parameterBase[parameter.Name];

    public string Adjoint(ParameterInfo parameter) => "d_" + _parameterBase[parameter.Name].TrimStart('@');

    public string Span(ParameterInfo parameter) => _parameterBase[parameter.Name].TrimStart('@') + "_param";

    public string GradientSpan(ParameterInfo parameter) => _parameterBase[parameter.Name].TrimStart('@') + "_param_grad";

    public string Ref(ParameterInfo parameter) => _parameterBase[parameter.Name].TrimStart('@') + "_param_ref";

    public string GradientRef(ParameterInfo parameter) => _parameterBase[parameter.Name].TrimStart('@') + "_param_grad_ref";

    /// <summary>The backward kernel's flag: the parameter's gradient adds to what is there (the module's grad_req add, or a shared parameter).</summary>
    public string Adds(ParameterInfo parameter) => _parameterBase[parameter.Name].TrimStart('@') + "_adds";

    /// <summary>A per-channel parameter's value for the channel a CPU loop is in.</summary>
    public string ChannelValue(ParameterInfo parameter) => _parameterBase[parameter.Name].TrimStart('@') + "_channel";

    /// <summary>A vector loop's running sum of a per-channel parameter's gradient.</summary>
    public string Accumulator(ParameterInfo parameter) => Adjoint(parameter) + "_acc";

    /// <summary>A parameter's gradient summed over the elements a loop or a device thread covers.</summary>
    public string Total(ParameterInfo parameter) => Adjoint(parameter) + "_total";

    /// <summary>A member's value from its operands' locals.</summary>
    public Expr Forward(int member)
    {
        var node = Graph.Nodes[member];
        return ((IElementwiseOperator)node.Operator).Forward(node.Spec.Params, Operands(node));
    }

    /// <summary>A member's contributions to its operands' gradients (inputs, then parameters), from its own value and gradient.</summary>
    public IReadOnlyList<Expr> Gradients(int member)
    {
        var node = Graph.Nodes[member];
        return ((IElementwiseOperator)node.Operator).Gradients(node.Spec.Params, Operands(node), Expr.Named(Value(member)), Expr.Named(Adjoint(member)));
    }

    /// <summary>The members as MXNet writes them, a line each: <c>act1 = elemwise_mul(fc1, sig1)</c>, a parameter after the inputs.</summary>
    public IEnumerable<string> Formulas()
        => Region.Members.Select(m => Graph.Nodes[m]).Select(n => $"{n.Name} = {NetworkEmitter.Describe(n)}({string.Join(", ", n.Inputs.Select(i => Graph.Nodes[i].Name).Concat(n.Parameters.Where(p => !p.IsNodeValue).Select(p => p.Name)))})");

    private List<Expr> Operands(InferredNode node) => ElementwiseRegion.Operands(node, i => Expr.Named(Value(i)), p => Expr.Named(Value(p)));

    /// <summary>Memory passes over the region's shape: one kernel per operator reads each input and writes its output; this one reads the inputs and writes the output once.</summary>
    public (int Unfused, int Fused) ForwardPasses()
        => (Region.Members.Sum(m => Graph.Nodes[m].Inputs.Count + 1), Region.Inputs.Count + 1);
}

/// <summary>How a region's CPU kernels walk its elements.</summary>
internal enum RegionLayout
{
    /// <summary>One loop over every element: the region reads no parameter.</summary>
    Flat,

    /// <summary>Sample by sample: parameters hold a value per element of a sample.</summary>
    Samples,

    /// <summary>By sample, then channel: some parameter holds a value per channel, read across its plane.</summary>
    Channels,
}

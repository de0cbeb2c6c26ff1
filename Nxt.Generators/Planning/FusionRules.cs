using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Operators;
using Nxt.Generators.Operators.Plans;

namespace Nxt.Generators.Planning;

/// <summary>
/// The rewrite rules of the fusion passes. Each takes the group that produces a value and the
/// node that reads it, and returns the merged group, or null when the rule does not apply.
/// A value can only disappear into its reader's kernel when nothing else needs it: it has one
/// reader, it is not an output, and no backward step reads it (the rules below only absorb
/// values whose backward needs neither them nor the value before them).
/// </summary>
internal static class FusionRules
{
    /// <summary>
    /// Residual epilogue: <c>y = P(x) + r</c> with <c>P</c> a FullyConnected, Convolution or
    /// BatchNorm. Forward, the kernel adds <c>r</c> as it stores <c>P(x)</c>, which is never stored
    /// alone. Backward, the add's Jacobian is the identity for both operands: <c>dP = dy</c>
    /// (P's backward reads the add's gradient buffer) and <c>dr (+)= dy</c>. P's backward reads
    /// its input and <c>dP</c>, never its output, so nothing is lost.
    /// </summary>
    public static FusedGroup? ResidualEpilogue(FusedGroup producer, InferredNode add, FusionContext context)
    {
        if (producer.IsFused || add.Spec.Params is not ElementwiseParams { Op: BinaryOp.Add, Scalar: null } || add.Inputs.Count != 2 || add.Inputs[0] == add.Inputs[1])
        {
            return null;
        }

        var node = context.Graph.Nodes[producer.Producer];
        if (node.Operator is not IFusedProducer fused || !fused.Epilogue(node.Spec.Params).Residual || !context.CanAbsorb(node.Index, add) || !node.Shape.Equals(add.Shape))
        {
            return null;
        }

        int residual = add.Inputs[0] == node.Index ? add.Inputs[1] : add.Inputs[0];
        return producer with { ResidualAdd = add.Index, Residual = residual };
    }

    /// <summary>
    /// Activation epilogue: <c>y = act(v)</c> with <c>v</c> the output of a FullyConnected,
    /// Convolution, BatchNorm or Add group, and <c>act</c> one of relu, sigmoid, tanh or leaky
    /// with a positive slope. Forward, the kernel applies <c>act</c> as it stores, and <c>v</c>
    /// is never stored. Backward, <c>dv = dy · act'(v)</c>, and for these activations
    /// <c>act'(v)</c> is a function of <c>y</c> alone (<c>[y &gt; 0]</c>, <c>y(1-y)</c>,
    /// <c>1-y²</c>, <c>y &gt; 0 ? 1 : slope</c>), computed in place in <c>dy</c>'s buffer, which
    /// then serves as <c>dv</c>.
    /// </summary>
    public static FusedGroup? ActivationEpilogue(FusedGroup producer, InferredNode activation, FusionContext context)
    {
        if (producer.Activation >= 0 || EpilogueOf(activation) is null)
        {
            return null;
        }

        // A producer that takes no residual (an add) takes an activation only while alone.
        var node = context.Graph.Nodes[producer.Producer];
        bool canProduce = node.Operator is IFusedProducer fused
            && fused.Epilogue(node.Spec.Params) is var (takesActivation, takesResidual)
            && takesActivation && (takesResidual || !producer.IsFused);
        return canProduce && context.CanAbsorb(producer.Output, activation) ? producer with { Activation = activation.Index } : null;
    }

    /// <summary>
    /// BatchNorm folded into the convolution before it, for inference only: with the moving
    /// statistics, <c>BN(W∗x + b) = γ(W∗x + b - μ)/σ + β = W'∗x + b'</c> with
    /// <c>W' = W·γ/σ</c> and <c>b' = (b - μ)·γ/σ + β</c> per filter. A forward pass that is not
    /// training computes <c>W'</c>, <c>b'</c> (from the current parameters) and runs one
    /// convolution with the BatchNorm group's epilogue; training runs both as they are, since
    /// BatchNorm's backward needs the convolution's output. The convolution must be read by the
    /// BatchNorm alone and have no epilogue of its own. Both groups stay, so this rule is a test:
    /// the pass records the convolution in the BatchNorm's group.
    /// </summary>
    public static bool BatchNormFold(FusedGroup convolution, InferredNode batchNorm, FusionContext context)
    {
        var conv = context.Graph.Nodes[convolution.Producer];
        return batchNorm.Op == OpKind.BatchNorm && conv.Op == OpKind.Convolution && !convolution.IsFused
            && context.CanAbsorb(conv.Index, batchNorm) && batchNorm.Spec.Params is BatchNormParams { UseGlobalStats: false };
    }

    /// <summary>The epilogue value of an activation whose derivative is a function of its output, or null.</summary>
    public static Arg? EpilogueOf(InferredNode activation)
        => activation.Operator is IEpilogueActivation epilogue ? epilogue.Epilogue(activation.Spec.Params) : null;
}

/// <summary>What the rules need to know about the graph: who reads each value.</summary>
internal sealed class FusionContext
{
    private readonly List<int>[] _readers;

    public FusionContext(InferredGraph graph)
    {
        Graph = graph;
        _readers = graph.Nodes.Select(_ => new List<int>()).ToArray();
        foreach (var node in graph.Nodes)
        {
            foreach (int input in node.Inputs)
            {
                _readers[input].Add(node.Index);
            }
        }
    }

    public InferredGraph Graph { get; }

    /// <summary>The nodes reading each value, once per argument that reads it.</summary>
    public IReadOnlyList<int> Readers(int node) => _readers[node];

    /// <summary>True when <paramref name="value"/> can live only inside <paramref name="reader"/>'s kernel: its one reader, not an output.</summary>
    public bool CanAbsorb(int value, InferredNode reader)
    {
        var node = Graph.Nodes[value];
        return _readers[value].Count == 1 && _readers[value][0] == reader.Index
            && !node.Spec.IsOutput && !node.IsLoss && !Graph.Outputs.Contains(value);
    }
}

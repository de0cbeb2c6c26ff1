using System.Collections.Generic;

namespace Nxt.Generators.Graph;

/// <summary>What an argument is (mirrors the runtime's <c>ArgumentKind</c> by ordinal).</summary>
internal enum ArgumentRole
{
    Data,
    Parameter,
    Label,
}

/// <summary>A learned parameter of a node: its MXNet name and fixed shape.</summary>
internal sealed record ParameterInfo(string Name, EquatableArray<int> Shape)
{
    public int Length => Shapes.Product(Shape);
}

/// <summary>One argument in MXNet order. Batched arguments have the batch dimension in front of <see cref="Shape"/>.</summary>
internal sealed record ArgumentInfo(string Name, ArgumentRole Role, EquatableArray<int> Shape, bool Batched);

/// <summary>A node with its input resolved and its output shape inferred (batch dimension implicit).</summary>
internal sealed class InferredNode
{
    public InferredNode(int index, NodeSpec spec, int input, EquatableArray<int> shape, IReadOnlyList<ParameterInfo> parameters)
    {
        Index = index;
        Spec = spec;
        Input = input;
        Shape = shape;
        Parameters = parameters;
    }

    public int Index { get; }

    public NodeSpec Spec { get; }

    public string Name => Spec.Name;

    public OpKind Op => Spec.Op;

    /// <summary>The node read, or -1 for an input.</summary>
    public int Input { get; }

    /// <summary>The output shape of one sample.</summary>
    public EquatableArray<int> Shape { get; }

    public int SampleLength => Shapes.Product(Shape);

    public IReadOnlyList<ParameterInfo> Parameters { get; }

    public bool IsLoss => Op == OpKind.SoftmaxOutput;

    /// <summary>The MXNet name of the output: <c>softmax_output</c>.</summary>
    public string OutputName => Name + "_output";

    /// <summary>The label argument of a loss layer: <c>softmax_label</c>.</summary>
    public string LabelName => Name + "_label";
}

/// <summary>A network whose every shape is known: the input to planning and emission.</summary>
internal sealed class InferredGraph
{
    public InferredGraph(NetworkSpec spec, IReadOnlyList<InferredNode> nodes, IReadOnlyList<ArgumentInfo> arguments, IReadOnlyList<int> outputs)
    {
        Spec = spec;
        Nodes = nodes;
        Arguments = arguments;
        Outputs = outputs;
    }

    public NetworkSpec Spec { get; }

    public IReadOnlyList<InferredNode> Nodes { get; }

    /// <summary>In MXNet's <c>list_arguments</c> order.</summary>
    public IReadOnlyList<ArgumentInfo> Arguments { get; }

    /// <summary>The nodes whose outputs are the network's outputs.</summary>
    public IReadOnlyList<int> Outputs { get; }

    public IEnumerable<ParameterInfo> Parameters
    {
        get
        {
            foreach (var node in Nodes)
            {
                foreach (var p in node.Parameters)
                {
                    yield return p;
                }
            }
        }
    }
}

/// <summary>Shape helpers shared by inference, planning and emission.</summary>
internal static class Shapes
{
    public static int Product(EquatableArray<int> dims)
    {
        int product = 1;
        foreach (int d in dims)
        {
            product *= d;
        }

        return product;
    }

    /// <summary>A batched shape as messages show it: <c>(N,128)</c>.</summary>
    public static string Batched(EquatableArray<int> dims) => "(N" + Join(dims, leadingComma: true) + ")";

    /// <summary>A fixed shape: <c>(128,784)</c>.</summary>
    public static string Fixed(EquatableArray<int> dims) => "(" + Join(dims, leadingComma: false) + ")";

    public static EquatableArray<int> Of(params int[] dims) => dims.ToEquatableArray();

    private static string Join(EquatableArray<int> dims, bool leadingComma)
    {
        var parts = new System.Text.StringBuilder();
        for (int i = 0; i < dims.Count; i++)
        {
            if (i > 0 || leadingComma)
            {
                parts.Append(',');
            }

            parts.Append(dims[i].ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return parts.ToString();
    }
}

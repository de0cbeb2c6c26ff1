using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Operators;

namespace Nxt.Generators.Model;

/// <summary>What an argument is; emitted by name as the runtime's <c>BufferKind</c>.</summary>
internal enum ArgumentRole
{
    Data,
    Parameter,
    Label,
}

/// <summary>A learned parameter of a node: its MXNet name and fixed shape.</summary>
internal sealed record ParameterInfo(string Name, EquatableArray<int> Shape)
{
    /// <summary>True for a <c>[Variable]</c>'s value: the parameter is the node itself, under the node's name.</summary>
    public bool IsNodeValue { get; init; }

    public int Length => Shapes.Product(Shape);
}

/// <summary>One argument in MXNet order. Batched arguments have the batch dimension in front of <see cref="Shape"/>.</summary>
/// <param name="Classes">For a class-index label, the number of classes; 0 for real-valued labels.</param>
/// <param name="IgnoreLabel">A label value that marks a row to ignore, if the loss has one.</param>
internal sealed record ArgumentInfo(string Name, ArgumentRole Role, EquatableArray<int> Shape, bool Batched, int Classes = 0, int? IgnoreLabel = null);

/// <summary>What a node keeps besides its output buffer, in floats.</summary>
/// <param name="PerSample">Forward scratch per sample kept for the backward pass (a dropout mask).</param>
/// <param name="Fixed">Fixed-size state kept from forward to backward (batch statistics).</param>
/// <param name="Suffix">The suffix of the scratch's plan local: <c>_mask</c>, <c>_scratch</c>.</param>
internal sealed record ScratchNeeds(int PerSample, int Fixed, string Suffix = "_scratch")
{
    public static readonly ScratchNeeds None = new(0, 0);
}

/// <summary>A node with its inputs resolved and its output shape inferred (batch dimension implicit).</summary>
internal sealed class InferredNode
{
    public InferredNode(int index, NodeSpec spec, IReadOnlyList<int> inputs, EquatableArray<int> shape, IReadOnlyList<ParameterInfo> parameters, IReadOnlyList<ParameterInfo>? auxiliaryStates = null, ScratchNeeds? scratch = null)
    {
        Index = index;
        Spec = spec;
        Inputs = inputs;
        Shape = shape;
        Parameters = parameters;
        AuxiliaryStates = auxiliaryStates ?? System.Array.Empty<ParameterInfo>();
        Scratch = scratch ?? ScratchNeeds.None;
    }

    public int Index { get; }

    public NodeSpec Spec { get; }

    public string Name => Spec.Name;

    public OpKind Op => Spec.Op;

    /// <summary>The operator's descriptor.</summary>
    public Operator Operator => OperatorTable.For(Spec.Op);

    /// <summary>The nodes read, in argument order; empty for an input.</summary>
    public IReadOnlyList<int> Inputs { get; }

    /// <summary>The only input of a single-input operator.</summary>
    public int Input => Inputs[0];

    /// <summary>The output shape of one sample.</summary>
    public EquatableArray<int> Shape { get; }

    public int SampleLength => Shapes.Product(Shape);

    public IReadOnlyList<ParameterInfo> Parameters { get; }

    /// <summary>States updated in training and saved with the parameters, not learned (BatchNorm moving statistics).</summary>
    public IReadOnlyList<ParameterInfo> AuxiliaryStates { get; }

    public ScratchNeeds Scratch { get; }

    public OpTraits Traits => Operator.Traits(Spec.Params);

    /// <summary>A loss layer: the backward pass starts here, and nothing may read it.</summary>
    public bool IsLoss => (Traits & OpTraits.Loss) != 0;

    /// <summary>A loss layer with a label argument (<c>softmax_label</c>).</summary>
    public bool HasLabel => Label is not null;

    /// <summary>The label argument's sample shape and checks, for a loss layer that has one.</summary>
    public LabelInfo? Label => Operator.Label(this);

    /// <summary>True when the output is the input's buffer under another shape (or the same shape).</summary>
    public bool IsView => (Traits & OpTraits.View) != 0;

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

    public IEnumerable<ParameterInfo> Parameters => Nodes.SelectMany(n => n.Parameters);

    public IEnumerable<ParameterInfo> AuxiliaryStates => Nodes.SelectMany(n => n.AuxiliaryStates);
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

    public static EquatableArray<int> Of(System.Collections.Generic.IEnumerable<int> dims) => dims.ToEquatableArray();

    /// <summary>A batched shape as messages show it: <c>(N,128)</c>.</summary>
    public static string Batched(EquatableArray<int> dims) => "(N" + Join(dims, leadingComma: true) + ")";

    /// <summary>A window as MXNet writes it: <c>3x3</c>.</summary>
    public static string Window(EquatableArray<int> dims) => string.Join("x", dims.Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Reshape codes as written: <c>(0,-1)</c>.</summary>
    public static string Codes(EquatableArray<int> dims) => Fixed(dims);

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

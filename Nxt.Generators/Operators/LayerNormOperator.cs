using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Onnx;
using Nxt.Generators.Operators.Plans;

namespace Nxt.Generators.Operators;

/// <summary><c>[LayerNorm(Axis = -1, Eps = 1e-5)]</c>.</summary>
internal sealed record LayerNormParams(int Axis, double Eps) : OpParams;

/// <summary>
/// MXNet <c>LayerNorm</c> over the last axis, with <c>NAME_gamma</c> and <c>NAME_beta</c> of its
/// length; each row's mean and inverse deviation are kept in the node's scratch for backward.
/// </summary>
internal sealed class LayerNormOperator : Operator
{
    public static readonly OpKind Kind = new("LayerNorm");
    public const int DefaultAxis = -1;
    public const double DefaultEps = 1e-5;
    private const string Kernels = "LayerNormKernels";

    public override IReadOnlyList<OpKind> Kinds { get; } = new[] { Kind };

    public override IReadOnlyList<string> AttributeNames { get; } = new[] { "LayerNormAttribute" };

    public override string? SizeArgument => null;

    public override (OpKind, OpParams) Read(AttributeReader attribute, List<InputRef> inputs, DeclarationSink problems)
        => (Kind, new LayerNormParams(attribute.Int("Axis", DefaultAxis), attribute.Double("Eps", DefaultEps)));

    public override (string? Argument, string Message)? CheckArguments(NodeSpec node) => node.Params switch
    {
        LayerNormParams { Axis: not -1 } l => ("Axis", $"LayerNorm '{node.Name}' has axis {l.Axis}: Nxt normalises the last axis (-1) so far"),
        LayerNormParams l when !(l.Eps > 0) || SinglePrecision.IsZero(l.Eps) || !SinglePrecision.IsFinite(l.Eps) => ("Eps", $"LayerNorm '{node.Name}' has eps {MxnetText.Real(l.Eps)}: it must be positive and finite in single precision"),
        _ => null,
    };

    public override (int Min, int Max) Arity(OpParams parameters) => (1, 1);

    public override string ArityHint(OpParams parameters) => string.Empty;

    public override InferredNode? Infer(InferenceContext context)
    {
        int width = context.X[context.X.Count - 1];
        int rowsPerSample = Shapes.Product(context.X) / width;
        return context.Make(
            context.X,
            new[] { new ParameterInfo(context.Name + "_gamma", Shapes.Of(width)), new ParameterInfo(context.Name + "_beta", Shapes.Of(width)) },
            scratch: new ScratchNeeds(2 * rowsPerSample, 0, "_stats"));
    }

    public override OpTraits Traits(OpParams parameters) => OpTraits.None;

    public override LabelInfo? Label(InferredNode node) => null;

    public override IReadOnlyList<int> BackwardReads(InferredNode node) => new[] { node.Input };

    public override IReadOnlyList<string> MxnetOps { get; } = new[] { "LayerNorm" };

    public override (OpKind Kind, OpParams Params) FromMxnet(MxnetAttributeReader attributes)
    {
        attributes.OnlyValue("output_mean_var", "False", "0");
        return (Kind, new LayerNormParams(attributes.Int("axis", DefaultAxis), attributes.Double("eps", DefaultEps)));
    }

    public override string MxnetName(OpParams parameters) => "LayerNorm";

    public override void MxnetAttributes(OpParams parameters, MxnetAttributeList attributes)
    {
        var l = (LayerNormParams)parameters;
        attributes.AddIf("eps", MxnetText.Real(l.Eps), l.Eps != DefaultEps);
    }

    // Opset 13 has no LayerNormalization (it came in 17): the same arithmetic, node by node.
    public override void Onnx(OnnxContext onnx)
    {
        var l = Params<LayerNormParams>(onnx.Node);
        string name = onnx.Name;
        var axes = OnnxAttribute.Ints("axes", new[] { -1 });
        onnx.Graph.Floats(name + "_eps", System.Array.Empty<int>(), l.Eps);
        onnx.Graph.Node("ReduceMean", new[] { onnx.X }, name + "_mean", axes);
        onnx.Graph.Node("Sub", new[] { onnx.X, name + "_mean" }, name + "_centred");
        onnx.Graph.Node("Mul", new[] { name + "_centred", name + "_centred" }, name + "_squares");
        onnx.Graph.Node("ReduceMean", new[] { name + "_squares" }, name + "_variance", axes);
        onnx.Graph.Node("Add", new[] { name + "_variance", name + "_eps" }, name + "_shifted");
        onnx.Graph.Node("Sqrt", new[] { name + "_shifted" }, name + "_deviation");
        onnx.Graph.Node("Div", new[] { name + "_centred", name + "_deviation" }, name + "_normalised");
        onnx.Graph.Node("Mul", new[] { name + "_normalised", onnx.Node.Parameters[0].Name }, name + "_scaled");
        onnx.Graph.Node("Add", new[] { name + "_scaled", onnx.Node.Parameters[1].Name }, name);
    }

    public override IEnumerable<string> ClassFields(InferredNode node, InferredGraph graph) => Enumerable.Empty<string>();

    public override int CpuWorkspacePerThread(InferredNode node, InferredGraph graph) => 0;

    public override void Forward(PlanSteps steps, ForwardContext context)
    {
        var node = context.Node;
        var (rows, width) = Rows(node);
        steps.Kernel(Kernels, "Forward", context.X, Buffers.Param(node.Parameters[0]), Buffers.Param(node.Parameters[1]), context.Y, Buffers.Scratch(node), rows, width, Arg.Float(Params<LayerNormParams>(node).Eps));
    }

    public override void Backward(PlanSteps steps, BackwardContext context)
    {
        var node = context.Node;
        var (rows, width) = Rows(node);
        var (gamma, beta) = (node.Parameters[0], node.Parameters[1]);
        steps.If(Buffers.Wanted(node), then => then.Kernel(
            Kernels, "Backward", context.X, Buffers.Param(gamma), context.Dy, Buffers.Scratch(node), context.WantsInput ? context.Dx : Arg.Default,
            Buffers.ParamGrad(gamma), Buffers.ParamGrad(beta), rows, width,
            context.WantsInput ? context.WantX : Arg.Bool(false), Arg.Bool(context.WantsInput && context.Accumulate[0]).Named("accumulateX"),
            Buffers.ParamWanted(gamma), Buffers.ParamAdds(gamma), Buffers.ParamWanted(beta), Buffers.ParamAdds(beta)));
    }

    private static (Arg Rows, Arg Width) Rows(InferredNode node)
    {
        int width = node.Shape[node.Shape.Count - 1];
        return (Arg.Rows(node.SampleLength / width), Arg.Int(width));
    }
}

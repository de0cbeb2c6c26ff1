using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Expressions;
using Nxt.Generators.Operators.Onnx;
using Nxt.Generators.Operators.Plans;

namespace Nxt.Generators.Operators;

/// <summary>MXNet <c>LeakyReLU</c>: leaky, elu, prelu (a learned per-channel <c>_gamma</c>) and gelu.</summary>
internal sealed class LeakyReLUOperator : Operator, IEpilogueActivation, IElementwiseOperator
{
    public const double DefaultSlope = 0.25;
    private const string Kernels = "LeakyReLUKernels";

    public override IReadOnlyList<OpKind> Kinds { get; } = new[] { OpKind.LeakyReLU };

    public override IReadOnlyList<string> AttributeNames { get; } = new[] { "LeakyReLUAttribute" };

    public override string? SizeArgument => null;

    public override (OpKind, OpParams) Read(AttributeReader attribute, List<InputRef> inputs, DeclarationSink problems)
        => (OpKind.LeakyReLU, new LeakyReLUParams(attribute.Enum<LeakyType>(0), attribute.Double("Slope", DefaultSlope)));

    public override (string? Argument, string Message)? CheckArguments(NodeSpec node) => node.Params switch
    {
        LeakyReLUParams leaky when !System.Enum.IsDefined(typeof(LeakyType), leaky.ActType) => ("actType", $"LeakyReLU '{node.Name}' has act_type {(int)leaky.ActType}, which is not a value of LeakyAct"),
        LeakyReLUParams leaky when !SinglePrecision.IsFinite(leaky.Slope) => ("Slope", $"LeakyReLU '{node.Name}' has slope {MxnetText.Real(leaky.Slope)}: it must be finite in single precision"),
        _ => null,
    };

    public override (int Min, int Max) Arity(OpParams parameters) => (1, 1);

    public override string ArityHint(OpParams parameters) => string.Empty;

    public override InferredNode? Infer(InferenceContext context)
        => ((LeakyReLUParams)context.Node.Params).ActType == LeakyType.PRelu
            ? context.Make(context.X, [new ParameterInfo(context.Name + "_gamma", Shapes.Of(context.X[0]))])
            : context.Make(context.X);

    public override OpTraits Traits(OpParams parameters) => OpTraits.InPlace;

    public override LabelInfo? Label(InferredNode node) => null;

    public override IReadOnlyList<int> BackwardReads(InferredNode node) => new[] { node.Input };

    public override IReadOnlyList<string> MxnetOps { get; } = new[] { "LeakyReLU" };

    public override (OpKind Kind, OpParams Params) FromMxnet(MxnetAttributeReader attributes)
        => (OpKind.LeakyReLU, new LeakyReLUParams(attributes.Enum("act_type", LeakyType.Leaky), attributes.Double("slope", DefaultSlope)));

    public override string MxnetName(OpParams parameters) => "LeakyReLU";

    public override void MxnetAttributes(OpParams parameters, MxnetAttributeList attributes)
    {
        var leaky = (LeakyReLUParams)parameters;
        attributes.Add("act_type", MxnetText.Enum(leaky.ActType));
        attributes.AddIf("slope", MxnetText.Real(leaky.Slope), leaky.ActType is LeakyType.Leaky or LeakyType.Elu && leaky.Slope != DefaultSlope);
    }

    public override void Onnx(OnnxContext onnx)
    {
        var leaky = Params<LeakyReLUParams>(onnx.Node);
        string name = onnx.Name, x = onnx.X;
        switch (leaky.ActType)
        {
            case LeakyType.Leaky:
                onnx.Single("LeakyRelu", OnnxAttribute.Float("alpha", leaky.Slope));
                break;
            case LeakyType.Elu:
                onnx.Single("Elu", OnnxAttribute.Float("alpha", leaky.Slope));
                break;
            case LeakyType.PRelu:
                // ONNX broadcasts the slope from the right: (C) must become (C, 1, 1) for images.
                onnx.Graph.Int64s(name + "_slope_shape", new[] { onnx.Node.Shape[0] }.Concat(Enumerable.Repeat(1, onnx.Node.Shape.Count - 1)).ToList());
                onnx.Graph.Node("Reshape", new[] { onnx.Node.Parameters[0].Name, name + "_slope_shape" }, name + "_slope");
                onnx.Graph.Node("PRelu", new[] { x, name + "_slope" }, name);
                break;
            case LeakyType.Gelu:
                // x · (1 + erf(x / √2)) / 2: opset 13 has no Gelu.
                onnx.Graph.Floats(name + "_sqrt2", new[] { 1 }, System.Math.Sqrt(2));
                onnx.Graph.Floats(name + "_one", new[] { 1 }, 1);
                onnx.Graph.Floats(name + "_half", new[] { 1 }, 0.5);
                onnx.Graph.Node("Div", new[] { x, name + "_sqrt2" }, name + "_scaled");
                onnx.Graph.Node("Erf", new[] { name + "_scaled" }, name + "_erf");
                onnx.Graph.Node("Add", new[] { name + "_erf", name + "_one" }, name + "_cdf2");
                onnx.Graph.Node("Mul", new[] { x, name + "_cdf2" }, name + "_twice");
                onnx.Graph.Node("Mul", new[] { name + "_twice", name + "_half" }, name);
                break;
            default:
                throw Unreachable.Variant(onnx.Node, leaky.ActType);
        }
    }

    public override IEnumerable<string> ClassFields(InferredNode node, InferredGraph graph) => Enumerable.Empty<string>();

    public override int CpuWorkspacePerThread(InferredNode node, InferredGraph graph) => 0;

    public override void Forward(PlanSteps steps, ForwardContext context)
    {
        var node = context.Node;
        var leaky = Params<LeakyReLUParams>(node);
        switch (leaky.ActType)
        {
            case LeakyType.PRelu:
                var (channels, spatial) = ParameterShapes.ChannelLayout(node);
                steps.Kernel(Kernels, "PReluForward", context.X, Arg.Local(node.Name + "_gamma"), context.Y, Arg.N, Arg.Int(channels), Arg.Int(spatial));
                break;
            case LeakyType.Gelu:
                steps.Kernel(Kernels, "GeluForward", context.X, context.Y);
                break;
            case LeakyType.Leaky or LeakyType.Elu:
                // One kernel, the slope below zero and the curve chosen by argument.
                steps.Kernel(Kernels, "Forward", context.X, context.Y, Arg.Float(leaky.Slope).Named("slope"), Arg.Bool(leaky.ActType == LeakyType.Elu).Named("elu"));
                break;
            default:
                throw Unreachable.Variant(node, leaky.ActType);
        }
    }

    public override void Backward(PlanSteps steps, BackwardContext context)
    {
        var node = context.Node;
        var leaky = Params<LeakyReLUParams>(node);
        switch (leaky.ActType)
        {
            case LeakyType.PRelu:
                var (channels, spatial) = ParameterShapes.ChannelLayout(node);
                var slope = node.Parameters[0];
                bool want = context.WantsInput;
                steps.Kernel(
                    Kernels,
                    "PReluBackward",
                    context.X,
                    Buffers.Param(slope),
                    context.Dy,
                    want ? context.Dx : Arg.Default,
                    Buffers.ParamGrad(slope),
                    Arg.N,
                    Arg.Int(channels),
                    Arg.Int(spatial),
                    (want ? context.WantX : Arg.Bool(false)).Named("inputGradient").OnNewLine(),
                    Arg.Bool(context.Accumulate[0]).Named("accumulateInput"),
                    Buffers.ParamWanted(slope).Named("parameterGradients"),
                    Buffers.ParamAdds(slope).Named("accumulateParameters"));
                break;
            case LeakyType.Gelu:
                steps.Guarded(context.WantX, Kernels, "GeluBackward", context.X, context.Dy, context.Dx, context.Acc);
                break;
            case LeakyType.Leaky or LeakyType.Elu:
                steps.Guarded(context.WantX, Kernels, "Backward", context.X, context.Dy, context.Dx, Arg.Float(leaky.Slope).Named("slope"), Arg.Bool(leaky.ActType == LeakyType.Elu).Named("elu"), context.Acc);
                break;
            default:
                throw Unreachable.Variant(node, leaky.ActType);
        }
    }

    /// <summary>leaky with a positive slope: <c>y &gt; 0 ? 1 : slope</c> is a function of the output.</summary>
    public Arg? Epilogue(OpParams parameters)
        => parameters is LeakyReLUParams { ActType: LeakyType.Leaky, Slope: > 0 } leaky ? Arg.Kernel($"Epilogue.Leaky({Arg.FloatText(leaky.Slope)})") : null;

    // PReLU too: its slopes are an operand, one value per channel (per feature after a dense layer).
    public bool IsElementwise(OpParams parameters) => true;

    public Expr Forward(OpParams parameters, IReadOnlyList<Expr> operands)
    {
        var leaky = (LeakyReLUParams)parameters;
        var x = operands[0];
        var slope = leaky.ActType == LeakyType.PRelu ? operands[1] : Expr.Const(leaky.Slope);
        return leaky.ActType switch
        {
            LeakyType.Leaky or LeakyType.PRelu => Expr.Select(x, Comparison.Greater, Expr.Zero, x, slope * x),
            LeakyType.Elu => Expr.Select(x, Comparison.Greater, Expr.Zero, x, slope * (Expr.Exp(x) - Expr.One)),
            _ => x * Expr.Const(0.5) * (Expr.One + Expr.Erf(x * Expr.Const(0.70710678))),
        };
    }

    public IReadOnlyList<Expr> Gradients(OpParams parameters, IReadOnlyList<Expr> operands, Expr y, Expr dy)
    {
        var leaky = (LeakyReLUParams)parameters;
        var x = operands[0];
        if (leaky.ActType == LeakyType.PRelu)
        {
            // The slope's gradient counts only where the slope was used, as PReluBackward sums it.
            var gamma = operands[1];
            return new[] { dy * Expr.Select(x, Comparison.Greater, Expr.Zero, Expr.One, gamma), Expr.Select(x, Comparison.Greater, Expr.Zero, Expr.Zero, dy * x) };
        }

        var slope = Expr.Const(leaky.Slope);
        var dx = leaky.ActType switch
        {
            LeakyType.Leaky => dy * Expr.Select(x, Comparison.Greater, Expr.Zero, Expr.One, slope),
            LeakyType.Elu => dy * Expr.Select(x, Comparison.Greater, Expr.Zero, Expr.One, slope * Expr.Exp(x)),
            _ => dy * ((Expr.Const(0.5) * (Expr.One + Expr.Erf(x * Expr.Const(0.70710678)))) + (x * (Expr.Const(0.39894228) * Expr.Exp(Expr.Const(-0.5) * x * x)))),
        };
        return new[] { dx };
    }
}

using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Expressions;
using Nxt.Generators.Operators.Onnx;
using Nxt.Generators.Operators.Plans;

namespace Nxt.Generators.Operators;

/// <summary>MXNet <c>Activation</c>: relu, sigmoid, tanh, softrelu, softsign, element-wise.</summary>
internal sealed class ActivationOperator : Operator, IEpilogueActivation, IElementwiseOperator
{
    private const string Kernels = "ActivationKernels";

    public override IReadOnlyList<OpKind> Kinds { get; } = new[] { OpKind.Activation };

    public override IReadOnlyList<string> AttributeNames { get; } = new[] { "ActivationAttribute" };

    public override string? SizeArgument => null;

    public override (OpKind, OpParams) Read(AttributeReader attribute, List<InputRef> inputs, DeclarationSink problems)
        => (OpKind.Activation, new ActivationParams(attribute.Enum<ActivationType>(0)));

    public override (string? Argument, string Message)? CheckArguments(NodeSpec node)
        => node.Params is ActivationParams act && !System.Enum.IsDefined(typeof(ActivationType), act.ActType)
            ? ("actType", $"Activation '{node.Name}' has act_type {(int)act.ActType}, which is not a value of Act")
            : null;

    public override (int Min, int Max) Arity(OpParams parameters) => (1, 1);

    public override string ArityHint(OpParams parameters) => string.Empty;

    public override InferredNode? Infer(InferenceContext context) => context.Make(context.X);

    public override OpTraits Traits(OpParams parameters) => OpTraits.InPlace;

    public override LabelInfo? Label(InferredNode node) => null;

    public override IReadOnlyList<int> BackwardReads(InferredNode node) => new[] { NeedsInput(Params<ActivationParams>(node)) ? node.Input : node.Index };

    public override IReadOnlyList<string> MxnetOps { get; } = new[] { "Activation" };

    public override (OpKind Kind, OpParams Params) FromMxnet(MxnetAttributeReader attributes)
        => attributes.Has("act_type")
            ? (OpKind.Activation, new ActivationParams(attributes.Enum("act_type", ActivationType.Relu)))
            : throw new MxnetImportException("attribute 'act_type' is missing, and Activation has no default for it");

    public override string MxnetName(OpParams parameters) => "Activation";

    public override void MxnetAttributes(OpParams parameters, MxnetAttributeList attributes)
        => attributes.Add("act_type", MxnetText.Enum(((ActivationParams)parameters).ActType));

    public override void Onnx(OnnxContext onnx) => onnx.Single(Params<ActivationParams>(onnx.Node).ActType switch
    {
        ActivationType.Relu => "Relu",
        ActivationType.Sigmoid => "Sigmoid",
        ActivationType.Tanh => "Tanh",
        ActivationType.SoftRelu => "Softplus",
        ActivationType.SoftSign => "Softsign",
        var other => throw Unreachable.Variant(onnx.Node, other),
    });

    public override IEnumerable<string> ClassFields(InferredNode node, InferredGraph graph) => Enumerable.Empty<string>();

    public override int CpuWorkspacePerThread(InferredNode node, InferredGraph graph) => 0;

    public override void Forward(PlanSteps steps, ForwardContext context)
        => steps.Kernel(Kernels, $"{Params<ActivationParams>(context.Node).ActType}Forward", context.X, context.Y);

    // softrelu's and softsign's derivatives need the input; the others are functions of the output.
    public override void Backward(PlanSteps steps, BackwardContext context)
    {
        var act = Params<ActivationParams>(context.Node);
        steps.Guarded(context.WantX, Kernels, $"{act.ActType}Backward", NeedsInput(act) ? context.X : context.Y, context.Dy, context.Dx, context.Acc);
    }

    /// <summary>relu, sigmoid and tanh: <c>[y &gt; 0]</c>, <c>y(1-y)</c>, <c>1-y²</c>.</summary>
    public Arg? Epilogue(OpParams parameters)
    {
        var act = (ActivationParams)parameters;
        return NeedsInput(act) ? null : Arg.Kernel($"Epilogue.{act.ActType}");
    }

    public bool IsElementwise(OpParams parameters) => true;

    public Expr Forward(OpParams parameters, IReadOnlyList<Expr> inputs)
    {
        var x = inputs[0];
        return ((ActivationParams)parameters).ActType switch
        {
            ActivationType.Relu => Expr.Max(x, Expr.Zero),
            ActivationType.Sigmoid => Expr.One / (Expr.One + Expr.Exp(-x)),
            ActivationType.Tanh => Expr.Tanh(x),
            ActivationType.SoftRelu => Expr.Select(x, Comparison.Greater, Expr.Const(20), x, Expr.Log(Expr.One + Expr.Exp(x))),
            _ => x / (Expr.One + Expr.Abs(x)),
        };
    }

    public IReadOnlyList<Expr> Gradients(OpParams parameters, IReadOnlyList<Expr> inputs, Expr y, Expr dy)
    {
        var x = inputs[0];
        var dx = ((ActivationParams)parameters).ActType switch
        {
            ActivationType.Relu => Expr.Select(y, Comparison.Greater, Expr.Zero, dy, Expr.Zero),
            ActivationType.Sigmoid => dy * y * (Expr.One - y),
            ActivationType.Tanh => dy * (Expr.One - (y * y)),
            ActivationType.SoftRelu => dy / (Expr.One + Expr.Exp(-x)),
            _ => dy / ((Expr.One + Expr.Abs(x)) * (Expr.One + Expr.Abs(x))),
        };
        return new[] { dx };
    }

    private static bool NeedsInput(ActivationParams act) => act.ActType is ActivationType.SoftRelu or ActivationType.SoftSign;
}

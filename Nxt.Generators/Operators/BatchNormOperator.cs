using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Onnx;
using Nxt.Generators.Operators.Plans;

namespace Nxt.Generators.Operators;

/// <summary>MXNet <c>BatchNorm</c> over axis 1, with moving statistics as auxiliary states; folds into a convolution for inference.</summary>
internal sealed class BatchNormOperator : Operator, IFusedProducer
{
    public const double DefaultEps = 1e-3;
    public const double DefaultMomentum = 0.9;
    public const bool DefaultFixGamma = true;
    public const bool DefaultUseGlobalStats = false;
    private const string Kernels = "BatchNormKernels";

    public override IReadOnlyList<OpKind> Kinds { get; } = new[] { OpKind.BatchNorm };

    public override IReadOnlyList<string> AttributeNames { get; } = new[] { "BatchNormAttribute" };

    public override string? SizeArgument => null;

    public override (OpKind, OpParams) Read(AttributeReader attribute, List<InputRef> inputs, DeclarationSink problems)
        => (OpKind.BatchNorm, new BatchNormParams(
            attribute.Double("Eps", DefaultEps),
            attribute.Double("Momentum", DefaultMomentum),
            attribute.Bool("FixGamma", DefaultFixGamma),
            attribute.Bool("UseGlobalStats", DefaultUseGlobalStats)));

    public override (string? Argument, string Message)? CheckArguments(NodeSpec node) => node.Params switch
    {
        BatchNormParams bn when !(bn.Eps > 0) || SinglePrecision.IsZero(bn.Eps) || !SinglePrecision.IsFinite(bn.Eps) => ("Eps", $"BatchNorm '{node.Name}' has eps {MxnetText.Real(bn.Eps)}: it must be positive and finite in single precision"),
        BatchNormParams bn when !(bn.Momentum >= 0 && bn.Momentum <= 1) => ("Momentum", $"BatchNorm '{node.Name}' has momentum {MxnetText.Real(bn.Momentum)}: it must be in [0, 1]"),
        _ => null,
    };

    public override (int Min, int Max) Arity(OpParams parameters) => (1, 1);

    public override string ArityHint(OpParams parameters) => string.Empty;

    public override InferredNode? Infer(InferenceContext context)
    {
        var perChannel = Shapes.Of(context.X[0]);
        string name = context.Name;
        return context.Make(
            context.X,
            [new(name + "_gamma", perChannel), new(name + "_beta", perChannel)],
            [new(name + "_moving_mean", perChannel), new(name + "_moving_var", perChannel)],
            new ScratchNeeds(0, 2 * context.X[0]));
    }

    public override OpTraits Traits(OpParams parameters) => OpTraits.None;

    public override LabelInfo? Label(InferredNode node) => null;

    public override IReadOnlyList<int> BackwardReads(InferredNode node) => new[] { node.Input };

    public override IReadOnlyList<string> MxnetOps { get; } = new[] { "BatchNorm" };

    public override (OpKind Kind, OpParams Params) FromMxnet(MxnetAttributeReader attributes)
    {
        attributes.OnlyValue("axis", "1");
        return (OpKind.BatchNorm, new BatchNormParams(
            attributes.Double("eps", DefaultEps),
            attributes.Double("momentum", DefaultMomentum),
            attributes.Bool("fix_gamma", DefaultFixGamma),
            attributes.Bool("use_global_stats", DefaultUseGlobalStats)));
    }

    public override string MxnetName(OpParams parameters) => "BatchNorm";

    public override void MxnetAttributes(OpParams parameters, MxnetAttributeList attributes)
    {
        var bn = (BatchNormParams)parameters;
        attributes.AddIf("eps", MxnetText.Real(bn.Eps), bn.Eps != DefaultEps);
        attributes.AddIf("momentum", MxnetText.Real(bn.Momentum), bn.Momentum != DefaultMomentum);
        attributes.AddIf("fix_gamma", "False", !bn.FixGamma);
        attributes.AddIf("use_global_stats", "True", bn.UseGlobalStats);
    }

    // With fix_gamma, MXNet uses a scale of one whatever gamma holds: the export says so.
    public override void Onnx(OnnxContext onnx)
    {
        var bn = Params<BatchNormParams>(onnx.Node);
        var names = onnx.Node.Parameters.Concat(onnx.Node.AuxiliaryStates).Select(p => p.Name).ToList();
        if (bn.FixGamma)
        {
            names[0] = onnx.Name + "_gamma_fixed";
            onnx.Graph.Fill(names[0], onnx.Node.Shape[0], 1.0);
        }

        onnx.Graph.Node("BatchNormalization", new[] { onnx.X }.Concat(names), onnx.Name, OnnxAttribute.Float("epsilon", bn.Eps));
    }

    public override IEnumerable<string> ClassFields(InferredNode node, InferredGraph graph) => Enumerable.Empty<string>();

    public override int CpuWorkspacePerThread(InferredNode node, InferredGraph graph) => 0;

    public override void Forward(PlanSteps steps, ForwardContext context) => Call(steps, context, extra: System.Array.Empty<Arg>());

    public (bool Activation, bool Residual) Epilogue(OpParams parameters) => (true, true);

    public void FusedForward(PlanSteps steps, ForwardContext context, Arg residual, Arg epilogue, Arg y)
        => Call(steps, context, new[] { residual.Named("residual").OnNewLine(), epilogue.Named("epilogue") }, y);

    public override void Backward(PlanSteps steps, BackwardContext context)
    {
        var node = context.Node;
        var bn = Params<BatchNormParams>(node);
        var (c, s) = ParameterShapes.ChannelLayout(node);
        var (gamma, beta) = (node.Parameters[0], node.Parameters[1]);
        bool want = context.WantsInput;
        steps.Kernel(
            Kernels,
            "Backward",
            context.X,
            context.Dy,
            Buffers.Param(gamma),
            Buffers.State(node),
            want ? context.Dx : Arg.Default,
            Buffers.ParamGrad(gamma),
            Buffers.ParamGrad(beta),
            Arg.N.OnNewLine(),
            Arg.Int(c),
            Arg.Int(s),
            Arg.Bool(bn.FixGamma).Named("fixGamma"),
            Arg.Bool(!bn.UseGlobalStats).Named("usedBatchStats"),
            (want ? context.WantX : Arg.Bool(false)).Named("inputGradient").OnNewLine(),
            Arg.Bool(context.Accumulate[0]).Named("accumulateInput"),
            Buffers.ParamWanted(gamma).Named("gammaGradient"),
            Buffers.ParamAdds(gamma).Named("accumulateGamma"),
            Buffers.ParamWanted(beta).Named("betaGradient"),
            Buffers.ParamAdds(beta).Named("accumulateBeta"));
    }

    /// <summary>
    /// Inference with the convolution before it folded in (<c>FusionRules.BatchNormFold</c>):
    /// <c>W' = W·γ/σ</c>, <c>b' = (b - μ)·γ/σ + β</c> from the current parameters and moving
    /// statistics into <paramref name="folded"/>, then one convolution with the group's epilogue.
    /// </summary>
    public static void FoldedInference(PlanSteps steps, InferredNode batchNorm, InferredNode conv, Arg x, Arg residual, Arg y, Arg epilogue, string label)
    {
        var bn = Params<BatchNormParams>(batchNorm);
        int weights = conv.Parameters[0].Length, filters = conv.Shape[0];
        string folded = Buffers.FoldedName(conv);
        steps.Comment($"{conv.Name} + {label} folded: W' = W·γ/σ, b' = (b - μ)·γ/σ + β with the moving statistics, one convolution.");
        steps.Kernel(
            Kernels,
            "FoldIntoConvolution",
            Arg.Local(conv.Name + "_weight"),
            Buffers.Bias(conv, Params<ConvolutionParams>(conv).NoBias),
            Arg.Local(batchNorm.Name + "_gamma"),
            Arg.Local(batchNorm.Name + "_beta"),
            Arg.Local(batchNorm.Name + "_moving_mean"),
            Arg.Local(batchNorm.Name + "_moving_var"),
            Arg.Float(bn.Eps).Named("eps").OnNewLine(),
            Arg.Bool(bn.FixGamma).Named("fixGamma"),
            Arg.Local(folded));
        ConvolutionOperator.FusedCall(
            steps,
            conv,
            x,
            Arg.Expression($"{folded}[..{weights}]", folded),
            Arg.Expression($"{folded}.Slice({weights}, {filters})", folded),
            residual,
            y,
            epilogue);
    }

    private static void Call(PlanSteps steps, ForwardContext context, Arg[] extra, Arg? y = null)
    {
        var node = context.Node;
        var bn = Params<BatchNormParams>(node);
        var (c, s) = ParameterShapes.ChannelLayout(node);
        string name = node.Name;
        var args = new List<Arg>
        {
            context.X,
            y ?? context.Y,
            Arg.Local(name + "_gamma"),
            Arg.Local(name + "_beta"),
            Arg.Local(name + "_moving_mean"),
            Arg.Local(name + "_moving_var"),
            Buffers.State(node),
            Arg.N.OnNewLine(),
            Arg.Int(c),
            Arg.Int(s),
            Arg.Float(bn.Eps).Named("eps"),
            Arg.Float(bn.Momentum).Named("momentum"),
            Arg.Bool(bn.FixGamma).Named("fixGamma"),
            (bn.UseGlobalStats ? Arg.Bool(false) : Buffers.IsTrain).Named("useBatchStats"),
        };
        args.AddRange(extra);
        steps.Kernel(Kernels, "Forward", args.ToArray());
    }
}

using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Onnx;
using Nxt.Generators.Operators.Plans;

namespace Nxt.Generators.Operators;

/// <summary>What the loss heads share: one input, no parameters or fields, the backward pass starts at them.</summary>
internal abstract class LossOperator : Operator
{
    public const double DefaultGradScale = 1.0;

    public override (int Min, int Max) Arity(OpParams parameters) => (1, 1);

    public override string ArityHint(OpParams parameters) => string.Empty;

    public override IReadOnlyList<int> BackwardReads(InferredNode node) => new[] { node.Index };

    public override IEnumerable<string> ClassFields(InferredNode node, InferredGraph graph) => Enumerable.Empty<string>();

    public override int CpuWorkspacePerThread(InferredNode node, InferredGraph graph) => 0;

    protected static (string?, string)? CheckGradScale(string op, NodeSpec node, double gradScale)
        => SinglePrecision.IsFinite(gradScale) ? null : ("GradScale", $"{op} '{node.Name}' has grad_scale {MxnetText.Real(gradScale)}: it must be finite in single precision");
}

/// <summary>MXNet <c>SoftmaxOutput</c>: softmax forward; backward, softmax minus one-hot of the class label (ignore label, normalisation).</summary>
internal sealed class SoftmaxOutputOperator : LossOperator
{
    public const bool DefaultUseIgnore = false;
    public const int DefaultIgnoreLabel = -1;
    public const LossNormalization DefaultNormalization = LossNormalization.Null;
    public const bool DefaultPreserveShape = false;

    public override IReadOnlyList<OpKind> Kinds { get; } = new[] { OpKind.SoftmaxOutput };

    public override IReadOnlyList<string> AttributeNames { get; } = new[] { "SoftmaxOutputAttribute" };

    public override string? SizeArgument => null;

    public override (OpKind, OpParams) Read(AttributeReader attribute, List<InputRef> inputs, DeclarationSink problems)
        => (OpKind.SoftmaxOutput, new SoftmaxOutputParams(
            attribute.Double("GradScale", DefaultGradScale),
            attribute.Bool("UseIgnore", DefaultUseIgnore),
            attribute.Int("IgnoreLabel", DefaultIgnoreLabel),
            attribute.Enum("Normalization", DefaultNormalization),
            attribute.Bool("PreserveShape", DefaultPreserveShape)));

    public override (string? Argument, string Message)? CheckArguments(NodeSpec node)
    {
        var softmax = (SoftmaxOutputParams)node.Params;
        return CheckGradScale("SoftmaxOutput", node, softmax.GradScale)
            ?? (System.Enum.IsDefined(typeof(LossNormalization), softmax.Normalization)
                ? null
                : ("Normalization", $"SoftmaxOutput '{node.Name}' has normalization {(int)softmax.Normalization}, which is not a value of LossNormalization"));
    }

    public override InferredNode? Infer(InferenceContext context)
        => context.X.Count == 1 || ((SoftmaxOutputParams)context.Node.Params).PreserveShape
            ? context.Make(context.X)
            : context.Fail($"SoftmaxOutput '{context.Name}' expects class scores (N,C), but '{context.Inputs[0].Name}' is {Shapes.Batched(context.X)}: add a [Flatten] or a [FullyConnected] before it, or set PreserveShape for a score row per position");

    public override OpTraits Traits(OpParams parameters) => OpTraits.Loss;

    public override LabelInfo? Label(InferredNode node)
    {
        var softmax = Params<SoftmaxOutputParams>(node);
        // One class label per row of scores: with PreserveShape, per position of the leading axes.
        var labelShape = softmax.PreserveShape ? Shapes.Of(node.Shape.Take(node.Shape.Count - 1)) : EquatableArray<int>.Empty;
        return new LabelInfo(labelShape, node.Shape[node.Shape.Count - 1], softmax.UseIgnore ? softmax.IgnoreLabel : null);
    }

    public override IReadOnlyList<string> MxnetOps { get; } = new[] { "SoftmaxOutput", "Softmax" };

    public override (OpKind Kind, OpParams Params) FromMxnet(MxnetAttributeReader attributes)
    {
        attributes.OnlyValue("multi_output", "False", "0");
        attributes.OnlyValue("out_grad", "False", "0");
        attributes.OnlyValue("smooth_alpha", "0", "0.0");
        return (OpKind.SoftmaxOutput, new SoftmaxOutputParams(
            attributes.Double("grad_scale", DefaultGradScale),
            attributes.Bool("use_ignore", DefaultUseIgnore),
            (int)attributes.Double("ignore_label", DefaultIgnoreLabel),
            attributes.Enum("normalization", DefaultNormalization),
            attributes.Bool("preserve_shape", DefaultPreserveShape)));
    }

    public override string MxnetName(OpParams parameters) => "SoftmaxOutput";

    public override void MxnetAttributes(OpParams parameters, MxnetAttributeList attributes)
    {
        var softmax = (SoftmaxOutputParams)parameters;
        attributes.AddIf("grad_scale", MxnetText.Real(softmax.GradScale), softmax.GradScale != DefaultGradScale);
        attributes.AddIf("use_ignore", "True", softmax.UseIgnore);
        attributes.AddIf("ignore_label", MxnetText.Number(softmax.IgnoreLabel), softmax.UseIgnore);
        attributes.AddIf("normalization", MxnetText.Enum(softmax.Normalization), softmax.Normalization != DefaultNormalization);
        attributes.AddIf("preserve_shape", "True", softmax.PreserveShape);
    }

    // The forward pass, without the label.
    public override void Onnx(OnnxContext onnx) => onnx.Graph.Node("Softmax", new[] { onnx.X }, onnx.Name, OnnxAttribute.Int("axis", -1));

    public override void Forward(PlanSteps steps, ForwardContext context)
    {
        var (rows, classes) = ScoreRows(context.Node);
        steps.Kernel("SoftmaxKernels", "Forward", context.X, context.Y, rows, classes);
    }

    public override void Backward(PlanSteps steps, BackwardContext context)
    {
        var softmax = Params<SoftmaxOutputParams>(context.Node);
        var (rows, classes) = ScoreRows(context.Node);
        var args = new List<Arg> { context.Y, Buffers.Label(context.Node), context.Dx, rows, classes, Arg.Float(softmax.GradScale), context.Acc };
        if (softmax.UseIgnore || softmax.Normalization != LossNormalization.Null)
        {
            args.Add(Arg.Bool(softmax.UseIgnore).Named("useIgnore"));
            args.Add(Arg.Int(softmax.IgnoreLabel).Named("ignoreLabel"));
            args.Add(Arg.Int((int)softmax.Normalization).Named("normalization"));
        }

        steps.Guarded(context.WantX, "SoftmaxKernels", "OutputBackward", args.ToArray());
    }

    // Rows of class scores: a sample's one row, or with PreserveShape one per position.
    private static (Arg Rows, Arg Classes) ScoreRows(InferredNode node)
    {
        int classes = node.Shape[node.Shape.Count - 1];
        return (Arg.Rows(node.SampleLength / classes), Arg.Int(classes));
    }
}

/// <summary>
/// MXNet <c>LinearRegressionOutput</c> (identity forward: a view) and
/// <c>LogisticRegressionOutput</c> (sigmoid); backward, output minus label, with a label of the output's shape.
/// </summary>
internal sealed class RegressionOutputOperator : LossOperator
{
    private const string Kernels = "RegressionKernels";

    public override IReadOnlyList<OpKind> Kinds { get; } = new[] { OpKind.LinearRegressionOutput, OpKind.LogisticRegressionOutput };

    public override IReadOnlyList<string> AttributeNames { get; } = new[] { "LinearRegressionOutputAttribute", "LogisticRegressionOutputAttribute" };

    public override string? SizeArgument => null;

    public override (OpKind, OpParams) Read(AttributeReader attribute, List<InputRef> inputs, DeclarationSink problems)
    {
        bool logistic = attribute.ShortName == "LogisticRegressionOutput";
        return (logistic ? OpKind.LogisticRegressionOutput : OpKind.LinearRegressionOutput, new RegressionOutputParams(logistic, attribute.Double("GradScale", DefaultGradScale)));
    }

    public override (string? Argument, string Message)? CheckArguments(NodeSpec node)
        => CheckGradScale(node.Op.ToString(), node, ((RegressionOutputParams)node.Params).GradScale);

    public override InferredNode? Infer(InferenceContext context) => context.Make(context.X);

    public override OpTraits Traits(OpParams parameters) => ((RegressionOutputParams)parameters).Logistic ? OpTraits.Loss : OpTraits.Loss | OpTraits.View;

    public override LabelInfo? Label(InferredNode node) => new(node.Shape);

    public override IReadOnlyList<string> MxnetOps { get; } = new[] { "LinearRegressionOutput", "LogisticRegressionOutput" };

    public override (OpKind Kind, OpParams Params) FromMxnet(MxnetAttributeReader attributes)
    {
        bool logistic = attributes.Op == "LogisticRegressionOutput";
        return (logistic ? OpKind.LogisticRegressionOutput : OpKind.LinearRegressionOutput, new RegressionOutputParams(logistic, attributes.Double("grad_scale", DefaultGradScale)));
    }

    public override string MxnetName(OpParams parameters) => ((RegressionOutputParams)parameters).Logistic ? "LogisticRegressionOutput" : "LinearRegressionOutput";

    public override void MxnetAttributes(OpParams parameters, MxnetAttributeList attributes)
    {
        var regression = (RegressionOutputParams)parameters;
        attributes.AddIf("grad_scale", MxnetText.Real(regression.GradScale), regression.GradScale != DefaultGradScale);
    }

    public override void Onnx(OnnxContext onnx) => onnx.Graph.Node(Params<RegressionOutputParams>(onnx.Node).Logistic ? "Sigmoid" : "Identity", new[] { onnx.X }, onnx.Name);

    public override void Forward(PlanSteps steps, ForwardContext context)
    {
        if (Params<RegressionOutputParams>(context.Node).Logistic)
        {
            steps.Kernel(Kernels, "LogisticForward", context.X, context.Y);
        }
        else
        {
            ViewOperator.WriteForward(steps, context);
        }
    }

    public override void Backward(PlanSteps steps, BackwardContext context)
    {
        var regression = Params<RegressionOutputParams>(context.Node);
        steps.Guarded(
            context.WantX,
            Kernels,
            "Backward",
            context.Y,
            Buffers.Label(context.Node),
            context.Dx,
            Arg.Int(context.Node.SampleLength).Named("perSample"),
            Arg.Float(regression.GradScale).Named("gradScale"),
            context.Acc);
    }
}

/// <summary>MXNet <c>MakeLoss</c>: its input is the loss; backward, a constant gradient (grad_scale, over the batch when normalised).</summary>
internal sealed class MakeLossOperator : LossOperator
{
    public const LossNormalization DefaultNormalization = LossNormalization.Null;

    public override IReadOnlyList<OpKind> Kinds { get; } = new[] { OpKind.MakeLoss };

    public override IReadOnlyList<string> AttributeNames { get; } = new[] { "MakeLossAttribute" };

    public override string? SizeArgument => null;

    public override (OpKind, OpParams) Read(AttributeReader attribute, List<InputRef> inputs, DeclarationSink problems)
        => (OpKind.MakeLoss, new MakeLossParams(attribute.Double("GradScale", DefaultGradScale), attribute.Enum("Normalization", DefaultNormalization)));

    public override (string? Argument, string Message)? CheckArguments(NodeSpec node)
    {
        var loss = (MakeLossParams)node.Params;
        return CheckGradScale("MakeLoss", node, loss.GradScale)
            ?? (loss.Normalization == LossNormalization.Valid ? ("Normalization", $"MakeLoss '{node.Name}' supports null and batch normalization; valid needs labels") : null);
    }

    public override InferredNode? Infer(InferenceContext context) => context.Make(context.X);

    public override OpTraits Traits(OpParams parameters) => OpTraits.Loss | OpTraits.View;

    public override LabelInfo? Label(InferredNode node) => null;

    // The gradient is a constant: nothing is read.
    public override IReadOnlyList<int> BackwardReads(InferredNode node) => System.Array.Empty<int>();

    public override IReadOnlyList<string> MxnetOps { get; } = new[] { "MakeLoss", "make_loss" };

    public override (OpKind Kind, OpParams Params) FromMxnet(MxnetAttributeReader attributes)
        => (OpKind.MakeLoss, new MakeLossParams(attributes.Double("grad_scale", DefaultGradScale), attributes.Enum("normalization", DefaultNormalization)));

    public override string MxnetName(OpParams parameters) => "MakeLoss";

    public override void MxnetAttributes(OpParams parameters, MxnetAttributeList attributes)
    {
        var loss = (MakeLossParams)parameters;
        attributes.AddIf("grad_scale", MxnetText.Real(loss.GradScale), loss.GradScale != DefaultGradScale);
        attributes.AddIf("normalization", MxnetText.Enum(loss.Normalization), loss.Normalization != DefaultNormalization);
    }

    public override void Onnx(OnnxContext onnx) => onnx.Single("Identity");

    public override void Forward(PlanSteps steps, ForwardContext context) => ViewOperator.WriteForward(steps, context);

    public override void Backward(PlanSteps steps, BackwardContext context)
    {
        var loss = Params<MakeLossParams>(context.Node);
        string scale = Arg.FloatText(loss.GradScale);
        var gradient = loss.Normalization == LossNormalization.Batch ? Arg.Expression($"{scale} / n", "n") : Arg.Raw(scale);
        steps.Guarded(context.WantX, "RegressionKernels", "ConstantGradient", context.Dx, gradient, context.Acc);
    }
}

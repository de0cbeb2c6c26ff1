using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Onnx;
using Nxt.Generators.Operators.Plans;

namespace Nxt.Generators.Operators;

/// <summary>MXNet <c>softmax</c> and <c>log_softmax</c> over the last axis; either can end an inference-only network.</summary>
internal sealed class SoftmaxOperator : Operator
{
    private const string Kernels = "SoftmaxKernels";

    public override IReadOnlyList<OpKind> Kinds { get; } = new[] { OpKind.Softmax, OpKind.LogSoftmax };

    public override IReadOnlyList<string> AttributeNames { get; } = new[] { "SoftmaxAttribute", "LogSoftmaxAttribute" };

    public override string? SizeArgument => null;

    public override (OpKind, OpParams) Read(AttributeReader attribute, List<InputRef> inputs, DeclarationSink problems)
        => attribute.ShortName == "LogSoftmax" ? (OpKind.LogSoftmax, new SoftmaxParams(Log: true)) : (OpKind.Softmax, new SoftmaxParams(Log: false));

    public override (string? Argument, string Message)? CheckArguments(NodeSpec node) => null;

    public override (int Min, int Max) Arity(OpParams parameters) => (1, 1);

    public override string ArityHint(OpParams parameters) => string.Empty;

    public override InferredNode? Infer(InferenceContext context) => context.Make(context.X);

    public override OpTraits Traits(OpParams parameters) => OpTraits.None;

    public override LabelInfo? Label(InferredNode node) => null;

    public override IReadOnlyList<int> BackwardReads(InferredNode node) => new[] { node.Index };

    public override IReadOnlyList<string> MxnetOps { get; } = new[] { "softmax", "log_softmax", "SoftmaxActivation" };

    public override (OpKind Kind, OpParams Params) FromMxnet(MxnetAttributeReader attributes)
    {
        // Over the last axis only, as Nxt computes it.
        attributes.OnlyValue("axis", "-1");
        attributes.OnlyValue("mode", "instance");
        return attributes.Op == "log_softmax" ? (OpKind.LogSoftmax, new SoftmaxParams(Log: true)) : (OpKind.Softmax, new SoftmaxParams(Log: false));
    }

    public override string MxnetName(OpParams parameters) => ((SoftmaxParams)parameters).Log ? "log_softmax" : "softmax";

    public override void MxnetAttributes(OpParams parameters, MxnetAttributeList attributes)
    {
    }

    public override void Onnx(OnnxContext onnx) => onnx.Single(Params<SoftmaxParams>(onnx.Node).Log ? "LogSoftmax" : "Softmax", OnnxAttribute.Int("axis", -1));

    public override IEnumerable<string> ClassFields(InferredNode node, InferredGraph graph) => Enumerable.Empty<string>();

    public override int CpuWorkspacePerThread(InferredNode node, InferredGraph graph) => 0;

    public override void Forward(PlanSteps steps, ForwardContext context)
    {
        var (rows, classes) = LastAxis(context.Node);
        steps.Kernel(Kernels, Params<SoftmaxParams>(context.Node).Log ? "LogForward" : "Forward", context.X, context.Y, rows, classes);
    }

    public override void Backward(PlanSteps steps, BackwardContext context)
    {
        var (rows, classes) = LastAxis(context.Node);
        steps.Guarded(context.WantX, Kernels, Params<SoftmaxParams>(context.Node).Log ? "LogBackward" : "Backward", context.Y, context.Dy, context.Dx, rows, classes, context.Acc);
    }

    /// <summary>A last-axis operator as rows of the last dimension: <c>(n · leading, last)</c>.</summary>
    private static (Arg Rows, Arg Last) LastAxis(InferredNode node)
    {
        int last = node.Shape[node.Shape.Count - 1];
        return (Arg.Rows(node.SampleLength / last), Arg.Int(last));
    }
}

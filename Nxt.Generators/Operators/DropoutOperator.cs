using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Onnx;
using Nxt.Generators.Operators.Plans;

namespace Nxt.Generators.Operators;

/// <summary>MXNet <c>Dropout</c>: in training, zero with probability p and scale by 1/(1-p), the mask kept for backward; a copy otherwise.</summary>
internal sealed class DropoutOperator : Operator
{
    public const double DefaultP = 0.5;
    private const string Kernels = "DropoutKernels";

    public override IReadOnlyList<OpKind> Kinds { get; } = new[] { OpKind.Dropout };

    public override IReadOnlyList<string> AttributeNames { get; } = new[] { "DropoutAttribute" };

    public override string? SizeArgument => null;

    public override (OpKind, OpParams) Read(AttributeReader attribute, List<InputRef> inputs, DeclarationSink problems)
        => (OpKind.Dropout, new DropoutParams(attribute.Double(0, DefaultP)));

    public override (string? Argument, string Message)? CheckArguments(NodeSpec node)
        => node.Params is DropoutParams dropout && !(dropout.P >= 0 && dropout.P < 1)
            ? ("p", $"Dropout '{node.Name}' has p = {MxnetText.Real(dropout.P)}: the drop probability must be in [0, 1)")
            : null;

    public override (int Min, int Max) Arity(OpParams parameters) => (1, 1);

    public override string ArityHint(OpParams parameters) => string.Empty;

    public override InferredNode? Infer(InferenceContext context)
        => context.Make(context.X, scratch: new ScratchNeeds(Shapes.Product(context.X), 0, "_mask"));

    public override OpTraits Traits(OpParams parameters) => OpTraits.InPlace;

    public override LabelInfo? Label(InferredNode node) => null;

    // The mask is the node's own scratch, not a value.
    public override IReadOnlyList<int> BackwardReads(InferredNode node) => System.Array.Empty<int>();

    public override IReadOnlyList<string> MxnetOps { get; } = new[] { "Dropout" };

    public override (OpKind Kind, OpParams Params) FromMxnet(MxnetAttributeReader attributes)
    {
        attributes.OnlyValue("mode", "training");
        attributes.OnlyValue("axes", "()", "[]");
        return (OpKind.Dropout, new DropoutParams(attributes.Double("p", DefaultP)));
    }

    public override string MxnetName(OpParams parameters) => "Dropout";

    public override void MxnetAttributes(OpParams parameters, MxnetAttributeList attributes)
        => attributes.Add("p", MxnetText.Real(((DropoutParams)parameters).P));

    // Inference: the identity.
    public override void Onnx(OnnxContext onnx) => onnx.Single("Identity");

    public override IEnumerable<string> ClassFields(InferredNode node, InferredGraph graph) => Enumerable.Empty<string>();

    public override int CpuWorkspacePerThread(InferredNode node, InferredGraph graph) => 0;

    public override void Forward(PlanSteps steps, ForwardContext context)
    {
        var dropout = Params<DropoutParams>(context.Node);
        steps.If(
            Buffers.IsTrain,
            then => then.Kernel(Kernels, "ForwardTraining", context.X, Buffers.Scratch(context.Node), context.Y, Arg.Float(dropout.P), Arg.Raw("Random")),
            otherwise => otherwise.Invoke(context.X, "CopyTo", context.Y));
    }

    public override void Backward(PlanSteps steps, BackwardContext context)
        => steps.Guarded(context.WantX, Kernels, "Backward", context.Dy, Buffers.Scratch(context.Node), context.Dx, context.Acc);
}

using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Onnx;
using Nxt.Generators.Operators.Plans;

namespace Nxt.Generators.Operators;

/// <summary><c>[SequenceLast(Axis = 1)]</c>.</summary>
internal sealed record SequenceLastParams(int Axis) : OpParams;

/// <summary>MXNet <c>SequenceLast</c> over the time axis after the batch: <c>(N, T, ...)</c> to <c>(N, ...)</c>; its gradient goes to the last step alone.</summary>
internal sealed class SequenceLastOperator : Operator
{
    public static readonly OpKind Kind = new("SequenceLast");
    public const int DefaultAxis = 1;
    private const string Kernels = "SequenceKernels";

    public override IReadOnlyList<OpKind> Kinds { get; } = new[] { Kind };

    public override IReadOnlyList<string> AttributeNames { get; } = new[] { "SequenceLastAttribute" };

    public override string? SizeArgument => null;

    public override (OpKind, OpParams) Read(AttributeReader attribute, List<InputRef> inputs, DeclarationSink problems)
        => (Kind, new SequenceLastParams(attribute.Int("Axis", DefaultAxis)));

    public override (string? Argument, string Message)? CheckArguments(NodeSpec node)
        => node.Params is SequenceLastParams { Axis: not 1 } last
            ? ("Axis", $"SequenceLast '{node.Name}' has axis {last.Axis}: a Nxt value has the batch first, so its time axis is 1")
            : null;

    public override (int Min, int Max) Arity(OpParams parameters) => (1, 1);

    public override string ArityHint(OpParams parameters) => string.Empty;

    public override InferredNode? Infer(InferenceContext context)
        => context.X.Count < 2
            ? context.Fail($"SequenceLast '{context.Name}' reads a sequence (N,T,...), but '{context.Inputs[0].Name}' is {Shapes.Batched(context.X)}")
            : context.Make(Shapes.Of(context.X.Skip(1)));

    public override OpTraits Traits(OpParams parameters) => OpTraits.None;

    public override LabelInfo? Label(InferredNode node) => null;

    public override IReadOnlyList<int> BackwardReads(InferredNode node) => System.Array.Empty<int>();

    public override IReadOnlyList<string> MxnetOps { get; } = new[] { "SequenceLast" };

    public override (OpKind Kind, OpParams Params) FromMxnet(MxnetAttributeReader attributes)
    {
        attributes.OnlyValue("use_sequence_length", "False", "0");
        return (Kind, new SequenceLastParams(attributes.Int("axis", 0)));
    }

    public override string MxnetName(OpParams parameters) => "SequenceLast";

    public override void MxnetAttributes(OpParams parameters, MxnetAttributeList attributes) => attributes.Add("axis", ((SequenceLastParams)parameters).Axis);

    public override void Onnx(OnnxContext onnx)
    {
        // The step T-1 of axis 1, then that axis squeezed away.
        onnx.Graph.Int64s(onnx.Name + "_last", new[] { onnx.Inputs[0].Shape[0] - 1 });
        onnx.Graph.Int64s(onnx.Name + "_axis", new[] { 1 });
        onnx.Graph.Node("Gather", new[] { onnx.X, onnx.Name + "_last" }, onnx.Name + "_step", OnnxAttribute.Int("axis", 1));
        onnx.Graph.Node("Squeeze", new[] { onnx.Name + "_step", onnx.Name + "_axis" }, onnx.Name);
    }

    public override IEnumerable<string> ClassFields(InferredNode node, InferredGraph graph) => Enumerable.Empty<string>();

    public override int CpuWorkspacePerThread(InferredNode node, InferredGraph graph) => 0;

    public override void Forward(PlanSteps steps, ForwardContext context)
        => steps.Kernel(Kernels, "LastStep", context.X, context.Y, Arg.N, Arg.Int(context.Inputs[0].Shape[0]), Arg.Int(context.Node.SampleLength));

    public override void Backward(PlanSteps steps, BackwardContext context)
        => steps.Guarded(context.WantX, Kernels, "LastStepBackward", context.Dy, context.Dx, Arg.N, Arg.Int(context.Inputs[0].Shape[0]), Arg.Int(context.Node.SampleLength), context.Acc);
}

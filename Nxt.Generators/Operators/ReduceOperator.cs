using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Onnx;
using Nxt.Generators.Operators.Plans;

namespace Nxt.Generators.Operators;

/// <summary><c>[Sum(axis)]</c> or <c>[Mean(axis)]</c>, the axis counting the batch.</summary>
internal sealed record ReduceParams(bool Mean, int Axis, bool Keepdims) : OpParams;

/// <summary>MXNet <c>sum</c> and <c>mean</c> over one axis of the sample; backward, the gradient spread over that axis.</summary>
internal sealed class ReduceOperator : Operator
{
    public static readonly OpKind SumKind = new("Sum");
    public static readonly OpKind MeanKind = new("Mean");
    public const bool DefaultKeepdims = false;
    private const string Kernels = "AxisKernels";

    public override IReadOnlyList<OpKind> Kinds { get; } = new[] { SumKind, MeanKind };

    public override IReadOnlyList<string> AttributeNames { get; } = new[] { "SumAttribute", "MeanAttribute" };

    public override string? SizeArgument => null;

    public override (OpKind, OpParams) Read(AttributeReader attribute, List<InputRef> inputs, DeclarationSink problems)
    {
        bool mean = attribute.ShortName == "Mean";
        return (mean ? MeanKind : SumKind, new ReduceParams(mean, attribute.Int(0), attribute.Bool("Keepdims", DefaultKeepdims)));
    }

    public override (string? Argument, string Message)? CheckArguments(NodeSpec node)
        => node.Params is ReduceParams { Axis: < 1 } r ? ("axis", $"{Name(r)} '{node.Name}' has axis {r.Axis}: axis 0 is the batch, which a module keeps; reduce a sample's axis (1 or more)") : null;

    public override (int Min, int Max) Arity(OpParams parameters) => (1, 1);

    public override string ArityHint(OpParams parameters) => string.Empty;

    public override InferredNode? Infer(InferenceContext context)
    {
        var r = (ReduceParams)context.Node.Params;
        if (r.Axis > context.X.Count)
        {
            return context.Fail(ErrorCode.ParameterOutOfRange, "axis", $"{Name(r)} '{context.Name}' has axis {r.Axis}, but '{context.Inputs[0].Name}' is {Shapes.Batched(context.X)}");
        }

        var shape = r.Keepdims
            ? context.X.Select((d, i) => i == r.Axis - 1 ? 1 : d)
            : context.X.Where((_, i) => i != r.Axis - 1);
        return context.Make(Shapes.Of(shape.DefaultIfEmpty(1)));
    }

    public override OpTraits Traits(OpParams parameters) => OpTraits.None;

    public override LabelInfo? Label(InferredNode node) => null;

    public override IReadOnlyList<int> BackwardReads(InferredNode node) => System.Array.Empty<int>();

    public override IReadOnlyList<string> MxnetOps { get; } = new[] { "sum", "mean" };

    public override (OpKind Kind, OpParams Params) FromMxnet(MxnetAttributeReader attributes)
    {
        attributes.OnlyValue("exclude", "False", "0");
        var axes = attributes.Tuple("axis");
        if (axes is not { Length: 1 })
        {
            throw new MxnetImportException($"attribute 'axis' is '{(axes is null ? "None" : string.Join(", ", axes))}': Nxt's {attributes.Op} reduces one axis of the sample");
        }

        bool mean = attributes.Op == "mean";
        return (mean ? MeanKind : SumKind, new ReduceParams(mean, axes[0], attributes.Bool("keepdims", DefaultKeepdims)));
    }

    public override string MxnetName(OpParams parameters) => ((ReduceParams)parameters).Mean ? "mean" : "sum";

    public override void MxnetAttributes(OpParams parameters, MxnetAttributeList attributes)
    {
        var r = (ReduceParams)parameters;
        attributes.Add("axis", r.Axis);
        attributes.AddIf("keepdims", "True", r.Keepdims);
    }

    // Opset 13: ReduceSum takes its axes as an input, ReduceMean as an attribute.
    public override void Onnx(OnnxContext onnx)
    {
        var r = Params<ReduceParams>(onnx.Node);
        var keep = OnnxAttribute.Int("keepdims", r.Keepdims ? 1 : 0);
        if (r.Mean)
        {
            onnx.Graph.Node("ReduceMean", new[] { onnx.X }, onnx.Name, OnnxAttribute.Ints("axes", new[] { r.Axis }), keep);
            return;
        }

        onnx.Graph.Int64s(onnx.Name + "_axes", new[] { r.Axis });
        onnx.Graph.Node("ReduceSum", new[] { onnx.X, onnx.Name + "_axes" }, onnx.Name, keep);
    }

    public override IEnumerable<string> ClassFields(InferredNode node, InferredGraph graph)
    {
        var r = Params<ReduceParams>(node);
        var x = graph.Nodes[node.Input].Shape;
        var (outer, dim, inner) = SliceAxisOperator.AroundAxis(x, r.Axis);
        string scale = r.Mean ? Arg.FloatText(1.0 / dim) : "1f";
        yield return $"private static readonly global::Nxt.Kernels.ReduceGeometry {Windows.FieldName(node)} = new(Outer: {outer}, Dim: {dim}, Inner: {inner}, Scale: {scale});";
    }

    public override int CpuWorkspacePerThread(InferredNode node, InferredGraph graph) => 0;

    public override void Forward(PlanSteps steps, ForwardContext context)
        => steps.Kernel(Kernels, "Reduce", context.X, context.Y, Arg.N, Windows.Field(context.Node));

    public override void Backward(PlanSteps steps, BackwardContext context)
        => steps.Guarded(context.WantX, Kernels, "ReduceBackward", context.Dy, context.Dx, Arg.N, Windows.Field(context.Node), context.Acc);

    private static string Name(ReduceParams r) => r.Mean ? "Mean" : "Sum";
}

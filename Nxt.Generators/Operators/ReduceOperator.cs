using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Onnx;
using Nxt.Generators.Operators.Plans;

namespace Nxt.Generators.Operators;

/// <summary><c>[Sum(axes)]</c> or <c>[Mean(axes)]</c>, the axes counting the batch.</summary>
internal sealed record ReduceParams(bool Mean, EquatableArray<int> Axes, bool Keepdims) : OpParams;

/// <summary>
/// MXNet <c>sum</c> and <c>mean</c> over one axis of the sample or several adjacent ones (one
/// <c>(Outer, Dim, Inner)</c> split either way); backward, the gradient spread over those axes.
/// </summary>
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
        var axes = attribute.Ints(0);
        return (mean ? MeanKind : SumKind, new ReduceParams(mean, axes.Count > 0 ? axes : Shapes.Of(attribute.Int(0)), attribute.Bool("Keepdims", DefaultKeepdims)));
    }

    public override (string? Argument, string Message)? CheckArguments(NodeSpec node)
    {
        var r = (ReduceParams)node.Params;
        if (r.Axes.Count == 0 || r.Axes.Any(a => a < 1))
        {
            return (r.Axes.Count == 1 ? "axis" : "axes", $"{Name(r)} '{node.Name}' has axis {Axes(r)}: axis 0 is the batch, which a module keeps; reduce a sample's axes (1 or more)");
        }

        var sorted = r.Axes.OrderBy(a => a).ToArray();
        return sorted.Where((a, i) => i > 0 && a != sorted[i - 1] + 1).Any()
            ? ("axes", $"{Name(r)} '{node.Name}' has axes {Axes(r)}: Nxt reduces adjacent axes (Transpose the others next to each other first)")
            : null;
    }

    public override (int Min, int Max) Arity(OpParams parameters) => (1, 1);

    public override string ArityHint(OpParams parameters) => string.Empty;

    public override InferredNode? Infer(InferenceContext context)
    {
        var r = (ReduceParams)context.Node.Params;
        if (r.Axes.Max() > context.X.Count)
        {
            return context.Fail(ErrorCode.ParameterOutOfRange, "axis", $"{Name(r)} '{context.Name}' has axis {Axes(r)}, but '{context.Inputs[0].Name}' is {Shapes.Batched(context.X)}");
        }

        var shape = r.Keepdims
            ? context.X.Select((d, i) => r.Axes.Contains(i + 1) ? 1 : d)
            : context.X.Where((_, i) => !r.Axes.Contains(i + 1));
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
        if (axes is not { Length: > 0 })
        {
            throw new MxnetImportException($"attribute 'axis' is '{(axes is null ? "None" : "()")}': Nxt's {attributes.Op} reduces axes of the sample, and this reduces every axis, the batch too");
        }

        bool mean = attributes.Op == "mean";
        return (mean ? MeanKind : SumKind, new ReduceParams(mean, axes.ToEquatableArray(), attributes.Bool("keepdims", DefaultKeepdims)));
    }

    public override string MxnetName(OpParams parameters) => ((ReduceParams)parameters).Mean ? "mean" : "sum";

    public override void MxnetAttributes(OpParams parameters, MxnetAttributeList attributes)
    {
        var r = (ReduceParams)parameters;
        attributes.Add("axis", r.Axes.Count == 1 ? MxnetText.Number(r.Axes[0]) : MxnetText.Tuple(r.Axes));
        attributes.AddIf("keepdims", "True", r.Keepdims);
    }

    // Opset 13: ReduceSum takes its axes as an input, ReduceMean as an attribute.
    public override void Onnx(OnnxContext onnx)
    {
        var r = Params<ReduceParams>(onnx.Node);
        var keep = OnnxAttribute.Int("keepdims", r.Keepdims ? 1 : 0);
        if (r.Mean)
        {
            onnx.Graph.Node("ReduceMean", new[] { onnx.X }, onnx.Name, OnnxAttribute.Ints("axes", r.Axes), keep);
            return;
        }

        onnx.Graph.Int64s(onnx.Name + "_axes", r.Axes);
        onnx.Graph.Node("ReduceSum", new[] { onnx.X, onnx.Name + "_axes" }, onnx.Name, keep);
    }

    public override IEnumerable<string> ClassFields(InferredNode node, InferredGraph graph)
    {
        var r = Params<ReduceParams>(node);
        var x = graph.Nodes[node.Input].Shape;
        // Adjacent axes reduce as one: the product of their sizes between what comes before and after.
        int first = r.Axes.Min(), last = r.Axes.Max();
        int outer = x.Take(first - 1).Aggregate(1, (a, b) => a * b), dim = x.Skip(first - 1).Take(last - first + 1).Aggregate(1, (a, b) => a * b), inner = x.Skip(last).Aggregate(1, (a, b) => a * b);
        string scale = r.Mean ? Arg.FloatText(1.0 / dim) : "1f";
        yield return $"private static readonly global::Nxt.Kernels.ReduceGeometry {Windows.FieldName(node)} = new(Outer: {outer}, Dim: {dim}, Inner: {inner}, Scale: {scale});";
    }

    public override int CpuWorkspacePerThread(InferredNode node, InferredGraph graph) => 0;

    public override void Forward(PlanSteps steps, ForwardContext context)
        => steps.Kernel(Kernels, "Reduce", context.X, context.Y, Arg.N, Windows.Field(context.Node));

    public override void Backward(PlanSteps steps, BackwardContext context)
        => steps.Guarded(context.WantX, Kernels, "ReduceBackward", context.Dy, context.Dx, Arg.N, Windows.Field(context.Node), context.Acc);

    private static string Name(ReduceParams r) => r.Mean ? "Mean" : "Sum";

    private static string Axes(ReduceParams r) => r.Axes.Count == 1 ? MxnetText.Number(r.Axes[0]) : MxnetText.Tuple(r.Axes);
}

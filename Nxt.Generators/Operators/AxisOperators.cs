using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Onnx;
using Nxt.Generators.Operators.Plans;

namespace Nxt.Generators.Operators;

/// <summary><c>[ExpandDims(axis)]</c>, the axis counting the batch.</summary>
internal sealed record ExpandDimsParams(int Axis) : OpParams;

/// <summary><c>[SliceAxis(axis, begin, end)]</c>, the axis counting the batch.</summary>
internal sealed record SliceAxisParams(int Axis, int Begin, int End) : OpParams;

/// <summary><c>[Transpose(axes)]</c>, the axes counting the batch.</summary>
internal sealed record TransposeParams(EquatableArray<int> Axes) : OpParams;

/// <summary>MXNet <c>expand_dims</c>: a new axis of size 1, a view.</summary>
internal sealed class ExpandDimsOperator : ViewOperator
{
    public static readonly OpKind Kind = new("ExpandDims");

    public override IReadOnlyList<OpKind> Kinds { get; } = new[] { Kind };

    public override IReadOnlyList<string> AttributeNames { get; } = new[] { "ExpandDimsAttribute" };

    public override string? SizeArgument => null;

    public override (OpKind, OpParams) Read(AttributeReader attribute, List<InputRef> inputs, DeclarationSink problems) => (Kind, new ExpandDimsParams(attribute.Int(0)));

    public override (string? Argument, string Message)? CheckArguments(NodeSpec node)
        => node.Params is ExpandDimsParams { Axis: < 1 } e ? ("axis", $"ExpandDims '{node.Name}' has axis {e.Axis}: axis 0 is the batch, so the new axis is at least 1") : null;

    public override InferredNode? Infer(InferenceContext context)
    {
        int axis = ((ExpandDimsParams)context.Node.Params).Axis;
        return axis > context.X.Count + 1
            ? context.Fail(ErrorCode.ParameterOutOfRange, "axis", $"ExpandDims '{context.Name}' has axis {axis}, past the end of '{context.Inputs[0].Name}' {Shapes.Batched(context.X)}")
            : context.Make(Shapes.Of(context.X.Take(axis - 1).Append(1).Concat(context.X.Skip(axis - 1))));
    }

    public override IReadOnlyList<string> MxnetOps { get; } = new[] { "expand_dims" };

    public override (OpKind Kind, OpParams Params) FromMxnet(MxnetAttributeReader attributes) => (Kind, new ExpandDimsParams(attributes.RequiredInt("axis")));

    public override string MxnetName(OpParams parameters) => "expand_dims";

    public override void MxnetAttributes(OpParams parameters, MxnetAttributeList attributes) => attributes.Add("axis", ((ExpandDimsParams)parameters).Axis);

    public override void Onnx(OnnxContext onnx)
    {
        onnx.Graph.Int64s(onnx.Name + "_axes", new[] { Params<ExpandDimsParams>(onnx.Node).Axis });
        onnx.Graph.Node("Unsqueeze", new[] { onnx.X, onnx.Name + "_axes" }, onnx.Name);
    }
}

/// <summary>MXNet <c>slice_axis</c>: one axis cut to <c>[begin, end)</c>; the gradient goes back inside the cut.</summary>
internal sealed class SliceAxisOperator : Operator
{
    public static readonly OpKind Kind = new("SliceAxis");
    private const string Kernels = "AxisKernels";

    public override IReadOnlyList<OpKind> Kinds { get; } = new[] { Kind };

    public override IReadOnlyList<string> AttributeNames { get; } = new[] { "SliceAxisAttribute" };

    public override string? SizeArgument => null;

    public override (OpKind, OpParams) Read(AttributeReader attribute, List<InputRef> inputs, DeclarationSink problems)
        => (Kind, new SliceAxisParams(attribute.Int(0), attribute.Int(1), attribute.Int(2)));

    public override (string? Argument, string Message)? CheckArguments(NodeSpec node)
        => node.Params is SliceAxisParams { Axis: < 1 } s ? ("axis", $"SliceAxis '{node.Name}' has axis {s.Axis}: axis 0 is the batch, which a slice keeps whole") : null;

    public override (int Min, int Max) Arity(OpParams parameters) => (1, 1);

    public override string ArityHint(OpParams parameters) => string.Empty;

    public override InferredNode? Infer(InferenceContext context)
    {
        var s = (SliceAxisParams)context.Node.Params;
        if (s.Axis > context.X.Count)
        {
            return context.Fail(ErrorCode.ParameterOutOfRange, "axis", $"SliceAxis '{context.Name}' has axis {s.Axis}, but '{context.Inputs[0].Name}' is {Shapes.Batched(context.X)}");
        }

        var (begin, end) = Range(s, context.X[s.Axis - 1]);
        if (begin < 0 || end > context.X[s.Axis - 1] || begin >= end)
        {
            return context.Fail(ErrorCode.ParameterOutOfRange, "begin", $"SliceAxis '{context.Name}' takes [{s.Begin}, {s.End}) of axis {s.Axis}, which has {context.X[s.Axis - 1]} elements: the slice is empty or outside it");
        }

        return context.Make(Shapes.Of(context.X.Select((d, i) => i == s.Axis - 1 ? end - begin : d)));
    }

    public override OpTraits Traits(OpParams parameters) => OpTraits.None;

    public override LabelInfo? Label(InferredNode node) => null;

    public override IReadOnlyList<int> BackwardReads(InferredNode node) => System.Array.Empty<int>();

    public override IReadOnlyList<string> MxnetOps { get; } = new[] { "slice_axis" };

    public override (OpKind Kind, OpParams Params) FromMxnet(MxnetAttributeReader attributes)
        => (Kind, new SliceAxisParams(attributes.RequiredInt("axis"), attributes.RequiredInt("begin"), attributes.Int("end", 0)));

    public override string MxnetName(OpParams parameters) => "slice_axis";

    public override void MxnetAttributes(OpParams parameters, MxnetAttributeList attributes)
    {
        var s = (SliceAxisParams)parameters;
        attributes.Add("axis", s.Axis);
        attributes.Add("begin", s.Begin);
        attributes.Add("end", s.End == 0 ? "None" : MxnetText.Number(s.End));
    }

    public override void Onnx(OnnxContext onnx)
    {
        var s = Params<SliceAxisParams>(onnx.Node);
        var (begin, end) = Range(s, onnx.Inputs[0].Shape[s.Axis - 1]);
        onnx.Graph.Int64s(onnx.Name + "_starts", new[] { begin });
        onnx.Graph.Int64s(onnx.Name + "_ends", new[] { end });
        onnx.Graph.Int64s(onnx.Name + "_axes", new[] { s.Axis });
        onnx.Graph.Node("Slice", new[] { onnx.X, onnx.Name + "_starts", onnx.Name + "_ends", onnx.Name + "_axes" }, onnx.Name);
    }

    public override IEnumerable<string> ClassFields(InferredNode node, InferredGraph graph)
    {
        var s = Params<SliceAxisParams>(node);
        var x = graph.Nodes[node.Input].Shape;
        var (begin, end) = Range(s, x[s.Axis - 1]);
        var (outer, dim, inner) = AroundAxis(x, s.Axis);
        yield return $"private static readonly global::Nxt.Kernels.SliceGeometry {Windows.FieldName(node)} = new(Outer: {outer}, Dim: {dim}, Inner: {inner}, Begin: {begin}, Length: {end - begin});";
    }

    public override int CpuWorkspacePerThread(InferredNode node, InferredGraph graph) => 0;

    public override void Forward(PlanSteps steps, ForwardContext context)
        => steps.Kernel(Kernels, "Slice", context.X, context.Y, Arg.N, Windows.Field(context.Node));

    public override void Backward(PlanSteps steps, BackwardContext context)
        => steps.Guarded(context.WantX, Kernels, "SliceBackward", context.Dy, context.Dx, Arg.N, Windows.Field(context.Node), context.Acc);

    /// <summary>A sample as <c>(Outer, Dim, Inner)</c> around <paramref name="axis"/> (counting the batch as 0).</summary>
    public static (int Outer, int Dim, int Inner) AroundAxis(IReadOnlyList<int> sample, int axis)
        => (sample.Take(axis - 1).Aggregate(1, (a, b) => a * b), sample[axis - 1], sample.Skip(axis).Aggregate(1, (a, b) => a * b));

    // Python's rules: negative counts from the end, an end of 0 (None) is the end.
    private static (int Begin, int End) Range(SliceAxisParams s, int length)
        => (s.Begin < 0 ? s.Begin + length : s.Begin, s.End == 0 ? length : s.End < 0 ? s.End + length : s.End);
}

/// <summary>MXNet <c>transpose(axes)</c> of a sample's axes (up to four), the batch kept first; backward, the inverse permutation.</summary>
internal sealed class TransposeOperator : Operator
{
    public static readonly OpKind Kind = new("Transpose");
    private const string Kernels = "AxisKernels";

    public override IReadOnlyList<OpKind> Kinds { get; } = new[] { Kind };

    public override IReadOnlyList<string> AttributeNames { get; } = new[] { "TransposeAttribute" };

    public override string? SizeArgument => null;

    public override (OpKind, OpParams) Read(AttributeReader attribute, List<InputRef> inputs, DeclarationSink problems) => (Kind, new TransposeParams(attribute.Ints(0)));

    public override (string? Argument, string Message)? CheckArguments(NodeSpec node)
        => node.Params is TransposeParams { Axes.Count: > 0 } t && t.Axes[0] != 0
            ? ("axes", $"Transpose '{node.Name}' moves the batch (axes {Shapes.Codes(t.Axes)}): a Nxt value has the batch first, so axes[0] must be 0")
            : null;

    public override (int Min, int Max) Arity(OpParams parameters) => (1, 1);

    public override string ArityHint(OpParams parameters) => string.Empty;

    public override InferredNode? Infer(InferenceContext context)
    {
        var order = Order(Params(context.Node), context.X.Count);
        if (context.X.Count > 4)
        {
            return context.Fail($"Transpose '{context.Name}' permutes samples of up to 4 axes, but '{context.Inputs[0].Name}' is {Shapes.Batched(context.X)}");
        }

        if (order.Length != context.X.Count || order.OrderBy(a => a).Where((a, i) => a != i).Any())
        {
            return context.Fail(ErrorCode.ParameterOutOfRange, "axes", $"Transpose '{context.Name}' has axes {Shapes.Codes(((TransposeParams)context.Node.Params).Axes)}, which is not a permutation of the {context.X.Count + 1} axes of '{context.Inputs[0].Name}' {Shapes.Batched(context.X)}");
        }

        return context.Make(Shapes.Of(order.Select(a => context.X[a])));
    }

    public override OpTraits Traits(OpParams parameters) => OpTraits.None;

    public override LabelInfo? Label(InferredNode node) => null;

    public override IReadOnlyList<int> BackwardReads(InferredNode node) => System.Array.Empty<int>();

    public override IReadOnlyList<string> MxnetOps { get; } = new[] { "transpose" };

    public override (OpKind Kind, OpParams Params) FromMxnet(MxnetAttributeReader attributes)
        => (Kind, new TransposeParams((attributes.Tuple("axes") ?? System.Array.Empty<int>()).ToEquatableArray()));

    public override string MxnetName(OpParams parameters) => "transpose";

    public override void MxnetAttributes(OpParams parameters, MxnetAttributeList attributes)
    {
        var t = (TransposeParams)parameters;
        attributes.AddIf("axes", MxnetText.Tuple(t.Axes), t.Axes.Count > 0);
    }

    public override void Onnx(OnnxContext onnx)
        => onnx.Graph.Node("Transpose", new[] { onnx.X }, onnx.Name, OnnxAttribute.Ints("perm", new[] { 0 }.Concat(Order(Params<TransposeParams>(onnx.Node), onnx.Inputs[0].Shape.Count).Select(a => a + 1))));

    public override IEnumerable<string> ClassFields(InferredNode node, InferredGraph graph)
    {
        var x = graph.Nodes[node.Input].Shape;
        var order = Order(Params<TransposeParams>(node), x.Count);
        var inverse = new int[order.Length];
        for (int i = 0; i < order.Length; i++)
        {
            inverse[order[i]] = i;
        }

        yield return Field(Windows.FieldName(node), x, order);
        yield return Field(BackwardFieldName(node), node.Shape, inverse);
    }

    public override int CpuWorkspacePerThread(InferredNode node, InferredGraph graph) => 0;

    public override void Forward(PlanSteps steps, ForwardContext context)
        => steps.Kernel(Kernels, "Transpose", context.X, context.Y, Arg.N, Windows.Field(context.Node), Arg.Bool(false).Named("accumulate"));

    public override void Backward(PlanSteps steps, BackwardContext context)
        => steps.Guarded(context.WantX, Kernels, "Transpose", context.Dy, context.Dx, Arg.N, Arg.Raw(BackwardFieldName(context.Node)), context.Acc);

    private static string BackwardFieldName(InferredNode node) => "s_" + node.Name + "BackwardGeometry";

    private static TransposeParams Params(NodeSpec node) => (TransposeParams)node.Params;

    // The sample axes' new order (0-based, batch left out); no axes reverses them, as MXNet reverses all.
    private static int[] Order(TransposeParams t, int rank)
        => t.Axes.Count == 0 ? Enumerable.Range(0, rank).Reverse().ToArray() : t.Axes.Skip(1).Select(a => a - 1).ToArray();

    // Output dims, and for each output axis the input's stride along the axis it takes.
    private static string Field(string name, IReadOnlyList<int> input, int[] order)
    {
        var strides = new int[input.Count];
        for (int i = input.Count - 1, stride = 1; i >= 0; stride *= input[i], i--)
        {
            strides[i] = stride;
        }

        int Dim(int j) => j < order.Length ? input[order[j]] : 1;
        int Stride(int j) => j < order.Length ? strides[order[j]] : 0;
        return $"private static readonly global::Nxt.Kernels.TransposeGeometry {name} = new(Rank: {order.Length}, Dim0: {Dim(0)}, Dim1: {Dim(1)}, Dim2: {Dim(2)}, Dim3: {Dim(3)}, Stride0: {Stride(0)}, Stride1: {Stride(1)}, Stride2: {Stride(2)}, Stride3: {Stride(3)});";
    }
}

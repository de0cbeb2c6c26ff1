using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Onnx;
using Nxt.Generators.Operators.Plans;

namespace Nxt.Generators.Operators;

/// <summary><c>[Slice(Begin, End, Step)]</c> over the sample's axes; an absent entry is Python's None.</summary>
internal sealed record SliceParams(EquatableArray<int> Begin, EquatableArray<int> End, EquatableArray<int> Step) : OpParams;

/// <summary>
/// MXNet <c>slice</c> with Python's rules per axis (negative indices, clamping, negative steps),
/// over up to four sample axes; the kernels take the resolved start, step and count of each as a
/// baked <c>StridedSliceGeometry</c>.
/// </summary>
internal sealed class SliceOperator : Operator
{
    public static readonly OpKind Kind = new("Slice");
    private const string Kernels = "StridedSliceKernels";
    private const int MaxAxes = 4;

    public override IReadOnlyList<OpKind> Kinds { get; } = new[] { Kind };

    public override IReadOnlyList<string> AttributeNames { get; } = new[] { "SliceAttribute" };

    public override string? SizeArgument => null;

    public override (OpKind, OpParams) Read(AttributeReader attribute, List<InputRef> inputs, DeclarationSink problems)
        => (Kind, new SliceParams(attribute.Ints("Begin"), attribute.Ints("End"), attribute.Ints("Step")));

    public override (string? Argument, string Message)? CheckArguments(NodeSpec node)
        => ((SliceParams)node.Params).Step.Contains(0) ? ("Step", $"Slice '{node.Name}' has step {Shapes.Fixed(((SliceParams)node.Params).Step)}: a step cannot be 0") : null;

    public override (int Min, int Max) Arity(OpParams parameters) => (1, 1);

    public override string ArityHint(OpParams parameters) => string.Empty;

    public override InferredNode? Infer(InferenceContext context)
    {
        var p = (SliceParams)context.Node.Params;
        var x = context.X;
        int given = System.Math.Max(p.Begin.Count, System.Math.Max(p.End.Count, p.Step.Count));
        if (given > x.Count || x.Count > MaxAxes)
        {
            return context.Fail(ErrorCode.ShapeMismatch, "Begin", $"Slice '{context.Name}' slices up to {MaxAxes} sample axes, as many as '{context.Inputs[0].Name}' {Shapes.Batched(x)} has, but it gives {given}");
        }

        var shape = new int[x.Count];
        for (int axis = 0; axis < x.Count; axis++)
        {
            var (_, _, count) = Resolve(p, axis, x[axis]);
            if (count == 0)
            {
                return context.Fail(ErrorCode.ParameterOutOfRange, "Begin", $"Slice '{context.Name}' takes nothing from axis {axis + 1} (size {x[axis]}) of '{context.Inputs[0].Name}' {Shapes.Batched(x)}");
            }

            shape[axis] = count;
        }

        return context.Make(Shapes.Of(shape));
    }

    /// <summary>Python's <c>slice(begin, end, step).indices(size)</c>, and how many indices it takes.</summary>
    private static (int Start, int Step, int Count) Resolve(SliceParams p, int axis, int size)
    {
        int step = axis < p.Step.Count ? p.Step[axis] : 1;
        long Bound(long value, long low, long high) => value < 0 ? System.Math.Max(value + size, low) : System.Math.Min(value, high);
        long start = axis < p.Begin.Count ? Bound(p.Begin[axis], step > 0 ? 0 : -1, step > 0 ? size : size - 1) : step > 0 ? 0 : size - 1;
        long stop = axis < p.End.Count ? Bound(p.End[axis], step > 0 ? 0 : -1, step > 0 ? size : size - 1) : step > 0 ? size : -1;
        long count = step > 0 ? (stop - start + step - 1) / step : (start - stop - step - 1) / -step;
        return ((int)start, step, (int)System.Math.Max(0, count));
    }

    public override OpTraits Traits(OpParams parameters) => OpTraits.None;

    public override LabelInfo? Label(InferredNode node) => null;

    public override IReadOnlyList<int> BackwardReads(InferredNode node) => System.Array.Empty<int>();

    public override IReadOnlyList<string> MxnetOps { get; } = new[] { "slice" };

    // MXNet's tuples start at the batch, which Nxt never slices; a None on an axis is the default.
    public override (OpKind Kind, OpParams Params) FromMxnet(MxnetAttributeReader attributes)
    {
        var begin = attributes.TupleWithNones("begin") ?? throw new MxnetImportException("attribute 'begin' is missing, and slice has no default for it");
        var end = attributes.TupleWithNones("end") ?? throw new MxnetImportException("attribute 'end' is missing, and slice has no default for it");
        var step = attributes.TupleWithNones("step") ?? System.Array.Empty<int?>();
        if ((begin.Length > 0 && begin[0] is not (null or 0)) || (end.Length > 0 && end[0] is not null) || (step.Length > 0 && step[0] is not (null or 1)))
        {
            throw new MxnetImportException("it slices axis 0, the batch, which a module keeps whole");
        }

        var steps = step.Skip(1).Select(s => s ?? 1).ToArray();
        int Step(int axis) => axis < steps.Length ? steps[axis] : 1;
        var begins = begin.Skip(1).Select((b, axis) => b ?? (Step(axis) > 0 ? 0 : int.MaxValue)).ToArray();
        var ends = end.Skip(1).Select((e, axis) => e ?? (Step(axis) > 0 ? int.MaxValue : int.MinValue)).ToArray();
        return (Kind, new SliceParams(begins.ToEquatableArray(), ends.ToEquatableArray(), steps.ToEquatableArray()));
    }

    public override string MxnetName(OpParams parameters) => "slice";

    public override void MxnetAttributes(OpParams parameters, MxnetAttributeList attributes)
    {
        var p = (SliceParams)parameters;
        string Tuple(EquatableArray<int> values) => "(None" + string.Concat(values.Select(v => ", " + MxnetText.Number(v))) + ")";
        attributes.Add("begin", Tuple(p.Begin));
        attributes.Add("end", Tuple(p.End));
        attributes.AddIf("step", Tuple(p.Step), p.Step.Count > 0);
    }

    // ONNX's Slice takes the resolved starts, ends and steps as inputs; an end before the start of a backward walk is INT64_MIN.
    public override void Onnx(OnnxContext onnx)
    {
        var p = Params<SliceParams>(onnx.Node);
        var x = onnx.Inputs[0].Shape;
        var resolved = Enumerable.Range(0, x.Count).Select(axis => Resolve(p, axis, x[axis])).ToArray();
        onnx.Graph.Int64s(onnx.Name + "_starts", resolved.Select(r => r.Start).ToArray());
        onnx.Graph.Int64s(onnx.Name + "_ends", resolved.Select(r => r.Step > 0 ? r.Start + (r.Count * r.Step) : (r.Start + (r.Count * r.Step) < 0 ? int.MinValue : r.Start + (r.Count * r.Step))).ToArray());
        onnx.Graph.Int64s(onnx.Name + "_axes", Enumerable.Range(1, x.Count).ToArray());
        onnx.Graph.Int64s(onnx.Name + "_steps", resolved.Select(r => r.Step).ToArray());
        onnx.Graph.Node("Slice", new[] { onnx.X, onnx.Name + "_starts", onnx.Name + "_ends", onnx.Name + "_axes", onnx.Name + "_steps" }, onnx.Name);
    }

    public override IEnumerable<string> ClassFields(InferredNode node, InferredGraph graph)
    {
        var p = Params<SliceParams>(node);
        var x = graph.Nodes[node.Input].Shape;
        int pad = MaxAxes - x.Count;
        var axes = Enumerable.Range(0, MaxAxes).Select(a => a < pad ? (Size: 1, Start: 0, Step: 1, Count: 1) : Axis(p, a - pad, x[a - pad])).ToArray();
        yield return $"private static readonly global::Nxt.Kernels.StridedSliceGeometry {Windows.FieldName(node)} = new(" +
            string.Join(", ", axes.Select((a, i) => $"I{i}: {a.Size}")) + ", " +
            string.Join(", ", axes.Select((a, i) => $"Start{i}: {a.Start}")) + ", " +
            string.Join(", ", axes.Select((a, i) => $"Step{i}: {a.Step}")) + ", " +
            string.Join(", ", axes.Select((a, i) => $"O{i}: {a.Count}")) + ");";
    }

    private static (int Size, int Start, int Step, int Count) Axis(SliceParams p, int axis, int size)
    {
        var (start, step, count) = Resolve(p, axis, size);
        return (size, start, step, count);
    }

    public override int CpuWorkspacePerThread(InferredNode node, InferredGraph graph) => 0;

    public override void Forward(PlanSteps steps, ForwardContext context)
        => steps.Kernel(Kernels, "Forward", context.X, context.Y, Arg.N, Windows.Field(context.Node));

    public override void Backward(PlanSteps steps, BackwardContext context)
        => steps.Guarded(context.WantX, Kernels, "Backward", context.Dy, context.Dx, Arg.N, Windows.Field(context.Node), context.Acc);
}

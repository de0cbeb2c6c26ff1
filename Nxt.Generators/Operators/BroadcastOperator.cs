using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Onnx;
using Nxt.Generators.Operators.Plans;

namespace Nxt.Generators.Operators;

/// <summary><c>[BroadcastAdd(lhs, rhs)]</c> and its siblings.</summary>
internal sealed record BroadcastParams(BinaryOp Op) : OpParams;

/// <summary>
/// MXNet <c>broadcast_add</c>, <c>_sub</c>, <c>_mul</c>, <c>_div</c> of two nodes of the same
/// rank, each axis equal or 1 in one of them. The kernels take the shapes as a baked
/// <c>BroadcastGeometry</c>; an operand's gradient sums over the axes it was repeated along.
/// </summary>
internal sealed class BroadcastOperator : Operator
{
    public static readonly OpKind Kind = new("Broadcast");
    private const string Kernels = "BroadcastKernels";
    private const int MaxAxes = 4;

    public override IReadOnlyList<OpKind> Kinds { get; } = new[] { Kind };

    public override IReadOnlyList<string> AttributeNames { get; } = new[] { "BroadcastAddAttribute", "BroadcastSubAttribute", "BroadcastMulAttribute", "BroadcastDivAttribute" };

    public override string? SizeArgument => null;

    public override (OpKind, OpParams) Read(AttributeReader attribute, List<InputRef> inputs, DeclarationSink problems)
    {
        inputs.Add(new InputRef(attribute.Text(0), "lhs", -1));
        inputs.Add(new InputRef(attribute.Text(1), "rhs", -1));
        return (Kind, new BroadcastParams((BinaryOp)System.Enum.Parse(typeof(BinaryOp), attribute.ShortName.Substring("Broadcast".Length))));
    }

    public override (string? Argument, string Message)? CheckArguments(NodeSpec node) => null;

    public override (int Min, int Max) Arity(OpParams parameters) => (2, 2);

    public override string ArityHint(OpParams parameters) => ": lhs and rhs";

    public override InferredNode? Infer(InferenceContext context)
    {
        var (a, b) = (context.X, context.Inputs[1].Shape);
        string op = Name(((BroadcastParams)context.Node.Params).Op);
        string operands = $"'{context.Inputs[0].Name}' {Shapes.Batched(a)} and '{context.Inputs[1].Name}' {Shapes.Batched(b)}";
        if (a.Count != b.Count)
        {
            return context.Fail(ErrorCode.ShapeMismatch, "rhs", $"{op} '{context.Name}' needs operands of one rank, but {operands} differ: give the smaller axes of size 1 (Reshape or ExpandDims)");
        }

        if (a.Count > MaxAxes)
        {
            return context.Fail(ErrorCode.ShapeMismatch, "lhs", $"{op} '{context.Name}' broadcasts over up to {MaxAxes} axes after the batch, but {operands} have {a.Count}");
        }

        var output = new int[a.Count];
        for (int i = 0; i < a.Count; i++)
        {
            if (a[i] != b[i] && a[i] != 1 && b[i] != 1)
            {
                return context.Fail(ErrorCode.ShapeMismatch, "rhs", $"{op} '{context.Name}' cannot broadcast {operands}: axis {i + 1} is {a[i]} against {b[i]}, and neither is 1");
            }

            output[i] = System.Math.Max(a[i], b[i]);
        }

        return context.Make(Shapes.Of(output));
    }

    public override OpTraits Traits(OpParams parameters) => OpTraits.None;

    public override LabelInfo? Label(InferredNode node) => null;

    // Each gradient kernel reads both operands (an add's partials are constants, but one kernel serves all four).
    public override IReadOnlyList<int> BackwardReads(InferredNode node) => node.Inputs;

    public override IReadOnlyList<string> MxnetOps { get; } = new[] { "broadcast_add", "broadcast_sub", "broadcast_mul", "broadcast_div", "broadcast_plus", "broadcast_minus" };

    public override (OpKind Kind, OpParams Params) FromMxnet(MxnetAttributeReader attributes) => (Kind, new BroadcastParams(attributes.Op switch
    {
        "broadcast_add" or "broadcast_plus" => BinaryOp.Add,
        "broadcast_sub" or "broadcast_minus" => BinaryOp.Sub,
        "broadcast_mul" => BinaryOp.Mul,
        _ => BinaryOp.Div,
    }));

    public override string MxnetName(OpParams parameters) => Name(((BroadcastParams)parameters).Op);

    public override void MxnetAttributes(OpParams parameters, MxnetAttributeList attributes)
    {
    }

    // Operands of one rank, the batch first in both: ONNX's numpy broadcasting lines the axes up the same way.
    public override void Onnx(OnnxContext onnx) => onnx.Single(Params<BroadcastParams>(onnx.Node).Op.ToString());

    public override IEnumerable<string> ClassFields(InferredNode node, InferredGraph graph)
    {
        int[] Padded(EquatableArray<int> shape) => Enumerable.Repeat(1, MaxAxes - shape.Count).Concat(shape).ToArray();
        var (o, a, b) = (Padded(node.Shape), Padded(graph.Nodes[node.Inputs[0]].Shape), Padded(graph.Nodes[node.Inputs[1]].Shape));
        yield return $"private static readonly global::Nxt.Kernels.BroadcastGeometry {GeometryName(node)} = new(" +
            $"O0: {o[0]}, O1: {o[1]}, O2: {o[2]}, O3: {o[3]}, A0: {a[0]}, A1: {a[1]}, A2: {a[2]}, A3: {a[3]}, B0: {b[0]}, B1: {b[1]}, B2: {b[2]}, B3: {b[3]});";
    }

    public override int CpuWorkspacePerThread(InferredNode node, InferredGraph graph) => 0;

    public override void Forward(PlanSteps steps, ForwardContext context)
    {
        var op = Params<BroadcastParams>(context.Node).Op;
        steps.KernelWithComment(Name(op), Kernels, "Forward", context.X, Buffers.Out(context.Inputs[1]), context.Y, Arg.N, Arg.Raw(GeometryName(context.Node)), Arg.Int((int)op).Named("op"));
    }

    public override void Backward(PlanSteps steps, BackwardContext context)
    {
        var op = Params<BroadcastParams>(context.Node).Op;
        for (int operand = 0; operand < 2; operand++)
        {
            if (context.Wanted[operand])
            {
                steps.Guarded(
                    Buffers.Wanted(context.Inputs[operand]), Kernels, "Backward", context.X, Buffers.Out(context.Inputs[1]), context.Dy, Buffers.Grad(context.Inputs[operand]),
                    Arg.N, Arg.Raw(GeometryName(context.Node)), Arg.Int((int)op).Named("op"), Arg.Int(operand).Named("operand"), context.AccumulateInput(operand));
            }
        }
    }

    private static string GeometryName(InferredNode node) => "s_" + node.Name + "Broadcast";

    private static string Name(BinaryOp op) => "broadcast_" + op.ToString().ToLowerInvariant();
}

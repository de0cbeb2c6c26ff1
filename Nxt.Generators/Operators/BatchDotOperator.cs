using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Onnx;
using Nxt.Generators.Operators.Plans;

namespace Nxt.Generators.Operators;

/// <summary><c>[BatchDot(lhs, rhs, TransposeA, TransposeB)]</c>.</summary>
internal sealed record BatchDotParams(bool TransposeA, bool TransposeB) : OpParams;

/// <summary>
/// MXNet <c>batch_dot</c>: a matrix product over the last two axes of each sample (and each index
/// of the axes before them). Every pass is a <c>BatchDotKernels.Product</c> call: the forward
/// <c>op(A)·op(B)</c>, and for each operand the product that gives its gradient in its own layout.
/// </summary>
internal sealed class BatchDotOperator : Operator
{
    public static readonly OpKind Kind = new("BatchDot");
    private const string Kernels = "BatchDotKernels";

    public override IReadOnlyList<OpKind> Kinds { get; } = new[] { Kind };

    public override IReadOnlyList<string> AttributeNames { get; } = new[] { "BatchDotAttribute" };

    public override string? SizeArgument => null;

    public override (OpKind, OpParams) Read(AttributeReader attribute, List<InputRef> inputs, DeclarationSink problems)
    {
        inputs.Add(new InputRef(attribute.Text(0), "lhs", -1));
        inputs.Add(new InputRef(attribute.Text(1), "rhs", -1));
        return (Kind, new BatchDotParams(attribute.Bool("TransposeA", false), attribute.Bool("TransposeB", false)));
    }

    public override (string? Argument, string Message)? CheckArguments(NodeSpec node) => null;

    public override (int Min, int Max) Arity(OpParams parameters) => (2, 2);

    public override string ArityHint(OpParams parameters) => ": lhs and rhs";

    public override InferredNode? Infer(InferenceContext context)
    {
        var d = (BatchDotParams)context.Node.Params;
        var (a, b) = (context.X, context.Inputs[1].Shape);
        string operands = $"'{context.Inputs[0].Name}' {Shapes.Batched(a)} and '{context.Inputs[1].Name}' {Shapes.Batched(b)}";
        if (a.Count < 2 || a.Count != b.Count || !a.Take(a.Count - 2).SequenceEqual(b.Take(b.Count - 2)))
        {
            return context.Fail(ErrorCode.ShapeMismatch, "rhs", $"batch_dot '{context.Name}' multiplies the last two axes of operands whose other axes agree, but {operands} do not");
        }

        var (m, k) = Matrix(a, d.TransposeA);
        var (k2, n) = Matrix(b, d.TransposeB);
        if (k != k2)
        {
            return context.Fail(ErrorCode.ShapeMismatch, "rhs", $"batch_dot '{context.Name}' multiplies {operands} as ({m}x{k}) by ({k2}x{n}): the inner sizes differ");
        }

        return context.Make(Shapes.Of(a.Take(a.Count - 2).Concat(new[] { m, n })));
    }

    // The operand's matrix as used: its last two axes, swapped when transposed.
    private static (int Rows, int Columns) Matrix(EquatableArray<int> shape, bool transpose)
        => transpose ? (shape[shape.Count - 1], shape[shape.Count - 2]) : (shape[shape.Count - 2], shape[shape.Count - 1]);

    public override OpTraits Traits(OpParams parameters) => OpTraits.None;

    public override LabelInfo? Label(InferredNode node) => null;

    // Each operand's gradient reads the other.
    public override IReadOnlyList<int> BackwardReads(InferredNode node) => node.Inputs;

    public override IReadOnlyList<string> MxnetOps { get; } = new[] { "batch_dot" };

    public override (OpKind Kind, OpParams Params) FromMxnet(MxnetAttributeReader attributes)
        => (Kind, new BatchDotParams(attributes.Bool("transpose_a", false), attributes.Bool("transpose_b", false)));

    public override string MxnetName(OpParams parameters) => "batch_dot";

    public override void MxnetAttributes(OpParams parameters, MxnetAttributeList attributes)
    {
        var d = (BatchDotParams)parameters;
        attributes.AddIf("transpose_a", "True", d.TransposeA);
        attributes.AddIf("transpose_b", "True", d.TransposeB);
    }

    // MatMul multiplies the last two axes and broadcasts the rest; a transpose swaps the last two.
    public override void Onnx(OnnxContext onnx)
    {
        var d = Params<BatchDotParams>(onnx.Node);
        string Operand(int i, bool transpose)
        {
            string name = onnx.Inputs[i].Name;
            if (!transpose)
            {
                return name;
            }

            int rank = onnx.Inputs[i].Shape.Count + 1;
            var perm = Enumerable.Range(0, rank - 2).Concat(new[] { rank - 1, rank - 2 });
            onnx.Graph.Node("Transpose", new[] { name }, $"{onnx.Name}_operand{i}", OnnxAttribute.Ints("perm", perm));
            return $"{onnx.Name}_operand{i}";
        }

        onnx.Graph.Node("MatMul", new[] { Operand(0, d.TransposeA), Operand(1, d.TransposeB) }, onnx.Name);
    }

    public override IEnumerable<string> ClassFields(InferredNode node, InferredGraph graph) => Enumerable.Empty<string>();

    public override int CpuWorkspacePerThread(InferredNode node, InferredGraph graph) => 0;

    public override void Forward(PlanSteps steps, ForwardContext context)
    {
        var d = Params<BatchDotParams>(context.Node);
        var (batches, m, n, k) = Sizes(context.Node, context.Inputs[0]);
        ForwardCall(steps, context, batches, m, n, k, d.TransposeA, d.TransposeB);
    }

    public override void Backward(PlanSteps steps, BackwardContext context)
    {
        var d = Params<BatchDotParams>(context.Node);
        var (batches, m, n, k) = Sizes(context.Node, context.Inputs[0]);
        BackwardCalls(steps, context, batches, m, n, k, d.TransposeA, d.TransposeB);
    }

    /// <summary><c>C = op(A)·op(B)</c> for each of <paramref name="batches"/> matrix pairs (<c>m×k</c> by <c>k×n</c>).</summary>
    public static void ForwardCall(PlanSteps steps, ForwardContext context, Arg batches, Arg m, Arg n, Arg k, bool transposeA, bool transposeB)
        => steps.Kernel(Kernels, "Product", context.X, Arg.Bool(transposeA).Named("transposeA"), Buffers.Out(context.Inputs[1]), Arg.Bool(transposeB).Named("transposeB"), context.Y, batches, m, n, k, Arg.Bool(false).Named("accumulate"));

    /// <summary>dA = dC·op(B)ᵀ (stored transposed: op(B)·dCᵀ); dB = op(A)ᵀ·dC (stored transposed: dCᵀ·op(A)).</summary>
    public static void BackwardCalls(PlanSteps steps, BackwardContext context, Arg batches, Arg m, Arg n, Arg k, bool transposeA, bool transposeB)
    {
        Arg a = context.X, b = Buffers.Out(context.Inputs[1]), dy = context.Dy;
        Arg Flag(bool value, string name) => Arg.Bool(value).Named(name);
        if (context.Wanted[0])
        {
            var args = transposeA
                ? new[] { b, Flag(transposeB, "transposeA"), dy, Flag(true, "transposeB"), context.Dx, batches, k, m, n }
                : new[] { dy, Flag(false, "transposeA"), b, Flag(!transposeB, "transposeB"), context.Dx, batches, m, k, n };
            steps.Guarded(context.WantX, Kernels, "Product", args.Append(context.AccumulateInput(0)).ToArray());
        }

        if (context.Wanted[1])
        {
            var db = Buffers.Grad(context.Inputs[1]);
            var args = transposeB
                ? new[] { dy, Flag(true, "transposeA"), a, Flag(transposeA, "transposeB"), db, batches, n, k, m }
                : new[] { a, Flag(!transposeA, "transposeA"), dy, Flag(false, "transposeB"), db, batches, k, n, m };
            steps.Guarded(Buffers.Wanted(context.Inputs[1]), Kernels, "Product", args.Append(context.AccumulateInput(1)).ToArray());
        }
    }

    // Matrices per pass (the batch times the leading axes) and the product's m, n, k.
    private static (Arg Batches, Arg M, Arg N, Arg K) Sizes(InferredNode node, InferredNode lhs)
    {
        var y = node.Shape;
        int m = y[y.Count - 2], n = y[y.Count - 1];
        int k = Matrix(lhs.Shape, Params<BatchDotParams>(node).TransposeA).Columns;
        return (Arg.Rows(node.SampleLength / (m * n)), Arg.Int(m), Arg.Int(n), Arg.Int(k));
    }
}

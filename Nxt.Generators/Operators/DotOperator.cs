using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Onnx;
using Nxt.Generators.Operators.Plans;

namespace Nxt.Generators.Operators;

/// <summary><c>[Dot(lhs, rhs, TransposeB)]</c>.</summary>
internal sealed record DotParams(bool TransposeB, bool TransposeA = false) : OpParams;

/// <summary>
/// MXNet <c>dot</c> of a node and a 2-D <c>[Variable]</c>: per sample, the node's rows
/// <c>(R, K)</c> times the matrix <c>(K, M)</c>. The plan broadcasts the variable over the batch
/// and sums its gradient back, so this is <see cref="BatchDotOperator"/>'s product with the
/// sample's leading axes as its rows.
/// </summary>
internal sealed class DotOperator : Operator
{
    public static readonly OpKind Kind = new("Dot");

    public override IReadOnlyList<OpKind> Kinds { get; } = new[] { Kind };

    public override IReadOnlyList<string> AttributeNames { get; } = new[] { "DotAttribute" };

    public override string? SizeArgument => null;

    public override (OpKind, OpParams) Read(AttributeReader attribute, List<InputRef> inputs, DeclarationSink problems)
    {
        inputs.Add(new InputRef(attribute.Text(0), "lhs", -1));
        inputs.Add(new InputRef(attribute.Text(1), "rhs", -1));
        return (Kind, new DotParams(attribute.Bool("TransposeB", false), attribute.Bool("TransposeA", false)));
    }

    // MXNet's transpose_a contracts over lhs's first axis, which in Nxt is the batch: a product across samples.
    public override (string? Argument, string Message)? CheckArguments(NodeSpec node)
        => ((DotParams)node.Params).TransposeA
            ? ("TransposeA", $"dot '{node.Name}' has transpose_a, which sums over lhs's first axis: in Nxt that is the batch, so the product would mix samples; transpose each sample with BatchDot(TransposeA = true) or Transpose")
            : null;

    public override (int Min, int Max) Arity(OpParams parameters) => (2, 2);

    public override string ArityHint(OpParams parameters) => ": lhs and rhs";

    public override InferredNode? Infer(InferenceContext context)
    {
        var (x, rhs) = (context.X, context.Inputs[1]);
        if (rhs.Op != VariableOperator.Kind || rhs.Shape.Count != 2)
        {
            return context.Fail(ErrorCode.ShapeMismatch, "rhs", $"dot '{context.Name}' multiplies by a learned matrix, a 2-D [Variable], but '{rhs.Name}' is {(rhs.Op == VariableOperator.Kind ? $"a Variable {Shapes.Fixed(rhs.Shape)}" : $"{rhs.Op} {Shapes.Batched(rhs.Shape)}")}: for a product per sample of two nodes, use BatchDot");
        }

        var (k, m) = Matrix(rhs.Shape, ((DotParams)context.Node.Params).TransposeB);
        return x.Count == 0 || x[x.Count - 1] != k
            ? context.Fail(ErrorCode.ShapeMismatch, "rhs", $"dot '{context.Name}' multiplies the last axis of '{context.Inputs[0].Name}' {Shapes.Batched(x)} by the {k} rows of '{rhs.Name}' {Shapes.Fixed(rhs.Shape)}: the sizes differ")
            : context.Make(Shapes.Of(x.Take(x.Count - 1).Concat(new[] { m })));
    }

    // The matrix as used, (K, M): stored (M, K) when transposed.
    private static (int K, int M) Matrix(EquatableArray<int> shape, bool transpose) => transpose ? (shape[1], shape[0]) : (shape[0], shape[1]);

    public override OpTraits Traits(OpParams parameters) => OpTraits.None;

    public override LabelInfo? Label(InferredNode node) => null;

    public override IReadOnlyList<int> BackwardReads(InferredNode node) => node.Inputs;

    public override IReadOnlyList<string> MxnetOps { get; } = new[] { "dot" };

    public override (OpKind Kind, OpParams Params) FromMxnet(MxnetAttributeReader attributes)
    {
        attributes.OnlyValue("transpose_a", "False", "0");
        return (Kind, new DotParams(attributes.Bool("transpose_b", false)));
    }

    public override string MxnetName(OpParams parameters) => "dot";

    public override void MxnetAttributes(OpParams parameters, MxnetAttributeList attributes)
        => attributes.AddIf("transpose_b", "True", ((DotParams)parameters).TransposeB);

    // The variable's initializer is the unbatched matrix: MatMul broadcasts it over every leading axis.
    public override void Onnx(OnnxContext onnx)
    {
        string matrix = onnx.Inputs[1].Name;
        if (Params<DotParams>(onnx.Node).TransposeB)
        {
            onnx.Graph.Node("Transpose", new[] { matrix }, onnx.Name + "_matrix", OnnxAttribute.Ints("perm", new[] { 1, 0 }));
            matrix = onnx.Name + "_matrix";
        }

        onnx.Graph.Node("MatMul", new[] { onnx.X, matrix }, onnx.Name);
    }

    public override IEnumerable<string> ClassFields(InferredNode node, InferredGraph graph) => Enumerable.Empty<string>();

    public override int CpuWorkspacePerThread(InferredNode node, InferredGraph graph) => 0;

    public override void Forward(PlanSteps steps, ForwardContext context)
    {
        var (m, n, k) = Sizes(context.Node, context.Inputs[1]);
        BatchDotOperator.ForwardCall(steps, context, Arg.N, m, n, k, transposeA: false, Params<DotParams>(context.Node).TransposeB);
    }

    public override void Backward(PlanSteps steps, BackwardContext context)
    {
        var (m, n, k) = Sizes(context.Node, context.Inputs[1]);
        BatchDotOperator.BackwardCalls(steps, context, Arg.N, m, n, k, transposeA: false, Params<DotParams>(context.Node).TransposeB);
    }

    // Per sample: rows R (the output's leading axes), the matrix's M columns, and K.
    private static (Arg M, Arg N, Arg K) Sizes(InferredNode node, InferredNode matrix)
    {
        var (k, m) = Matrix(matrix.Shape, Params<DotParams>(node).TransposeB);
        return (Arg.Int(node.SampleLength / m), Arg.Int(m), Arg.Int(k));
    }
}

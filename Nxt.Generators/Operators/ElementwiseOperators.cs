using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Expressions;
using Nxt.Generators.Operators.Onnx;
using Nxt.Generators.Operators.Plans;

namespace Nxt.Generators.Operators;

/// <summary>
/// <c>Add</c>, <c>Sub</c>, <c>Mul</c>, <c>Div</c> of two nodes of one shape (MXNet
/// <c>elemwise_*</c>), or of one node and a <c>Scalar</c> (<c>_plus_scalar</c>, ...). An add of
/// two nodes can carry an activation epilogue.
/// </summary>
internal sealed class ElementwiseOperator : Operator, IFusedProducer, IElementwiseOperator
{
    private const string Kernels = "BinaryKernels";

    public override IReadOnlyList<OpKind> Kinds { get; } = new[] { OpKind.Elementwise };

    public override IReadOnlyList<string> AttributeNames { get; } = new[] { "AddAttribute", "SubAttribute", "MulAttribute", "DivAttribute" };

    public override string? SizeArgument => null;

    public override (OpKind, OpParams) Read(AttributeReader attribute, List<InputRef> inputs, DeclarationSink problems)
    {
        inputs.AddRange(attribute.Names("inputs"));
        var op = (BinaryOp)System.Enum.Parse(typeof(BinaryOp), attribute.ShortName);
        return (OpKind.Elementwise, new ElementwiseParams(op, attribute.Named("Scalar") as double?));
    }

    public override (string? Argument, string Message)? CheckArguments(NodeSpec node) => node.Params switch
    {
        ElementwiseParams { Scalar: double s } e when !SinglePrecision.IsFinite(s) => ("Scalar", $"{e.Op} '{node.Name}' has scalar {MxnetText.Real(s)}: it must be finite in single precision (at most 3.4028235E+38 in size)"),
        ElementwiseParams { Op: BinaryOp.Div, Scalar: double s } when SinglePrecision.IsZero(s) => ("Scalar", $"Div '{node.Name}' divides by the scalar {MxnetText.Real(s)}, which is 0 in single precision"),
        _ => null,
    };

    public override (int Min, int Max) Arity(OpParams parameters) => ((ElementwiseParams)parameters).Scalar is null ? (2, 2) : (1, 1);

    public override string ArityHint(OpParams parameters)
        => ((ElementwiseParams)parameters).Scalar is null ? ": name two nodes, or one node (or none: the node above) and a Scalar" : ": with a Scalar it reads one node";

    public override InferredNode? Infer(InferenceContext context)
    {
        var e = (ElementwiseParams)context.Node.Params;
        return e.Scalar is null ? SameShapes(context, Verb(e.Op)) : context.Make(context.X);
    }

    public override OpTraits Traits(OpParams parameters) => ((ElementwiseParams)parameters).Scalar is null ? OpTraits.None : OpTraits.InPlace;

    public override LabelInfo? Label(InferredNode node) => null;

    // A product's or quotient's gradient reads the other operand; sums and scalars read nothing.
    public override IReadOnlyList<int> BackwardReads(InferredNode node)
        => Params<ElementwiseParams>(node) is { Scalar: null, Op: BinaryOp.Mul or BinaryOp.Div } ? node.Inputs : System.Array.Empty<int>();

    public override IReadOnlyList<string> MxnetOps { get; } = new[]
    {
        "elemwise_add", "elemwise_sub", "elemwise_mul", "elemwise_div", "_Plus", "_Minus", "_Mul", "_Div", "_plus", "_minus", "_mul", "_div",
        "_plus_scalar", "_minus_scalar", "_mul_scalar", "_div_scalar", "_PlusScalar", "_MinusScalar", "_MulScalar", "_DivScalar",
    };

    public override (OpKind Kind, OpParams Params) FromMxnet(MxnetAttributeReader attributes)
    {
        // elemwise_add, _Plus, _plus_scalar, _PlusScalar: the operation, and whether it takes a scalar.
        string name = attributes.Op.TrimStart('_').ToLowerInvariant().Replace("elemwise_", string.Empty).Replace("_scalar", "scalar");
        bool scalar = name.EndsWith("scalar", System.StringComparison.Ordinal);
        var op = name.Replace("scalar", string.Empty) switch
        {
            "add" or "plus" => BinaryOp.Add,
            "sub" or "minus" => BinaryOp.Sub,
            "mul" => BinaryOp.Mul,
            _ => BinaryOp.Div,
        };
        return (OpKind.Elementwise, new ElementwiseParams(op, scalar ? attributes.RequiredDouble("scalar") : null));
    }

    public override string MxnetName(OpParams parameters)
    {
        var e = (ElementwiseParams)parameters;
        if (e.Scalar is null)
        {
            return "elemwise_" + e.Op.ToString().ToLowerInvariant();
        }

        return e.Op switch
        {
            BinaryOp.Add => "_plus_scalar",
            BinaryOp.Sub => "_minus_scalar",
            BinaryOp.Mul => "_mul_scalar",
            BinaryOp.Div => "_div_scalar",
            _ => throw new System.InvalidOperationException($"No MXNet name for {e.Op}."),
        };
    }

    public override void MxnetAttributes(OpParams parameters, MxnetAttributeList attributes)
    {
        if (parameters is ElementwiseParams { Scalar: double scalar })
        {
            attributes.Add("scalar", MxnetText.Real(scalar));
        }
    }

    public override void Onnx(OnnxContext onnx)
    {
        var e = Params<ElementwiseParams>(onnx.Node);
        if (e.Scalar is double scalar)
        {
            onnx.Graph.Floats(onnx.Name + "_scalar", new[] { 1 }, scalar);
            onnx.Graph.Node(e.Op.ToString(), new[] { onnx.X, onnx.Name + "_scalar" }, onnx.Name);
            return;
        }

        onnx.Single(e.Op.ToString());
    }

    public override IEnumerable<string> ClassFields(InferredNode node, InferredGraph graph) => Enumerable.Empty<string>();

    public override int CpuWorkspacePerThread(InferredNode node, InferredGraph graph) => 0;

    public override void Forward(PlanSteps steps, ForwardContext context)
    {
        var e = Params<ElementwiseParams>(context.Node);
        if (e.Scalar is double scalar)
        {
            steps.KernelWithComment(e.Op.ToString(), Kernels, "Scalar", context.X, Arg.Float(scalar), context.Y, Arg.Int((int)e.Op).Named("op"));
        }
        else
        {
            steps.Kernel(Kernels, e.Op.ToString(), context.X, Buffers.Out(context.Inputs[1]), context.Y);
        }
    }

    public (bool Activation, bool Residual) Epilogue(OpParams parameters)
        => (parameters is ElementwiseParams { Op: BinaryOp.Add, Scalar: null }, false);

    public void FusedForward(PlanSteps steps, ForwardContext context, Arg residual, Arg epilogue, Arg y)
        => steps.Kernel(Kernels, "Add", context.X, Buffers.Out(context.Inputs[1]), y, epilogue);

    public override void Backward(PlanSteps steps, BackwardContext context)
    {
        var e = Params<ElementwiseParams>(context.Node);
        if (e.Scalar is double scalar)
        {
            var factor = e.Op switch
            {
                BinaryOp.Mul => Arg.Float(scalar),
                BinaryOp.Div => Arg.Float(1 / scalar),
                BinaryOp.Add or BinaryOp.Sub => Arg.Raw("1f"),
                _ => throw Unreachable.Variant(context.Node, e.Op),
            };
            steps.Guarded(context.WantX, Kernels, "ScaledGradient", context.Dy, factor, context.Dx, context.Acc);
            return;
        }

        Arg a = context.X, b = Buffers.Out(context.Inputs[1]), dy = context.Dy;
        if (context.Wanted[0])
        {
            var (method, args) = e.Op switch
            {
                BinaryOp.Add or BinaryOp.Sub => ("ScaledGradient", new[] { dy, Arg.Raw("1f") }),
                BinaryOp.Mul => ("MulGradient", new[] { dy, b }),
                BinaryOp.Div => ("DivNumeratorGradient", new[] { dy, b }),
                _ => throw Unreachable.Variant(context.Node, e.Op),
            };
            steps.Guarded(context.WantX, Kernels, method, args.Append(context.Dx).Append(context.AccumulateInput(0)).ToArray());
        }

        if (context.Wanted[1])
        {
            var (method, args) = e.Op switch
            {
                BinaryOp.Add => ("ScaledGradient", new[] { dy, Arg.Raw("1f") }),
                BinaryOp.Sub => ("ScaledGradient", new[] { dy, Arg.Raw("-1f") }),
                BinaryOp.Mul => ("MulGradient", new[] { dy, a }),
                BinaryOp.Div => ("DivDenominatorGradient", new[] { dy, a, b }),
                _ => throw Unreachable.Variant(context.Node, e.Op),
            };
            steps.Guarded(Buffers.Wanted(context.Inputs[1]), Kernels, method, args.Append(Buffers.Grad(context.Inputs[1])).Append(context.AccumulateInput(1)).ToArray());
        }
    }

    public bool IsElementwise(OpParams parameters) => true;

    public Expr Forward(OpParams parameters, IReadOnlyList<Expr> inputs)
    {
        var e = (ElementwiseParams)parameters;
        var (a, b) = (inputs[0], e.Scalar is double s ? Expr.Const(s) : inputs[1]);
        return e.Op switch
        {
            BinaryOp.Add => a + b,
            BinaryOp.Sub => a - b,
            BinaryOp.Mul => a * b,
            _ => a / b,
        };
    }

    // As the kernels above: a scalar divisor scales by its reciprocal; a denominator's is -dy·a/b².
    public IReadOnlyList<Expr> Gradients(OpParams parameters, IReadOnlyList<Expr> inputs, Expr y, Expr dy)
    {
        var e = (ElementwiseParams)parameters;
        if (e.Scalar is double s)
        {
            return new[] { e.Op switch { BinaryOp.Mul => dy * Expr.Const(s), BinaryOp.Div => dy * Expr.Const(1 / s), _ => dy } };
        }

        var (a, b) = (inputs[0], inputs[1]);
        return e.Op switch
        {
            BinaryOp.Add => new[] { dy, dy },
            BinaryOp.Sub => new[] { dy, -dy },
            BinaryOp.Mul => new[] { dy * b, dy * a },
            _ => new[] { dy / b, -(dy * a) / (b * b) },
        };
    }

    /// <summary>The inputs' common shape, or the first input that differs, named with <paramref name="verb"/>.</summary>
    public static InferredNode? SameShapes(InferenceContext context, string verb)
    {
        var different = context.Inputs.FirstOrDefault(i => !i.Shape.Equals(context.X));
        return different is null
            ? context.Make(context.X)
            : context.Fail($"'{context.Name}' {verb} {Shapes.Batched(context.X)} and {Shapes.Batched(different.Shape)} ('{context.Inputs[0].Name}' and '{different.Name}'): shapes differ");
    }

    private static string Verb(BinaryOp op) => op switch
    {
        BinaryOp.Add => "adds",
        BinaryOp.Sub => "subtracts",
        BinaryOp.Mul => "multiplies",
        BinaryOp.Div => "divides",
        _ => op.ToString(),
    };
}

/// <summary>MXNet <c>add_n</c> (<c>ElementwiseSum</c>): the sum of two or more nodes of one shape.</summary>
internal sealed class ElementwiseSumOperator : Operator, IElementwiseOperator
{
    private const string Kernels = "BinaryKernels";

    public override IReadOnlyList<OpKind> Kinds { get; } = new[] { OpKind.ElementwiseSum };

    public override IReadOnlyList<string> AttributeNames { get; } = new[] { "ElementwiseSumAttribute" };

    public override string? SizeArgument => null;

    public override (OpKind, OpParams) Read(AttributeReader attribute, List<InputRef> inputs, DeclarationSink problems)
    {
        inputs.AddRange(attribute.Names("inputs"));
        return (OpKind.ElementwiseSum, new ElementwiseSumParams());
    }

    public override (string? Argument, string Message)? CheckArguments(NodeSpec node) => null;

    public override (int Min, int Max) Arity(OpParams parameters) => (2, int.MaxValue);

    public override string ArityHint(OpParams parameters) => string.Empty;

    public override InferredNode? Infer(InferenceContext context) => ElementwiseOperator.SameShapes(context, "sums");

    public override OpTraits Traits(OpParams parameters) => OpTraits.None;

    public override LabelInfo? Label(InferredNode node) => null;

    public override IReadOnlyList<int> BackwardReads(InferredNode node) => System.Array.Empty<int>();

    public override IReadOnlyList<string> MxnetOps { get; } = new[] { "add_n", "ElementWiseSum" };

    public override (OpKind Kind, OpParams Params) FromMxnet(MxnetAttributeReader attributes) => (OpKind.ElementwiseSum, new ElementwiseSumParams());

    public override string MxnetName(OpParams parameters) => "add_n";

    public override void MxnetAttributes(OpParams parameters, MxnetAttributeList attributes)
    {
    }

    public override void Onnx(OnnxContext onnx) => onnx.Single("Sum");

    public override IEnumerable<string> ClassFields(InferredNode node, InferredGraph graph) => Enumerable.Empty<string>();

    public override int CpuWorkspacePerThread(InferredNode node, InferredGraph graph) => 0;

    public override void Forward(PlanSteps steps, ForwardContext context)
    {
        for (int i = 0; i < context.Inputs.Count; i++)
        {
            steps.Kernel(Kernels, "SumTerm", Buffers.Out(context.Inputs[i]), context.Y, Arg.Bool(i == 0).Named("first"));
        }
    }

    public override void Backward(PlanSteps steps, BackwardContext context)
    {
        for (int i = 0; i < context.Inputs.Count; i++)
        {
            if (context.Wanted[i])
            {
                steps.Guarded(Buffers.Wanted(context.Inputs[i]), Kernels, "ScaledGradient", context.Dy, Arg.Raw("1f"), Buffers.Grad(context.Inputs[i]), context.AccumulateInput(i));
            }
        }
    }

    public bool IsElementwise(OpParams parameters) => true;

    public Expr Forward(OpParams parameters, IReadOnlyList<Expr> inputs) => inputs.Skip(1).Aggregate(inputs[0], (sum, term) => sum + term);

    public IReadOnlyList<Expr> Gradients(OpParams parameters, IReadOnlyList<Expr> inputs, Expr y, Expr dy) => inputs.Select(_ => dy).ToArray();
}

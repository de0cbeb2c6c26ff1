using System.Collections.Generic;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Expressions;
using Nxt.Generators.Operators.Plans;

namespace Nxt.Generators.Operators;

/// <summary>The shape of a <c>[Variable]</c>, without a batch dimension.</summary>
internal sealed record VariableParams(EquatableArray<int> Shape) : OpParams;

/// <summary>
/// <c>[Variable(shape)]</c>: a learned free argument named like its node (MXNet's non-data
/// <c>Variable</c>). Its value is one parameter; the plan broadcasts it over the batch, so every
/// operator reads a batched value as from any node, and its gradient is the sum over the batch
/// of its output's gradient. Inside a generated element-wise kernel the broadcast is the kernel
/// reading the parameter at each element's position in its sample, and no batched copy is stored.
/// </summary>
internal sealed class VariableOperator : ArgumentOperator, IElementwiseOperator
{
    public static readonly OpKind Kind = new("Variable");

    public override IReadOnlyList<OpKind> Kinds { get; } = new[] { Kind };

    public override IReadOnlyList<string> AttributeNames { get; } = new[] { "VariableAttribute" };

    public override (OpKind, OpParams) Read(AttributeReader attribute, List<InputRef> inputs, DeclarationSink problems) => (Kind, new VariableParams(attribute.Ints(0)));

    public override (string? Argument, string Message)? CheckArguments(NodeSpec node) => CheckShape("Variable", node, ((VariableParams)node.Params).Shape, "2");

    public override string ArityHint(OpParams parameters) => ": a [Variable] reads no node";

    // Its value is one parameter under the node's own name: in ONNX, the initializer of that
    // name, which ONNX's element-wise operators broadcast over the batch.
    public override InferredNode? Infer(InferenceContext context)
    {
        var shape = ((VariableParams)context.Node.Params).Shape;
        return context.Make(shape, new[] { new ParameterInfo(context.Name, shape) { IsNodeValue = true } });
    }

    public override void Forward(PlanSteps steps, ForwardContext context)
        => steps.Kernel("ElementwiseKernels", "BroadcastRows", Buffers.Param(context.Node.Parameters[0]), context.Y, Arg.N);

    public override void Backward(PlanSteps steps, BackwardContext context)
    {
        var value = context.Node.Parameters[0];
        steps.Guarded(
            Buffers.ParamWanted(value),
            "DenseKernels",
            "BackwardBias",
            context.Dy,
            Buffers.ParamGrad(value),
            Arg.N,
            Arg.Int(value.Length),
            Buffers.ParamAdds(value).Named("accumulate"));
    }

    public bool IsElementwise(OpParams parameters) => true;

    // The value is the parameter's element; its gradient, the output's (summed over the batch by the kernel).
    public Expr Forward(OpParams parameters, IReadOnlyList<Expr> operands) => operands[0];

    public IReadOnlyList<Expr> Gradients(OpParams parameters, IReadOnlyList<Expr> operands, Expr y, Expr dy) => new[] { dy };
}

using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Onnx;
using Nxt.Generators.Operators.Plans;

namespace Nxt.Generators.Operators;

/// <summary>The shape of a <c>[Variable]</c>, without a batch dimension.</summary>
internal sealed record VariableParams(EquatableArray<int> Shape) : OpParams;

/// <summary>
/// <c>[Variable(shape)]</c>: a learned free argument named like its node (MXNet's non-data
/// <c>Variable</c>). Its value is one parameter; the plan broadcasts it over the batch, so every
/// operator reads a batched value as from any node, and its gradient is the sum over the batch
/// of its output's gradient.
/// </summary>
internal sealed class VariableOperator : Operator
{
    public static readonly OpKind Kind = new("Variable");

    public override IReadOnlyList<OpKind> Kinds { get; } = new[] { Kind };

    public override IReadOnlyList<string> AttributeNames { get; } = new[] { "VariableAttribute" };

    public override string? SizeArgument => "shape";

    public override (OpKind, OpParams) Read(AttributeReader attribute, List<InputRef> inputs, DeclarationSink problems) => (Kind, new VariableParams(attribute.Ints(0)));

    public override (string? Argument, string Message)? CheckArguments(NodeSpec node)
    {
        var shape = ((VariableParams)node.Params).Shape;
        if (shape.Count == 0)
        {
            return ("shape", $"[Variable] '{node.Name}' needs its shape, e.g. [Variable(2)]");
        }

        return shape.Any(d => d < 1) ? ("shape", $"[Variable] '{node.Name}' has shape {Shapes.Fixed(shape)}: every dimension must be at least 1") : null;
    }

    public override (int Min, int Max) Arity(OpParams parameters) => (0, 0);

    public override string ArityHint(OpParams parameters) => ": a [Variable] reads no node";

    public override InferredNode? Infer(InferenceContext context)
    {
        var shape = ((VariableParams)context.Node.Params).Shape;
        return context.Make(shape, new[] { new ParameterInfo(context.Name, shape) { IsNodeValue = true } });
    }

    public override OpTraits Traits(OpParams parameters) => OpTraits.None;

    public override LabelInfo? Label(InferredNode node) => null;

    public override IReadOnlyList<int> BackwardReads(InferredNode node) => System.Array.Empty<int>();

    // In the symbol JSON it is the argument itself, as an mx.sym.Variable.
    public override string MxnetName(OpParams parameters) => "null";

    public override void MxnetAttributes(OpParams parameters, MxnetAttributeList attributes)
    {
    }

    // Its value is the initializer of the same name; ONNX's element-wise operators broadcast it.
    public override void Onnx(OnnxContext onnx)
    {
    }

    public override IEnumerable<string> ClassFields(InferredNode node, InferredGraph graph) => Enumerable.Empty<string>();

    public override int CpuWorkspacePerThread(InferredNode node, InferredGraph graph) => 0;

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
}

using System.Collections.Generic;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Plans;

namespace Nxt.Generators.Operators;

/// <summary>
/// <c>[Input(shape)]</c>: a data argument (MXNet's data <c>Variable</c>); the batch writes its
/// buffer before the plan runs. In the ONNX graph, a graph input written by the exporter with its
/// symbolic batch dimension.
/// </summary>
internal sealed class InputOperator : ArgumentOperator
{
    public override IReadOnlyList<OpKind> Kinds { get; } = new[] { OpKind.Input };

    public override IReadOnlyList<string> AttributeNames { get; } = new[] { "InputAttribute" };

    public override (OpKind, OpParams) Read(AttributeReader attribute, List<InputRef> inputs, DeclarationSink problems) => (OpKind.Input, new InputParams(attribute.Ints(0)));

    public override (string? Argument, string Message)? CheckArguments(NodeSpec node) => CheckShape("Input", node, ((InputParams)node.Params).Shape, "784");

    public override string ArityHint(OpParams parameters) => string.Empty;

    public override InferredNode? Infer(InferenceContext context) => context.Make(((InputParams)context.Node.Params).Shape);

    // The module copies the batch in before the plan runs; the plan has nothing to compute.
    public override void Forward(PlanSteps steps, ForwardContext context)
    {
    }

    public override void Backward(PlanSteps steps, BackwardContext context)
    {
    }
}

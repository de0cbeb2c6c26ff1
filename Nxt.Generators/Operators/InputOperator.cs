using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Onnx;
using Nxt.Generators.Operators.Plans;

namespace Nxt.Generators.Operators;

/// <summary><c>[Input(shape)]</c>: a data argument (MXNet's data <c>Variable</c>); the batch writes its buffer before the plan runs.</summary>
internal sealed class InputOperator : Operator
{
    public override IReadOnlyList<OpKind> Kinds { get; } = new[] { OpKind.Input };

    public override IReadOnlyList<string> AttributeNames { get; } = new[] { "InputAttribute" };

    public override string? SizeArgument => "shape";

    public override (OpKind, OpParams) Read(AttributeReader attribute, List<InputRef> inputs, DeclarationSink problems) => (OpKind.Input, new InputParams(attribute.Ints(0)));

    public override (string? Argument, string Message)? CheckArguments(NodeSpec node)
    {
        var shape = ((InputParams)node.Params).Shape;
        if (shape.Count == 0)
        {
            return ("shape", $"[Input] '{node.Name}' needs the shape of one sample, e.g. [Input(784)]");
        }

        return shape.Any(d => d < 1) ? ("shape", $"[Input] '{node.Name}' has shape {Shapes.Fixed(shape)}: every dimension must be at least 1") : null;
    }

    public override (int Min, int Max) Arity(OpParams parameters) => (0, 0);

    public override string ArityHint(OpParams parameters) => string.Empty;

    public override InferredNode? Infer(InferenceContext context) => context.Make(((InputParams)context.Node.Params).Shape);

    public override OpTraits Traits(OpParams parameters) => OpTraits.None;

    public override LabelInfo? Label(InferredNode node) => null;

    public override IReadOnlyList<int> BackwardReads(InferredNode node) => System.Array.Empty<int>();

    public override string MxnetName(OpParams parameters) => "null";

    public override void MxnetAttributes(OpParams parameters, MxnetAttributeList attributes)
    {
    }

    // A graph input, written by the exporter with its symbolic batch dimension.
    public override void Onnx(OnnxContext onnx)
    {
    }

    public override IEnumerable<string> ClassFields(InferredNode node, InferredGraph graph) => Enumerable.Empty<string>();

    public override int CpuWorkspacePerThread(InferredNode node, InferredGraph graph) => 0;

    // The module copies the batch in before the plan runs; the plan has nothing to compute.
    public override void Forward(PlanSteps steps, ForwardContext context)
    {
    }

    public override void Backward(PlanSteps steps, BackwardContext context)
    {
    }
}

using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Onnx;

namespace Nxt.Generators.Operators;

/// <summary>
/// What the argument nodes share (<c>[Input]</c> and <c>[Variable]</c>, MXNet's <c>Variable</c>s):
/// a declared shape, no input, an <c>"op": "null"</c> entry of their own name in the symbol JSON,
/// nothing in the ONNX graph but their name (a graph input, or an initializer), no label, no field.
/// </summary>
internal abstract class ArgumentOperator : Operator
{
    public override string? SizeArgument => "shape";

    public override (int Min, int Max) Arity(OpParams parameters) => (0, 0);

    public override OpTraits Traits(OpParams parameters) => OpTraits.None;

    public override LabelInfo? Label(InferredNode node) => null;

    public override IReadOnlyList<int> BackwardReads(InferredNode node) => System.Array.Empty<int>();

    public override IReadOnlyList<string> MxnetOps { get; } = System.Array.Empty<string>();

    public override (OpKind Kind, OpParams Params) FromMxnet(MxnetAttributeReader attributes)
        => throw new MxnetImportException("an argument is an MXNet variable ('op': 'null'), not an operator");

    public override string MxnetName(OpParams parameters) => "null";

    public override void MxnetAttributes(OpParams parameters, MxnetAttributeList attributes)
    {
    }

    public override void Onnx(OnnxContext onnx)
    {
    }

    public override IEnumerable<string> ClassFields(InferredNode node, InferredGraph graph) => Enumerable.Empty<string>();

    public override int CpuWorkspacePerThread(InferredNode node, InferredGraph graph) => 0;

    /// <summary>The declared shape's problem (none given, or a dimension below 1), or null.</summary>
    protected static (string? Argument, string Message)? CheckShape(string attribute, NodeSpec node, EquatableArray<int> shape, string example)
    {
        if (shape.Count == 0)
        {
            return ("shape", $"[{attribute}] '{node.Name}' needs its shape, e.g. [{attribute}({example})]");
        }

        return shape.Any(d => d < 1) ? ("shape", $"[{attribute}] '{node.Name}' has shape {Shapes.Fixed(shape)}: every dimension must be at least 1") : null;
    }
}

using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Onnx;
using Nxt.Generators.Operators.Plans;

namespace Nxt.Generators.Operators;

/// <summary><c>[Embedding(inputDim, outputDim)]</c>.</summary>
internal sealed record EmbeddingParams(int InputDim, int OutputDim) : OpParams;

/// <summary>
/// MXNet <c>Embedding</c>: a row of <c>NAME_weight (input_dim, output_dim)</c> per token id, the
/// output shaped as the ids with <c>output_dim</c> appended. The ids get no gradient (MXNet's
/// too); the weight's gradient is a scatter-add of the output's gradient rows.
/// </summary>
internal sealed class EmbeddingOperator : Operator
{
    public static readonly OpKind Kind = new("Embedding");
    private const string Kernels = "EmbeddingKernels";

    public override IReadOnlyList<OpKind> Kinds { get; } = new[] { Kind };

    public override IReadOnlyList<string> AttributeNames { get; } = new[] { "EmbeddingAttribute" };

    public override string? SizeArgument => "inputDim";

    public override (OpKind, OpParams) Read(AttributeReader attribute, List<InputRef> inputs, DeclarationSink problems)
        => (Kind, new EmbeddingParams(attribute.Int(0), attribute.Int(1)));

    public override (string? Argument, string Message)? CheckArguments(NodeSpec node) => node.Params switch
    {
        EmbeddingParams { InputDim: < 1 } e => ("inputDim", $"Embedding '{node.Name}' has input_dim {e.InputDim}: it must be at least 1"),
        EmbeddingParams { OutputDim: < 1 } e => ("outputDim", $"Embedding '{node.Name}' has output_dim {e.OutputDim}: it must be at least 1"),
        _ => null,
    };

    public override (int Min, int Max) Arity(OpParams parameters) => (1, 1);

    public override string ArityHint(OpParams parameters) => string.Empty;

    public override InferredNode? Infer(InferenceContext context)
    {
        var e = (EmbeddingParams)context.Node.Params;
        return context.Make(Shapes.Of(context.X.Append(e.OutputDim)), new[] { new ParameterInfo(context.Name + "_weight", Shapes.Of(e.InputDim, e.OutputDim)) });
    }

    public override OpTraits Traits(OpParams parameters) => OpTraits.StopsGradient;

    public override LabelInfo? Label(InferredNode node) => null;

    public override IReadOnlyList<int> BackwardReads(InferredNode node) => new[] { node.Input };

    public override IReadOnlyList<string> MxnetOps { get; } = new[] { "Embedding" };

    public override (OpKind Kind, OpParams Params) FromMxnet(MxnetAttributeReader attributes)
    {
        attributes.OnlyValue("dtype", "float32");
        attributes.Bool("sparse_grad", false); // a storage choice for the gradient: the values are the same
        return (Kind, new EmbeddingParams(attributes.RequiredInt("input_dim"), attributes.RequiredInt("output_dim")));
    }

    public override string MxnetName(OpParams parameters) => "Embedding";

    public override void MxnetAttributes(OpParams parameters, MxnetAttributeList attributes)
    {
        var e = (EmbeddingParams)parameters;
        attributes.Add("input_dim", e.InputDim);
        attributes.Add("output_dim", e.OutputDim);
    }

    // ONNX's Gather takes integer indices: the float ids are cast first.
    public override void Onnx(OnnxContext onnx)
    {
        string ids = onnx.Name + "_ids";
        onnx.Graph.Node("Cast", new[] { onnx.X }, ids, OnnxAttribute.Int("to", 7)); // INT64
        onnx.Graph.Node("Gather", new[] { onnx.Node.Parameters[0].Name, ids }, onnx.Name, OnnxAttribute.Int("axis", 0));
    }

    public override IEnumerable<string> ClassFields(InferredNode node, InferredGraph graph) => Enumerable.Empty<string>();

    public override int CpuWorkspacePerThread(InferredNode node, InferredGraph graph) => 0;

    public override void Forward(PlanSteps steps, ForwardContext context)
    {
        var e = Params<EmbeddingParams>(context.Node);
        steps.Kernel(Kernels, "Forward", context.X, Buffers.Param(context.Node.Parameters[0]), context.Y, Arg.Int(context.Inputs[0].SampleLength), Arg.Int(e.InputDim), Arg.Int(e.OutputDim));
    }

    public override void Backward(PlanSteps steps, BackwardContext context)
    {
        var e = Params<EmbeddingParams>(context.Node);
        var weight = context.Node.Parameters[0];
        steps.Guarded(Buffers.ParamWanted(weight), Kernels, "BackwardWeight", context.X, context.Dy, Buffers.ParamGrad(weight), Arg.Int(e.InputDim), Arg.Int(e.OutputDim), Buffers.ParamAdds(weight).Named("accumulate"));
    }
}

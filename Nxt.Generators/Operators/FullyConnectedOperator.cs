using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Onnx;
using Nxt.Generators.Operators.Plans;

namespace Nxt.Generators.Operators;

/// <summary>MXNet <c>FullyConnected</c>: a GEMM against <c>(num_hidden, K)</c> weights, with a fused epilogue when one follows.</summary>
internal sealed class FullyConnectedOperator : Operator, IFusedProducer, IGeneratedEpilogueProducer
{
    public const bool DefaultNoBias = false;
    public const bool DefaultFlatten = true;
    private const string Kernels = "DenseKernels";

    public override IReadOnlyList<OpKind> Kinds { get; } = new[] { OpKind.FullyConnected };

    public override IReadOnlyList<string> AttributeNames { get; } = new[] { "FullyConnectedAttribute" };

    public override string? SizeArgument => "numHidden";

    public override (OpKind, OpParams) Read(AttributeReader attribute, List<InputRef> inputs, DeclarationSink problems)
        => (OpKind.FullyConnected, new FullyConnectedParams(attribute.Int(0), attribute.Bool("NoBias", DefaultNoBias), attribute.Bool("Flatten", DefaultFlatten)));

    public override (string? Argument, string Message)? CheckArguments(NodeSpec node)
        => node.Params is FullyConnectedParams { NumHidden: < 1 } fc ? ("numHidden", $"FullyConnected '{node.Name}' has num_hidden {fc.NumHidden}: it must be at least 1") : null;

    public override (int Min, int Max) Arity(OpParams parameters) => (1, 1);

    public override string ArityHint(OpParams parameters) => string.Empty;

    public override InferredNode? Infer(InferenceContext context)
    {
        var fc = (FullyConnectedParams)context.Node.Params;
        var x = context.X;
        int k = fc.Flatten ? Shapes.Product(x) : x[x.Count - 1];
        var shape = fc.Flatten ? Shapes.Of(fc.NumHidden) : Shapes.Of(x.Take(x.Count - 1).Append(fc.NumHidden));
        return context.Make(shape, ParameterShapes.WeightAndBias(context.Name, Shapes.Of(fc.NumHidden, k), fc.NumHidden, fc.NoBias));
    }

    public override OpTraits Traits(OpParams parameters) => OpTraits.None;

    public override LabelInfo? Label(InferredNode node) => null;

    public override IReadOnlyList<int> BackwardReads(InferredNode node) => new[] { node.Input };

    public override IReadOnlyList<string> MxnetOps { get; } = new[] { "FullyConnected" };

    public override (OpKind Kind, OpParams Params) FromMxnet(MxnetAttributeReader attributes)
        => (OpKind.FullyConnected, new FullyConnectedParams(attributes.RequiredInt("num_hidden"), attributes.Bool("no_bias", DefaultNoBias), attributes.Bool("flatten", DefaultFlatten)));

    public override string MxnetName(OpParams parameters) => "FullyConnected";

    public override void MxnetAttributes(OpParams parameters, MxnetAttributeList attributes)
    {
        var fc = (FullyConnectedParams)parameters;
        attributes.Add("num_hidden", fc.NumHidden);
        attributes.AddIf("no_bias", "True", fc.NoBias);
        attributes.AddIf("flatten", "False", !fc.Flatten);
    }

    public override void Onnx(OnnxContext onnx)
    {
        var fc = Params<FullyConnectedParams>(onnx.Node);
        string x = onnx.X, weight = onnx.Node.Parameters[0].Name;
        if (fc.Flatten)
        {
            if (onnx.InputRank > 2)
            {
                x = onnx.Name + "_flattened";
                onnx.Graph.Node("Flatten", new[] { onnx.X }, x, OnnxAttribute.Int("axis", 1));
            }

            onnx.Graph.Node("Gemm", new[] { x }.Concat(onnx.Node.Parameters.Select(p => p.Name)), onnx.Name, OnnxAttribute.Int("transB", 1));
            return;
        }

        // Over the last axis: x · Wᵀ (+ b), as MatMul broadcasts the leading axes.
        onnx.Graph.Node("Transpose", new[] { weight }, onnx.Name + "_weight_t", OnnxAttribute.Ints("perm", new[] { 1, 0 }));
        string product = fc.NoBias ? onnx.Name : onnx.Name + "_product";
        onnx.Graph.Node("MatMul", new[] { x, onnx.Name + "_weight_t" }, product);
        if (!fc.NoBias)
        {
            onnx.Graph.Node("Add", new[] { product, onnx.Node.Parameters[1].Name }, onnx.Name);
        }
    }

    public override IEnumerable<string> ClassFields(InferredNode node, InferredGraph graph) => Enumerable.Empty<string>();

    public override int CpuWorkspacePerThread(InferredNode node, InferredGraph graph) => 0;

    public override void Forward(PlanSteps steps, ForwardContext context)
    {
        var node = context.Node;
        var fc = Params<FullyConnectedParams>(node);
        var (rows, k) = Dims(fc, context.Inputs[0]);
        steps.Kernel(Kernels, "Forward", context.X, Arg.Local(node.Name + "_weight"), Buffers.Bias(node, fc.NoBias), context.Y, rows, Arg.Int(k), Arg.Int(fc.NumHidden));
    }

    public (bool Activation, bool Residual) Epilogue(OpParams parameters) => (true, true);

    public void FusedForward(PlanSteps steps, ForwardContext context, Arg residual, Arg epilogue, Arg y)
    {
        var node = context.Node;
        var fc = Params<FullyConnectedParams>(node);
        var (rows, k) = Dims(fc, context.Inputs[0]);
        steps.Kernel(Kernels, "Forward", context.X, Arg.Local(node.Name + "_weight"), Buffers.Bias(node, fc.NoBias), residual, y, rows, Arg.Int(k), Arg.Int(fc.NumHidden), epilogue);
    }

    public void ForwardWithEpilogue(PlanSteps steps, ForwardContext context, Arg epilogue)
    {
        var node = context.Node;
        var fc = Params<FullyConnectedParams>(node);
        var (rows, k) = Dims(fc, context.Inputs[0]);
        steps.Kernel(Kernels, "Forward", context.X, Arg.Local(node.Name + "_weight"), Buffers.Bias(node, fc.NoBias), context.Y, rows, Arg.Int(k), Arg.Int(fc.NumHidden), epilogue.OnNewLine());
    }

    public override void Backward(PlanSteps steps, BackwardContext context)
    {
        var node = context.Node;
        var fc = Params<FullyConnectedParams>(node);
        var (rows, k) = Dims(fc, context.Inputs[0]);
        Arg inputs = Arg.Int(k), units = Arg.Int(fc.NumHidden);
        var weight = node.Parameters[0];
        steps.Guarded(Buffers.ParamWanted(weight), Kernels, "BackwardWeight", context.Dy, context.X, Buffers.ParamGrad(weight), rows, inputs, units, Buffers.ParamAdds(weight).Named("accumulate"));
        if (!fc.NoBias)
        {
            var bias = node.Parameters[1];
            steps.Guarded(Buffers.ParamWanted(bias), Kernels, "BackwardBias", context.Dy, Buffers.ParamGrad(bias), rows, units, Buffers.ParamAdds(bias).Named("accumulate"));
        }

        if (context.WantsInput)
        {
            steps.Guarded(context.WantX, Kernels, "BackwardData", context.Dy, Buffers.Param(weight), context.Dx, rows, inputs, units, context.Acc);
        }
    }

    /// <summary>The GEMM's rows and inner size: with flatten, <c>(N, K)</c>; without, every leading index is a row.</summary>
    private static (Arg Rows, int Inputs) Dims(FullyConnectedParams fc, InferredNode input)
    {
        if (fc.Flatten)
        {
            return (Arg.N, input.SampleLength);
        }

        int inner = input.Shape[input.Shape.Count - 1];
        return (Arg.Rows(input.SampleLength / inner), inner);
    }
}

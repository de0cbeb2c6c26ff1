using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Onnx;
using Nxt.Generators.Operators.Plans;

namespace Nxt.Generators.Operators;

/// <summary><c>[InstanceNorm(Eps = 1e-3)]</c>.</summary>
internal sealed record InstanceNormParams(double Eps) : OpParams;

/// <summary>
/// MXNet <c>InstanceNorm</c>: each (sample, channel) plane normalised on its own, with
/// <c>NAME_gamma</c> and <c>NAME_beta</c> per channel; each plane's mean and inverse deviation
/// are kept in the node's scratch for backward.
/// </summary>
internal sealed class InstanceNormOperator : Operator
{
    public static readonly OpKind Kind = new("InstanceNorm");
    public const double DefaultEps = 1e-3;
    private const string Kernels = "InstanceNormKernels";

    public override IReadOnlyList<OpKind> Kinds { get; } = new[] { Kind };

    public override IReadOnlyList<string> AttributeNames { get; } = new[] { "InstanceNormAttribute" };

    public override string? SizeArgument => null;

    public override (OpKind, OpParams) Read(AttributeReader attribute, List<InputRef> inputs, DeclarationSink problems)
        => (Kind, new InstanceNormParams(attribute.Double("Eps", DefaultEps)));

    public override (string? Argument, string Message)? CheckArguments(NodeSpec node) => node.Params switch
    {
        InstanceNormParams i when !(i.Eps > 0) || SinglePrecision.IsZero(i.Eps) || !SinglePrecision.IsFinite(i.Eps) => ("Eps", $"InstanceNorm '{node.Name}' has eps {MxnetText.Real(i.Eps)}: it must be positive and finite in single precision"),
        _ => null,
    };

    public override (int Min, int Max) Arity(OpParams parameters) => (1, 1);

    public override string ArityHint(OpParams parameters) => string.Empty;

    public override InferredNode? Infer(InferenceContext context)
    {
        if (context.X.Count < 2)
        {
            return context.Fail($"InstanceNorm '{context.Name}' normalises each channel's values of a sample, so it expects (N,C,...) with at least one axis after the channels, but '{context.Inputs[0].Name}' is {Shapes.Batched(context.X)}");
        }

        int channels = context.X[0];
        return context.Make(
            context.X,
            new[] { new ParameterInfo(context.Name + "_gamma", Shapes.Of(channels)), new ParameterInfo(context.Name + "_beta", Shapes.Of(channels)) },
            scratch: new ScratchNeeds(2 * channels, 0, "_stats"));
    }

    public override OpTraits Traits(OpParams parameters) => OpTraits.None;

    public override LabelInfo? Label(InferredNode node) => null;

    public override IReadOnlyList<int> BackwardReads(InferredNode node) => new[] { node.Input };

    public override IReadOnlyList<string> MxnetOps { get; } = new[] { "InstanceNorm" };

    public override (OpKind Kind, OpParams Params) FromMxnet(MxnetAttributeReader attributes)
        => (Kind, new InstanceNormParams(attributes.Double("eps", DefaultEps)));

    public override string MxnetName(OpParams parameters) => "InstanceNorm";

    public override void MxnetAttributes(OpParams parameters, MxnetAttributeList attributes)
    {
        var i = (InstanceNormParams)parameters;
        attributes.AddIf("eps", MxnetText.Real(i.Eps), i.Eps != DefaultEps);
    }

    public override void Onnx(OnnxContext onnx)
        => onnx.Single("InstanceNormalization", OnnxAttribute.Float("epsilon", Params<InstanceNormParams>(onnx.Node).Eps));

    public override IEnumerable<string> ClassFields(InferredNode node, InferredGraph graph) => Enumerable.Empty<string>();

    public override int CpuWorkspacePerThread(InferredNode node, InferredGraph graph) => 0;

    public override void Forward(PlanSteps steps, ForwardContext context)
    {
        var node = context.Node;
        var (rows, channels, spatial) = Planes(node);
        steps.Kernel(Kernels, "Forward", context.X, Buffers.Param(node.Parameters[0]), Buffers.Param(node.Parameters[1]), context.Y, Buffers.Scratch(node), rows, channels, spatial, Arg.Float(Params<InstanceNormParams>(node).Eps));
    }

    public override void Backward(PlanSteps steps, BackwardContext context)
    {
        var node = context.Node;
        var (rows, channels, spatial) = Planes(node);
        var (gamma, beta) = (node.Parameters[0], node.Parameters[1]);
        steps.If(Buffers.Wanted(node), then => then.Kernel(
            Kernels, "Backward", context.X, Buffers.Param(gamma), context.Dy, Buffers.Scratch(node), context.WantsInput ? context.Dx : Arg.Default,
            Buffers.ParamGrad(gamma), Buffers.ParamGrad(beta), rows, channels, spatial,
            context.WantsInput ? context.WantX : Arg.Bool(false), Arg.Bool(context.WantsInput && context.Accumulate[0]).Named("accumulateX"),
            Buffers.ParamWanted(gamma), Buffers.ParamAdds(gamma), Buffers.ParamWanted(beta), Buffers.ParamAdds(beta)));
    }

    private static (Arg Rows, Arg Channels, Arg Spatial) Planes(InferredNode node)
    {
        int channels = node.Shape[0];
        return (Arg.Rows(channels), Arg.Int(channels), Arg.Int(node.SampleLength / channels));
    }
}

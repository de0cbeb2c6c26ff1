using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Onnx;
using Nxt.Generators.Operators.Plans;

namespace Nxt.Generators.Operators;

/// <summary>MXNet <c>sample_type</c>; the members mirror the runtime's <c>UpSamplingSampleType</c> by name.</summary>
internal enum UpSamplingSampleType
{
    Nearest,
    Bilinear,
}

/// <summary><c>[UpSampling(scale, SampleType = Nearest)]</c>.</summary>
internal sealed record UpSamplingParams(int Scale, UpSamplingSampleType SampleType) : OpParams;

/// <summary>
/// MXNet <c>UpSampling</c> with nearest neighbours over images: (N,C,H,W) to (N,C,H·scale,W·scale);
/// its gradient sums each block. A bilinear one is read as the <see cref="DeconvolutionOperator"/> it is.
/// </summary>
internal sealed class UpSamplingOperator : Operator
{
    public static readonly OpKind Kind = new("UpSampling");
    private const string Kernels = "UpSamplingKernels";

    public override IReadOnlyList<OpKind> Kinds { get; } = new[] { Kind };

    public override IReadOnlyList<string> AttributeNames { get; } = new[] { "UpSamplingAttribute" };

    public override string? SizeArgument => "scale";

    // A bilinear up-sampling is a learned depthwise deconvolution (MXNet's own implementation), so it becomes a Deconvolution node.
    public override (OpKind, OpParams) Read(AttributeReader attribute, List<InputRef> inputs, DeclarationSink problems)
    {
        var parameters = new UpSamplingParams(attribute.Int(0), attribute.Enum("SampleType", UpSamplingSampleType.Nearest));
        return parameters is { SampleType: UpSamplingSampleType.Bilinear, Scale: >= 1 }
            ? (DeconvolutionOperator.Kind, DeconvolutionParams.ForBilinearUpSampling(parameters.Scale, attribute.Int("NumFilter", 0)))
            : (Kind, parameters);
    }

    public override (string? Argument, string Message)? CheckArguments(NodeSpec node) => node.Params switch
    {
        UpSamplingParams { Scale: < 1 } u => ("scale", $"UpSampling '{node.Name}' has scale {u.Scale}: it must be at least 1"),
        UpSamplingParams { SampleType: not UpSamplingSampleType.Nearest } u => ("SampleType", $"UpSampling '{node.Name}' has sample_type {((int)u.SampleType).ToString(System.Globalization.CultureInfo.InvariantCulture)}, which is not a value of UpSamplingSampleType"),
        _ => null,
    };

    public override (int Min, int Max) Arity(OpParams parameters) => (1, 1);

    public override string ArityHint(OpParams parameters) => " (Nxt's UpSampling takes one input; Concat the results of several)";

    public override InferredNode? Infer(InferenceContext context)
    {
        var x = context.X;
        int scale = ((UpSamplingParams)context.Node.Params).Scale;
        if (x.Count != 3)
        {
            return context.Fail($"UpSampling '{context.Name}' expects images (N,C,H,W), but '{context.Inputs[0].Name}' is {Shapes.Batched(x)}");
        }

        long length = (long)Shapes.Product(x) * scale * scale;
        return length > SizeLimits.MaxSampleFloats
            ? context.Fail(ErrorCode.ParameterOutOfRange, "scale", $"UpSampling '{context.Name}' would grow '{context.Inputs[0].Name}' {Shapes.Batched(x)} to {length} floats a sample; Nxt holds at most {SizeLimits.MaxSampleFloats}")
            : context.Make(Shapes.Of(x[0], x[1] * scale, x[2] * scale));
    }

    public override OpTraits Traits(OpParams parameters) => OpTraits.None;

    public override LabelInfo? Label(InferredNode node) => null;

    public override IReadOnlyList<int> BackwardReads(InferredNode node) => System.Array.Empty<int>();

    public override IReadOnlyList<string> MxnetOps { get; } = new[] { "UpSampling" };

    public override (OpKind Kind, OpParams Params) FromMxnet(MxnetAttributeReader attributes)
    {
        // With one input, concatenating and summing the grown inputs are the same.
        attributes.OnlyValue("multi_input_mode", "concat", "sum");
        var parameters = new UpSamplingParams(attributes.RequiredInt("scale"), attributes.Enum("sample_type", UpSamplingSampleType.Nearest));
        // MXNet's bilinear UpSampling reads (data, NAME_weight): the deconvolution's own input and weight.
        return parameters is { SampleType: UpSamplingSampleType.Bilinear, Scale: >= 1 }
            ? (DeconvolutionOperator.Kind, DeconvolutionParams.ForBilinearUpSampling(parameters.Scale, attributes.RequiredInt("num_filter")))
            : (Kind, parameters);
    }

    public override string MxnetName(OpParams parameters) => "UpSampling";

    public override void MxnetAttributes(OpParams parameters, MxnetAttributeList attributes)
    {
        var u = (UpSamplingParams)parameters;
        attributes.Add("scale", u.Scale);
        attributes.Add("sample_type", MxnetText.Enum(u.SampleType));
        attributes.Add("num_args", 1);
    }

    // Resize with floor-rounded nearest neighbours at asymmetric coordinates is exactly a repeat.
    public override void Onnx(OnnxContext onnx)
    {
        int scale = Params<UpSamplingParams>(onnx.Node).Scale;
        onnx.Graph.Floats(onnx.Name + "_scales", new[] { 4 }, 1, 1, scale, scale);
        onnx.Graph.Node(
            "Resize", new[] { onnx.X, string.Empty, onnx.Name + "_scales" }, onnx.Name,
            OnnxAttribute.String("mode", "nearest"), OnnxAttribute.String("coordinate_transformation_mode", "asymmetric"), OnnxAttribute.String("nearest_mode", "floor"));
    }

    public override IEnumerable<string> ClassFields(InferredNode node, InferredGraph graph) => Enumerable.Empty<string>();

    public override int CpuWorkspacePerThread(InferredNode node, InferredGraph graph) => 0;

    public override void Forward(PlanSteps steps, ForwardContext context)
        => steps.Kernel(Kernels, "NearestForward", new[] { context.X, context.Y }.Concat(Geometry(context.Inputs[0], context.Node)).ToArray());

    public override void Backward(PlanSteps steps, BackwardContext context)
        => steps.Guarded(context.WantX, Kernels, "NearestBackward", new[] { context.Dy, context.Dx }.Concat(Geometry(context.Inputs[0], context.Node)).Append(context.Acc).ToArray());

    private static IEnumerable<Arg> Geometry(InferredNode input, InferredNode node)
    {
        var x = input.Shape;
        return new[] { Arg.Rows(x[0]), Arg.Int(x[1]), Arg.Int(x[2]), Arg.Int(Params<UpSamplingParams>(node).Scale) };
    }
}

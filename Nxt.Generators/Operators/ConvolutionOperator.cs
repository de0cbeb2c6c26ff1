using System.Collections.Generic;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Onnx;
using Nxt.Generators.Operators.Plans;

namespace Nxt.Generators.Operators;

/// <summary>MXNet <c>Convolution</c> (2-D, NCHW, groups, dilation): implicit GEMMs on the GPU, im2col + GEMM on the CPU.</summary>
internal sealed class ConvolutionOperator : Operator, IFusedProducer, IGeneratedEpilogueProducer
{
    public const int DefaultKernel = 1;
    public const int DefaultStride = 1;
    public const int DefaultPad = 0;
    public const int DefaultDilate = 1;
    public const int DefaultNumGroup = 1;
    public const bool DefaultNoBias = false;
    private const string Kernels = "ConvolutionKernels";

    public override IReadOnlyList<OpKind> Kinds { get; } = new[] { OpKind.Convolution };

    public override IReadOnlyList<string> AttributeNames { get; } = new[] { "ConvolutionAttribute" };

    public override string? SizeArgument => "numFilter";

    public override (OpKind, OpParams) Read(AttributeReader attribute, List<InputRef> inputs, DeclarationSink problems)
        => (OpKind.Convolution, new ConvolutionParams(
            attribute.Int(0),
            attribute.Window("Kernel", DefaultKernel),
            attribute.Window("Stride", DefaultStride),
            attribute.Window("Pad", DefaultPad),
            attribute.Window("Dilate", DefaultDilate),
            attribute.Int("NumGroup", DefaultNumGroup),
            attribute.Bool("NoBias", DefaultNoBias)));

    public override (string? Argument, string Message)? CheckArguments(NodeSpec node)
    {
        var conv = (ConvolutionParams)node.Params;
        if (conv.NumFilter < 1)
        {
            return ("numFilter", $"Convolution '{node.Name}' has num_filter {conv.NumFilter}: it must be at least 1");
        }

        if (conv.NumGroup < 1 || conv.NumFilter % conv.NumGroup != 0)
        {
            return ("NumGroup", $"Convolution '{node.Name}' has num_filter {conv.NumFilter} and num_group {conv.NumGroup}: num_filter must be a positive multiple of num_group");
        }

        return Windows.Check(node.Name, "Convolution", conv.Kernel, conv.Stride, conv.Pad, conv.Dilate, global: false);
    }

    public override (int Min, int Max) Arity(OpParams parameters) => (1, 1);

    public override string ArityHint(OpParams parameters) => string.Empty;

    public override InferredNode? Infer(InferenceContext context)
    {
        var conv = (ConvolutionParams)context.Node.Params;
        var x = context.X;
        var input = context.Inputs[0];
        if (x.Count != 3)
        {
            return context.Fail($"Convolution '{context.Name}' expects images (N,C,H,W), but '{input.Name}' is {Shapes.Batched(x)}");
        }

        int c = x[0];
        if (c % conv.NumGroup != 0)
        {
            return context.Fail(ErrorCode.ParameterOutOfRange, "NumGroup", $"Convolution '{context.Name}' has num_group {conv.NumGroup}, which does not divide the {c} channels of '{input.Name}' {Shapes.Batched(x)}");
        }

        // In 64 bits: a kernel, dilation or padding near int.MaxValue must not wrap.
        var output = new int[2];
        for (int axis = 0; axis < 2; axis++)
        {
            long extent = ((long)conv.Dilate[axis] * (conv.Kernel[axis] - 1)) + 1;
            long padded = x[axis + 1] + (2L * conv.Pad[axis]);
            if (extent > padded)
            {
                return context.Fail(ErrorCode.ParameterOutOfRange, "Kernel", $"Convolution '{context.Name}' has a {Shapes.Window(conv.Kernel)} kernel (dilated extent {extent}) larger than the padded input {padded} of '{input.Name}' {Shapes.Batched(x)}");
            }

            long size = ((padded - extent) / conv.Stride[axis]) + 1;
            if (size > SizeLimits.MaxSampleFloats)
            {
                return context.Fail(ErrorCode.ParameterOutOfRange, "Pad", $"Convolution '{context.Name}' would have an output {size} wide: its padding is past what Nxt can hold");
            }

            output[axis] = (int)size;
        }

        var weight = Shapes.Of(conv.NumFilter, c / conv.NumGroup, conv.Kernel[0], conv.Kernel[1]);
        var node = context.Make(Shapes.Of(conv.NumFilter, output[0], output[1]), ParameterShapes.WeightAndBias(context.Name, weight, conv.NumFilter, conv.NoBias));
        long workspace = Workspace(c, conv.NumFilter, conv.NumGroup, conv.Kernel, output[0], output[1]);
        return workspace <= SizeLimits.MaxSampleFloats
            ? node
            : context.Fail(ErrorCode.ParameterOutOfRange, "numFilter", $"Convolution '{context.Name}' is too large: its CPU workspace (im2col columns and gradient sums) would take {workspace} floats per worker; Nxt holds at most {SizeLimits.MaxSampleFloats}");
    }

    public override OpTraits Traits(OpParams parameters) => OpTraits.None;

    public override LabelInfo? Label(InferredNode node) => null;

    public override IReadOnlyList<int> BackwardReads(InferredNode node) => new[] { node.Input };

    public override IReadOnlyList<string> MxnetOps { get; } = new[] { "Convolution" };

    public override (OpKind Kind, OpParams Params) FromMxnet(MxnetAttributeReader attributes)
    {
        attributes.OnlyValue("layout", "NCHW");
        if (attributes.Tuple("kernel") is null)
        {
            throw new MxnetImportException("attribute 'kernel' is missing, and Convolution has no default for it");
        }

        return (OpKind.Convolution, new ConvolutionParams(
            attributes.RequiredInt("num_filter"),
            attributes.Window("kernel", DefaultKernel),
            attributes.Window("stride", DefaultStride),
            attributes.Window("pad", DefaultPad),
            attributes.Window("dilate", DefaultDilate),
            attributes.Int("num_group", DefaultNumGroup),
            attributes.Bool("no_bias", DefaultNoBias)));
    }

    public override string MxnetName(OpParams parameters) => "Convolution";

    public override void MxnetAttributes(OpParams parameters, MxnetAttributeList attributes)
    {
        var conv = (ConvolutionParams)parameters;
        attributes.Add("kernel", MxnetText.Tuple(conv.Kernel));
        attributes.Add("num_filter", conv.NumFilter);
        attributes.AddIf("stride", MxnetText.Tuple(conv.Stride), !Windows.All(conv.Stride, DefaultStride));
        attributes.AddIf("pad", MxnetText.Tuple(conv.Pad), !Windows.All(conv.Pad, DefaultPad));
        attributes.AddIf("dilate", MxnetText.Tuple(conv.Dilate), !Windows.All(conv.Dilate, DefaultDilate));
        attributes.AddIf("num_group", MxnetText.Number(conv.NumGroup), conv.NumGroup != DefaultNumGroup);
        attributes.AddIf("no_bias", "True", conv.NoBias);
    }

    public override void Onnx(OnnxContext onnx)
    {
        var conv = Params<ConvolutionParams>(onnx.Node);
        onnx.Single(
            "Conv",
            OnnxAttribute.Ints("kernel_shape", conv.Kernel),
            OnnxAttribute.Ints("strides", conv.Stride),
            OnnxAttribute.Ints("pads", new[] { conv.Pad[0], conv.Pad[1], conv.Pad[0], conv.Pad[1] }),
            OnnxAttribute.Ints("dilations", conv.Dilate),
            OnnxAttribute.Int("group", conv.NumGroup));
    }

    public override IEnumerable<string> ClassFields(InferredNode node, InferredGraph graph)
    {
        var conv = Params<ConvolutionParams>(node);
        yield return GeometryField(node, graph.Nodes[node.Input].Shape, conv.NumFilter, conv.Kernel, conv.Stride, conv.Pad, conv.Dilate, conv.NumGroup, node.Shape[1], node.Shape[2]);
    }

    /// <summary>
    /// One group's im2col matrices and GEMM output for a chunk of samples, plus the worker's own
    /// weight and bias gradient sums: <c>Nxt.Cpu.ConvolutionKernels.SamplesPerGemm</c> and
    /// <c>WorkspacePerThread</c> (a test keeps the two equal).
    /// </summary>
    public override int CpuWorkspacePerThread(InferredNode node, InferredGraph graph)
    {
        var conv = Params<ConvolutionParams>(node);
        return (int)Workspace(graph.Nodes[node.Input].Shape[0], conv.NumFilter, conv.NumGroup, conv.Kernel, node.Shape[1], node.Shape[2]); // Infer refused any past int
    }

    /// <summary>The CPU workspace per worker of a convolution from <paramref name="channels"/> to <paramref name="filters"/> channels with an output of (<paramref name="outHeight"/>, <paramref name="outWidth"/>).</summary>
    public static long Workspace(int channels, int filters, int groups, EquatableArray<int> kernel, int outHeight, int outWidth)
    {
        long pixels = (long)outHeight * outWidth;
        long colLength = SizeLimits.Product(new[] { channels / groups, kernel[0], kernel[1] }) * pixels;
        long productLength = filters / groups * pixels;
        long chunk = System.Math.Max(1, System.Math.Min(16, (1 << 17) / System.Math.Max(1, colLength)));
        long weight = SizeLimits.Product(new[] { filters, channels / groups, kernel[0], kernel[1] });
        return (chunk * colLength) + (chunk == 1 ? 0 : chunk * productLength) + weight + filters;
    }

    /// <summary>The <c>ConvGeometry</c> constant a convolution's (or a deconvolution's adjoint convolution's) kernels take.</summary>
    public static string GeometryField(InferredNode node, EquatableArray<int> input, int filters, EquatableArray<int> kernel, EquatableArray<int> stride, EquatableArray<int> pad, EquatableArray<int> dilate, int groups, int outHeight, int outWidth)
        => $"private static readonly global::Nxt.Kernels.ConvGeometry {Windows.FieldName(node)} = new(" +
            $"Channels: {input[0]}, Height: {input[1]}, Width: {input[2]}, Filters: {filters}, KernelH: {kernel[0]}, KernelW: {kernel[1]}, " +
            $"StrideH: {stride[0]}, StrideW: {stride[1]}, PadH: {pad[0]}, PadW: {pad[1]}, DilateH: {dilate[0]}, DilateW: {dilate[1]}, " +
            $"Groups: {groups}, OutHeight: {outHeight}, OutWidth: {outWidth});";

    public override void Forward(PlanSteps steps, ForwardContext context)
    {
        var node = context.Node;
        steps.Kernel(Kernels, "Forward", context.X, Arg.Local(node.Name + "_weight"), Buffers.Bias(node, Params<ConvolutionParams>(node).NoBias), context.Y, Buffers.Workspace, Arg.N, Windows.Field(node));
    }

    public (bool Activation, bool Residual) Epilogue(OpParams parameters) => (true, true);

    public void FusedForward(PlanSteps steps, ForwardContext context, Arg residual, Arg epilogue, Arg y)
        => FusedCall(steps, context.Node, context.X, Arg.Local(context.Node.Name + "_weight"), Buffers.Bias(context.Node, Params<ConvolutionParams>(context.Node).NoBias), residual, y, epilogue);

    public void ForwardWithEpilogue(PlanSteps steps, ForwardContext context, Arg epilogue)
    {
        var node = context.Node;
        steps.Kernel(Kernels, "Forward", context.X, Arg.Local(node.Name + "_weight"), Buffers.Bias(node, Params<ConvolutionParams>(node).NoBias), context.Y, Buffers.Workspace, Arg.N, Windows.Field(node), epilogue.OnNewLine());
    }

    /// <summary>The convolution with an epilogue, over given weights (the layer's own, or BatchNorm-folded ones).</summary>
    public static void FusedCall(PlanSteps steps, InferredNode conv, Arg x, Arg weight, Arg bias, Arg residual, Arg y, Arg epilogue)
        => steps.Kernel(Kernels, "Forward", x, weight, bias, residual, y, Buffers.Workspace, Arg.N, Windows.Field(conv), epilogue);

    public override void Backward(PlanSteps steps, BackwardContext context)
        => BackwardCalls(steps, context, Kernels, Params<ConvolutionParams>(context.Node).NoBias);

    /// <summary>The weight, bias and input gradient calls of a convolution or a deconvolution (<paramref name="kernels"/>: their kernel class).</summary>
    public static void BackwardCalls(PlanSteps steps, BackwardContext context, string kernels, bool noBias)
    {
        var node = context.Node;
        var geometry = Windows.Field(node);
        var weight = node.Parameters[0];
        var bias = noBias ? null : node.Parameters[1];
        var any = bias is null ? Buffers.ParamWanted(weight) : Arg.Or(Buffers.ParamWanted(weight), Buffers.ParamWanted(bias));
        steps.Guarded(
            any, kernels, "BackwardWeight", context.X, context.Dy, Buffers.ParamGrad(weight), bias is null ? Arg.Default : Buffers.ParamGrad(bias), Buffers.Workspace, Arg.N, geometry,
            Buffers.ParamAdds(weight).Named("accumulateWeight"), (bias is null ? Arg.Bool(false) : Buffers.ParamAdds(bias)).Named("accumulateBias"));
        if (context.WantsInput)
        {
            steps.Guarded(context.WantX, kernels, "BackwardData", context.Dy, Buffers.Param(weight), context.Dx, Buffers.Workspace, Arg.N, geometry, context.Acc);
        }
    }
}

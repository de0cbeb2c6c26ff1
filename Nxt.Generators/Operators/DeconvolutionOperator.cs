using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Onnx;
using Nxt.Generators.Operators.Plans;

namespace Nxt.Generators.Operators;

/// <summary><c>[Deconvolution(numFilter, Kernel, Stride, Pad, Dilate, Adj, TargetShape, NumGroup, NoBias)]</c>; an empty <see cref="TargetShape"/> means none.</summary>
internal sealed record DeconvolutionParams(
    int NumFilter, EquatableArray<int> Kernel, EquatableArray<int> Stride, EquatableArray<int> Pad, EquatableArray<int> Dilate,
    EquatableArray<int> Adj, EquatableArray<int> TargetShape, int NumGroup, bool NoBias) : OpParams
{
    /// <summary>Declared as MXNet's bilinear <c>UpSampling</c>: one filter per channel, as many as the input has.</summary>
    public bool BilinearUpSampling { get; init; }

    /// <summary>
    /// MXNet's bilinear <c>UpSampling</c> by <paramref name="scale"/> of <paramref name="channels"/>
    /// channels, which is this deconvolution: kernel <c>2s - s%2</c>, stride <c>s</c>, pad
    /// <c>ceil((s-1)/2)</c>, a group per channel, no bias (its weight <c>NAME_weight (C, 1, k, k)</c>).
    /// </summary>
    public static DeconvolutionParams ForBilinearUpSampling(int scale, int channels)
    {
        int kernel = (2 * scale) - (scale % 2), pad = scale / 2;
        return new DeconvolutionParams(
            channels, Shapes.Of(kernel, kernel), Shapes.Of(scale, scale), Shapes.Of(pad, pad), Shapes.Of(1, 1), Shapes.Of(0, 0), EquatableArray<int>.Empty, System.Math.Max(channels, 1), NoBias: true)
        {
            BilinearUpSampling = true,
        };
    }
}

/// <summary>
/// MXNet <c>Deconvolution</c> (2-D transposed convolution, NCHW). Its kernels run the convolution
/// it is the adjoint of (<c>Nxt.Cpu.DeconvolutionKernels</c>), so the geometry constant the
/// generated code passes is that convolution's: from this node's output back to its input.
/// </summary>
internal sealed class DeconvolutionOperator : Operator, IFusedProducer
{
    public static readonly OpKind Kind = new("Deconvolution");
    public const bool DefaultNoBias = true;
    private const string Kernels = "DeconvolutionKernels";

    public override IReadOnlyList<OpKind> Kinds { get; } = new[] { Kind };

    public override IReadOnlyList<string> AttributeNames { get; } = new[] { "DeconvolutionAttribute" };

    public override string? SizeArgument => "numFilter";

    public override (OpKind, OpParams) Read(AttributeReader attribute, List<InputRef> inputs, DeclarationSink problems)
        => (Kind, new DeconvolutionParams(
            attribute.Int(0),
            attribute.Window("Kernel", ConvolutionOperator.DefaultKernel),
            attribute.Window("Stride", ConvolutionOperator.DefaultStride),
            attribute.Window("Pad", ConvolutionOperator.DefaultPad),
            attribute.Window("Dilate", ConvolutionOperator.DefaultDilate),
            attribute.Window("Adj", 0),
            attribute.Ints("TargetShape"),
            attribute.Int("NumGroup", ConvolutionOperator.DefaultNumGroup),
            attribute.Bool("NoBias", DefaultNoBias)));

    public override (string? Argument, string Message)? CheckArguments(NodeSpec node)
    {
        var d = (DeconvolutionParams)node.Params;
        if (d.BilinearUpSampling && d.NumFilter < 1)
        {
            return ("NumFilter", $"UpSampling '{node.Name}' is bilinear, which needs NumFilter: the input's channel count (MXNet num_filter), one filter each");
        }

        if (d.NumFilter < 1)
        {
            return ("numFilter", $"Deconvolution '{node.Name}' has num_filter {d.NumFilter}: it must be at least 1");
        }

        if (d.NumGroup < 1 || d.NumFilter % d.NumGroup != 0)
        {
            return ("NumGroup", $"Deconvolution '{node.Name}' has num_filter {d.NumFilter} and num_group {d.NumGroup}: num_filter must be a positive multiple of num_group");
        }

        if (d.TargetShape.Count != 0 && (d.TargetShape.Count != 2 || d.TargetShape.Any(t => t < 1)))
        {
            return ("TargetShape", $"Deconvolution '{node.Name}' has target_shape {Shapes.Fixed(d.TargetShape)}: it must be the output's (height, width), both at least 1");
        }

        for (int axis = 0; axis < 2; axis++)
        {
            if (d.Adj[axis] < 0 || d.Adj[axis] >= d.Stride[axis])
            {
                return ("Adj", $"Deconvolution '{node.Name}' has adj {Shapes.Fixed(d.Adj)} and stride {Shapes.Fixed(d.Stride)}: each adjustment must be at least 0 and less than its stride");
            }
        }

        return Windows.Check(node.Name, "Deconvolution", d.Kernel, d.Stride, d.Pad, d.Dilate, global: false);
    }

    public override (int Min, int Max) Arity(OpParams parameters) => (1, 1);

    public override string ArityHint(OpParams parameters) => string.Empty;

    public override InferredNode? Infer(InferenceContext context)
    {
        var d = (DeconvolutionParams)context.Node.Params;
        var x = context.X;
        var input = context.Inputs[0];
        if (x.Count != 3)
        {
            return context.Fail($"Deconvolution '{context.Name}' expects images (N,C,H,W), but '{input.Name}' is {Shapes.Batched(x)}");
        }

        int c = x[0];
        if (d.BilinearUpSampling && c != d.NumFilter)
        {
            return context.Fail(ErrorCode.ShapeMismatch, "NumFilter", $"UpSampling '{context.Name}' is bilinear with num_filter {d.NumFilter}, but '{input.Name}' {Shapes.Batched(x)} has {c} channels: it filters each channel alone, so they must be equal");
        }

        if (c % d.NumGroup != 0)
        {
            return context.Fail(ErrorCode.ParameterOutOfRange, "NumGroup", $"Deconvolution '{context.Name}' has num_group {d.NumGroup}, which does not divide the {c} channels of '{input.Name}' {Shapes.Batched(x)}");
        }

        var output = new int[2];
        for (int axis = 0; axis < 2; axis++)
        {
            long full = Full(d, x, axis);
            var (pad, adj) = Padding(d, x, axis);
            if (d.TargetShape.Count != 0 && d.TargetShape[axis] > full)
            {
                return context.Fail(ErrorCode.ParameterOutOfRange, "TargetShape", $"Deconvolution '{context.Name}' has target_shape {Shapes.Fixed(d.TargetShape)}, but from '{input.Name}' {Shapes.Batched(x)} it reaches at most {full} along {AxisName(axis)} without padding");
            }

            if (adj >= d.Stride[axis])
            {
                return context.Fail(ErrorCode.ParameterOutOfRange, "TargetShape", $"Deconvolution '{context.Name}' has target_shape {Shapes.Fixed(d.TargetShape)}: {AxisName(axis)} {d.TargetShape[axis]} needs an adjustment of {adj}, which its stride {d.Stride[axis]} does not allow (a size of {full} less an even number would)");
            }

            long size = full - (2L * pad) + adj;
            if (size < 1 || size > SizeLimits.MaxSampleFloats)
            {
                return context.Fail(ErrorCode.ParameterOutOfRange, "Pad", $"Deconvolution '{context.Name}' has pad {Shapes.Fixed(d.Pad)}, which leaves an output {size} along {AxisName(axis)} from '{input.Name}' {Shapes.Batched(x)}");
            }

            output[axis] = (int)size;
        }

        var weight = Shapes.Of(c, d.NumFilter / d.NumGroup, d.Kernel[0], d.Kernel[1]);
        var node = context.Make(Shapes.Of(d.NumFilter, output[0], output[1]), ParameterShapes.WeightAndBias(context.Name, weight, d.NumFilter, d.NoBias));
        long workspace = ConvolutionOperator.Workspace(d.NumFilter, c, d.NumGroup, d.Kernel, x[1], x[2]);
        return workspace <= SizeLimits.MaxSampleFloats
            ? node
            : context.Fail(ErrorCode.ParameterOutOfRange, "numFilter", $"Deconvolution '{context.Name}' is too large: its CPU workspace (im2col columns and gradient sums) would take {workspace} floats per worker; Nxt holds at most {SizeLimits.MaxSampleFloats}");
    }

    // The output size along an axis before padding and adjustment: Stride·(H-1) + Dilate·(Kernel-1) + 1.
    private static long Full(DeconvolutionParams d, EquatableArray<int> x, int axis)
        => ((long)d.Stride[axis] * (x[axis + 1] - 1)) + ((long)d.Dilate[axis] * (d.Kernel[axis] - 1)) + 1;

    /// <summary>
    /// The padding and adjustment along an axis: the declared ones, or with a target shape
    /// MXNet's: the surplus over the target split in two, an odd one going to the adjustment.
    /// </summary>
    private static (int Pad, int Adj) Padding(DeconvolutionParams d, EquatableArray<int> x, int axis)
    {
        if (d.TargetShape.Count == 0)
        {
            return (d.Pad[axis], d.Adj[axis]);
        }

        long surplus = Full(d, x, axis) - d.TargetShape[axis];
        return surplus < 0 ? (0, 0) : ((int)((surplus + 1) / 2), (int)(surplus % 2));
    }

    private static string AxisName(int axis) => axis == 0 ? "the height" : "the width";

    public override OpTraits Traits(OpParams parameters) => OpTraits.None;

    public override LabelInfo? Label(InferredNode node) => null;

    public override IReadOnlyList<int> BackwardReads(InferredNode node) => new[] { node.Input };

    public override IReadOnlyList<string> MxnetOps { get; } = new[] { "Deconvolution" };

    public override (OpKind Kind, OpParams Params) FromMxnet(MxnetAttributeReader attributes)
    {
        attributes.OnlyValue("layout", "NCHW");
        if (attributes.Tuple("kernel") is null)
        {
            throw new MxnetImportException("attribute 'kernel' is missing, and Deconvolution has no default for it");
        }

        // MXNet writes an unset target_shape as () or (0, 0).
        var target = attributes.Tuple("target_shape") ?? System.Array.Empty<int>();
        return (Kind, new DeconvolutionParams(
            attributes.RequiredInt("num_filter"),
            attributes.Window("kernel", ConvolutionOperator.DefaultKernel),
            attributes.Window("stride", ConvolutionOperator.DefaultStride),
            attributes.Window("pad", ConvolutionOperator.DefaultPad),
            attributes.Window("dilate", ConvolutionOperator.DefaultDilate),
            attributes.Window("adj", 0),
            target.All(t => t == 0) ? EquatableArray<int>.Empty : target.ToEquatableArray(),
            attributes.Int("num_group", ConvolutionOperator.DefaultNumGroup),
            attributes.Bool("no_bias", DefaultNoBias)));
    }

    public override string MxnetName(OpParams parameters) => "Deconvolution";

    public override void MxnetAttributes(OpParams parameters, MxnetAttributeList attributes)
    {
        var d = (DeconvolutionParams)parameters;
        attributes.Add("kernel", MxnetText.Tuple(d.Kernel));
        attributes.Add("num_filter", d.NumFilter);
        attributes.AddIf("stride", MxnetText.Tuple(d.Stride), !Windows.All(d.Stride, ConvolutionOperator.DefaultStride));
        attributes.AddIf("pad", MxnetText.Tuple(d.Pad), !Windows.All(d.Pad, ConvolutionOperator.DefaultPad));
        attributes.AddIf("adj", MxnetText.Tuple(d.Adj), !Windows.All(d.Adj, 0));
        attributes.AddIf("dilate", MxnetText.Tuple(d.Dilate), !Windows.All(d.Dilate, ConvolutionOperator.DefaultDilate));
        attributes.AddIf("target_shape", MxnetText.Tuple(d.TargetShape), d.TargetShape.Count != 0);
        attributes.AddIf("num_group", MxnetText.Number(d.NumGroup), d.NumGroup != ConvolutionOperator.DefaultNumGroup);
        attributes.AddIf("no_bias", "False", !d.NoBias);
    }

    public override void Onnx(OnnxContext onnx)
    {
        var d = Params<DeconvolutionParams>(onnx.Node);
        var x = onnx.Inputs[0].Shape;
        var (padH, adjH) = Padding(d, x, 0);
        var (padW, adjW) = Padding(d, x, 1);
        onnx.Single(
            "ConvTranspose",
            OnnxAttribute.Ints("kernel_shape", d.Kernel),
            OnnxAttribute.Ints("strides", d.Stride),
            OnnxAttribute.Ints("pads", new[] { padH, padW, padH, padW }),
            OnnxAttribute.Ints("output_padding", new[] { adjH, adjW }),
            OnnxAttribute.Ints("dilations", d.Dilate),
            OnnxAttribute.Int("group", d.NumGroup));
    }

    // The adjoint convolution: from this node's output (its image) to its input (its output).
    public override IEnumerable<string> ClassFields(InferredNode node, InferredGraph graph)
    {
        var d = Params<DeconvolutionParams>(node);
        var x = graph.Nodes[node.Input].Shape;
        var pad = Shapes.Of(Padding(d, x, 0).Pad, Padding(d, x, 1).Pad);
        yield return ConvolutionOperator.GeometryField(node, node.Shape, x[0], d.Kernel, d.Stride, pad, d.Dilate, d.NumGroup, x[1], x[2]);
    }

    public override int CpuWorkspacePerThread(InferredNode node, InferredGraph graph)
    {
        var d = Params<DeconvolutionParams>(node);
        var x = graph.Nodes[node.Input].Shape;
        return (int)ConvolutionOperator.Workspace(d.NumFilter, x[0], d.NumGroup, d.Kernel, x[1], x[2]); // Infer refused any past int
    }

    public override void Forward(PlanSteps steps, ForwardContext context)
    {
        var node = context.Node;
        steps.Kernel(Kernels, "Forward", context.X, Arg.Local(node.Name + "_weight"), Buffers.Bias(node, Params<DeconvolutionParams>(node).NoBias), context.Y, Buffers.Workspace, Arg.N, Windows.Field(node));
    }

    public (bool Activation, bool Residual) Epilogue(OpParams parameters) => (true, true);

    public void FusedForward(PlanSteps steps, ForwardContext context, Arg residual, Arg epilogue, Arg y)
        => steps.Kernel(Kernels, "Forward", context.X, Arg.Local(context.Node.Name + "_weight"), Buffers.Bias(context.Node, Params<DeconvolutionParams>(context.Node).NoBias), residual, y, Buffers.Workspace, Arg.N, Windows.Field(context.Node), epilogue);

    public override void Backward(PlanSteps steps, BackwardContext context)
        => ConvolutionOperator.BackwardCalls(steps, context, Kernels, Params<DeconvolutionParams>(context.Node).NoBias);
}

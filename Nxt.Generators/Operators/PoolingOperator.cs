using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Onnx;
using Nxt.Generators.Operators.Plans;

namespace Nxt.Generators.Operators;

/// <summary>MXNet <c>Pooling</c> (2-D, NCHW): max or average, valid or full convention, or global.</summary>
internal sealed class PoolingOperator : Operator
{
    public const int DefaultKernel = 1;
    public const int DefaultStride = 1;
    public const int DefaultPad = 0;
    public const bool DefaultGlobalPool = false;
    public const PoolingConvention DefaultConvention = PoolingConvention.Valid;
    public const bool DefaultCountIncludePad = true;
    private const string Kernels = "PoolingKernels";

    public override IReadOnlyList<OpKind> Kinds { get; } = new[] { OpKind.Pooling };

    public override IReadOnlyList<string> AttributeNames { get; } = new[] { "PoolingAttribute" };

    public override string? SizeArgument => null;

    public override (OpKind, OpParams) Read(AttributeReader attribute, List<InputRef> inputs, DeclarationSink problems)
        => (OpKind.Pooling, new PoolingParams(
            attribute.Enum<PoolType>(0),
            attribute.Window("Kernel", DefaultKernel),
            attribute.Window("Stride", DefaultStride),
            attribute.Window("Pad", DefaultPad),
            attribute.Bool("GlobalPool", DefaultGlobalPool),
            attribute.Enum("Convention", DefaultConvention),
            attribute.Bool("CountIncludePad", DefaultCountIncludePad)));

    public override (string? Argument, string Message)? CheckArguments(NodeSpec node)
    {
        var pool = (PoolingParams)node.Params;
        if (!System.Enum.IsDefined(typeof(PoolType), pool.PoolType))
        {
            return ("poolType", $"Pooling '{node.Name}' has pool_type {(int)pool.PoolType}, which is not a value of Pool");
        }

        if (!System.Enum.IsDefined(typeof(PoolingConvention), pool.Convention))
        {
            return ("Convention", $"Pooling '{node.Name}' has pooling_convention {(int)pool.Convention}, which is not a value of PoolingConvention");
        }

        return Windows.Check(node.Name, "Pooling", pool.Kernel, pool.Stride, pool.Pad, Shapes.Of(1, 1), pool.GlobalPool);
    }

    public override (int Min, int Max) Arity(OpParams parameters) => (1, 1);

    public override string ArityHint(OpParams parameters) => string.Empty;

    public override InferredNode? Infer(InferenceContext context)
    {
        var pool = (PoolingParams)context.Node.Params;
        var x = context.X;
        var input = context.Inputs[0];
        if (x.Count != 3)
        {
            return context.Fail($"Pooling '{context.Name}' expects images (N,C,H,W), but '{input.Name}' is {Shapes.Batched(x)}");
        }

        if (pool.GlobalPool)
        {
            return context.Make(Shapes.Of(x[0], 1, 1));
        }

        var output = new int[2];
        for (int axis = 0; axis < 2; axis++)
        {
            long padded = x[axis + 1] + (2L * pool.Pad[axis]);
            if (pool.Kernel[axis] > padded)
            {
                return context.Fail(ErrorCode.ParameterOutOfRange, "Kernel", $"Pooling '{context.Name}' has a {Shapes.Window(pool.Kernel)} kernel larger than the padded input {padded} of '{input.Name}' {Shapes.Batched(x)}");
            }

            long span = padded - pool.Kernel[axis];
            long size = (pool.Convention == PoolingConvention.Full ? (span + pool.Stride[axis] - 1) / pool.Stride[axis] : span / pool.Stride[axis]) + 1;
            if (size > SizeLimits.MaxSampleFloats)
            {
                return context.Fail(ErrorCode.ParameterOutOfRange, "Pad", $"Pooling '{context.Name}' would have an output {size} wide: its padding is past what Nxt can hold");
            }

            output[axis] = (int)size;
        }

        return context.Make(Shapes.Of(x[0], output[0], output[1]));
    }

    public override OpTraits Traits(OpParams parameters) => OpTraits.None;

    public override LabelInfo? Label(InferredNode node) => null;

    // Max pooling's backward finds each window's maximum again in its input; average pooling needs no values.
    public override IReadOnlyList<int> BackwardReads(InferredNode node)
        => Params<PoolingParams>(node).PoolType == PoolType.Max ? new[] { node.Input } : System.Array.Empty<int>();

    public override IReadOnlyList<string> MxnetOps { get; } = new[] { "Pooling" };

    public override (OpKind Kind, OpParams Params) FromMxnet(MxnetAttributeReader attributes)
    {
        attributes.OnlyValue("layout", "NCHW");
        return (OpKind.Pooling, new PoolingParams(
            attributes.Enum("pool_type", PoolType.Max),
            attributes.Window("kernel", DefaultKernel),
            attributes.Window("stride", DefaultStride),
            attributes.Window("pad", DefaultPad),
            attributes.Bool("global_pool", DefaultGlobalPool),
            attributes.Enum("pooling_convention", DefaultConvention),
            attributes.Bool("count_include_pad", DefaultCountIncludePad)));
    }

    public override string MxnetName(OpParams parameters) => "Pooling";

    public override void MxnetAttributes(OpParams parameters, MxnetAttributeList attributes)
    {
        var pool = (PoolingParams)parameters;
        attributes.Add("pool_type", MxnetText.Enum(pool.PoolType));
        if (pool.GlobalPool)
        {
            attributes.Add("global_pool", "True");
            return;
        }

        attributes.Add("kernel", MxnetText.Tuple(pool.Kernel));
        attributes.AddIf("stride", MxnetText.Tuple(pool.Stride), !Windows.All(pool.Stride, DefaultStride));
        attributes.AddIf("pad", MxnetText.Tuple(pool.Pad), !Windows.All(pool.Pad, DefaultPad));
        attributes.AddIf("pooling_convention", "full", pool.Convention == PoolingConvention.Full);
        attributes.AddIf("count_include_pad", "False", pool.PoolType == PoolType.Avg && !pool.CountIncludePad);
    }

    public override void Onnx(OnnxContext onnx)
    {
        var pool = Params<PoolingParams>(onnx.Node);
        bool max = pool.PoolType == PoolType.Max;
        if (pool.GlobalPool)
        {
            onnx.Single(max ? "GlobalMaxPool" : "GlobalAveragePool");
            return;
        }

        var attributes = new List<OnnxAttribute>
        {
            OnnxAttribute.Ints("kernel_shape", pool.Kernel),
            OnnxAttribute.Ints("strides", pool.Stride),
            OnnxAttribute.Ints("pads", new[] { pool.Pad[0], pool.Pad[1], pool.Pad[0], pool.Pad[1] }),
            OnnxAttribute.Int("ceil_mode", pool.Convention == PoolingConvention.Full ? 1 : 0),
        };
        if (!max)
        {
            attributes.Add(OnnxAttribute.Int("count_include_pad", pool.CountIncludePad ? 1 : 0));
        }

        onnx.Single(max ? "MaxPool" : "AveragePool", attributes.ToArray());
    }

    public override IEnumerable<string> ClassFields(InferredNode node, InferredGraph graph)
    {
        var pool = Params<PoolingParams>(node);
        var x = graph.Nodes[node.Input].Shape;
        var y = node.Shape;
        var (kernel, stride, pad) = pool.GlobalPool
            ? (Shapes.Of(x[1], x[2]), Shapes.Of(1, 1), Shapes.Of(0, 0))
            : (pool.Kernel, pool.Stride, pool.Pad);
        yield return $"private static readonly global::Nxt.Kernels.PoolGeometry {Windows.FieldName(node)} = new(" +
            $"Channels: {x[0]}, Height: {x[1]}, Width: {x[2]}, KernelH: {kernel[0]}, KernelW: {kernel[1]}, StrideH: {stride[0]}, StrideW: {stride[1]}, " +
            $"PadH: {pad[0]}, PadW: {pad[1]}, OutHeight: {y[1]}, OutWidth: {y[2]});";
    }

    public override int CpuWorkspacePerThread(InferredNode node, InferredGraph graph) => 0;

    public override void Forward(PlanSteps steps, ForwardContext context)
    {
        var pool = Params<PoolingParams>(context.Node);
        if (pool.PoolType == PoolType.Max)
        {
            steps.Kernel(Kernels, "MaxForward", context.X, context.Y, Arg.N, Windows.Field(context.Node));
        }
        else
        {
            steps.Kernel(Kernels, "AvgForward", context.X, context.Y, Arg.N, Windows.Field(context.Node), Arg.Bool(pool.CountIncludePad).Named("countIncludePad"));
        }
    }

    /// <summary>Whether this pooling's backward can apply the derivative of a relu before it (<see cref="BackwardContext.AppliesInputRelu"/>).</summary>
    public static bool CanApplyInputRelu(InferredNode node) => node.Spec.Params is PoolingParams { PoolType: PoolType.Max };

    public override void Backward(PlanSteps steps, BackwardContext context)
    {
        var pool = Params<PoolingParams>(context.Node);
        if (pool.PoolType == PoolType.Max)
        {
            string kernel = context.AppliesInputRelu ? "MaxBackwardThroughRelu" : "MaxBackward";
            steps.Guarded(context.WantX, Kernels, kernel, context.X, context.Dy, context.Dx, Arg.N, Windows.Field(context.Node), context.Acc);
        }
        else
        {
            steps.Guarded(context.WantX, Kernels, "AvgBackward", context.Dy, context.Dx, Arg.N, Windows.Field(context.Node), Arg.Bool(pool.CountIncludePad).Named("countIncludePad"), context.Acc);
        }
    }
}

using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Graph;
using static Nxt.Generators.Emit.PlanEmitter;

namespace Nxt.Generators.Emit;

/// <summary>The forward call(s) of each operator.</summary>
internal static class ForwardSteps
{
    public static void Write(SourceWriter w, InferredNode node, IReadOnlyList<InferredNode> inputs)
    {
        string x = Out(inputs[0]), y = Out(node);
        if (node.IsView)
        {
            w.Line($"// A view: {y} is {x}'s buffer, no copy.");
            return;
        }

        switch (node.Spec.Params)
        {
            case FullyConnectedParams fc:
                var (rows, k) = Dense.Dims(fc, inputs[0]);
                w.Line($"{Names.Dense}.Forward({x}, {node.Name}_weight, {Bias(node, fc.NoBias)}, {y}, {rows}, {SourceWriter.Int(k)}, {SourceWriter.Int(fc.NumHidden)});");
                break;
            case ConvolutionParams conv:
                w.Line($"{Names.Convolution}.Forward({x}, {node.Name}_weight, {Bias(node, conv.NoBias)}, {y}, workspace, n, {Geometry.FieldName(node)});");
                break;
            case PoolingParams { PoolType: PoolType.Max }:
                w.Line($"{Names.Pooling}.MaxForward({x}, {y}, n, {Geometry.FieldName(node)});");
                break;
            case PoolingParams pool:
                w.Line($"{Names.Pooling}.AvgForward({x}, {y}, n, {Geometry.FieldName(node)}, countIncludePad: {Bool(pool.CountIncludePad)});");
                break;
            case BatchNormParams bn:
                var (c, s) = Geometry.ChannelLayout(node);
                string batchStats = bn.UseGlobalStats ? "false" : "isTrain";
                w.Line($"{Names.BatchNorm}.Forward({x}, {y}, {node.Name}_gamma, {node.Name}_beta, {node.Name}_moving_mean, {node.Name}_moving_var, {State(node)},");
                w.Line($"    n, {SourceWriter.Int(c)}, {SourceWriter.Int(s)}, eps: {SourceWriter.Float(bn.Eps)}, momentum: {SourceWriter.Float(bn.Momentum)}, fixGamma: {Bool(bn.FixGamma)}, useBatchStats: {batchStats});");
                break;
            case ActivationParams act:
                w.Line($"{Names.Activation}.{act.ActType}Forward({x}, {y});");
                break;
            case LeakyReLUParams { ActType: LeakyType.PRelu }:
                var (channels, spatial) = Geometry.ChannelLayout(node);
                w.Line($"{Names.Leaky}.PReluForward({x}, {node.Name}_gamma, {y}, n, {SourceWriter.Int(channels)}, {SourceWriter.Int(spatial)});");
                break;
            case LeakyReLUParams { ActType: LeakyType.Gelu }:
                w.Line($"{Names.Leaky}.GeluForward({x}, {y});");
                break;
            case LeakyReLUParams leaky:
                w.Line($"{Names.Leaky}.Forward({x}, {y}, slope: {SourceWriter.Float(leaky.Slope)}, elu: {Bool(leaky.ActType == LeakyType.Elu)});");
                break;
            case RegressionOutputParams:
                w.Line($"{Names.Regression}.LogisticForward({x}, {y});");
                break;
            case SoftmaxParams softmax:
                var (softRows, softClasses) = LastAxis(node);
                w.Line($"{Names.Softmax}.{(softmax.Log ? "LogForward" : "Forward")}({x}, {y}, {softRows}, {SourceWriter.Int(softClasses)});");
                break;
            case DropoutParams dropout:
                w.Open("if (isTrain)");
                w.Line($"{Names.Dropout}.ForwardTraining({x}, {Scratch(node)}, {y}, {SourceWriter.Float(dropout.P)}, Random);");
                w.Close();
                w.Open("else");
                w.Line($"{x}.CopyTo({y});");
                w.Close();
                break;
            case ConcatParams concat:
                foreach (var (input, part) in inputs.Select((input, i) => (input, Join.Part(concat, inputs, i))))
                {
                    w.Line($"{Names.Concat}.ForwardPart({Out(input)}, {y}, n, {part});");
                }

                break;
            case ElementwiseParams { Scalar: double scalar } e:
                w.Line($"{Names.Binary}.Scalar({x}, {SourceWriter.Float(scalar)}, {y}, op: {(int)e.Op}); // {e.Op}");
                break;
            case ElementwiseParams e:
                w.Line($"{Names.Binary}.{e.Op}({x}, {Out(inputs[1])}, {y});");
                break;
            case CustomParams:
                w.Line($"{CustomOperatorField(node)}.Forward({x}, {y}, n, isTrain);");
                break;
            case ElementwiseSumParams:
                for (int i = 0; i < inputs.Count; i++)
                {
                    w.Line($"{Names.Binary}.SumTerm({Out(inputs[i])}, {y}, first: {Bool(i == 0)});");
                }

                break;
            case SoftmaxOutputParams:
                w.Line($"{Names.Softmax}.Forward({x}, {y}, n, {SourceWriter.Int(node.SampleLength)});");
                break;
        }
    }

    /// <summary>A last-axis operator as rows of the last dimension: <c>(n · leading, last)</c>.</summary>
    public static (string Rows, int Last) LastAxis(InferredNode node)
    {
        int last = node.Shape[node.Shape.Count - 1];
        int leading = node.SampleLength / last;
        return (leading == 1 ? "n" : $"n * {SourceWriter.Int(leading)}", last);
    }

    /// <summary>The instance field holding a custom operator node's operator.</summary>
    public static string CustomOperatorField(InferredNode node) => "_" + node.Name + "_operator";

    public static string Bias(InferredNode node, bool noBias) => noBias ? "default" : node.Name + "_bias";

    public static string Bool(bool value) => value ? "true" : "false";
}

/// <summary>FullyConnected as a GEMM: with flatten, <c>(N, K)</c> rows; without, every leading index is a row.</summary>
internal static class Dense
{
    public static (string Rows, int Inputs) Dims(FullyConnectedParams fc, InferredNode input)
    {
        if (fc.Flatten)
        {
            return ("n", input.SampleLength);
        }

        int inner = input.Shape[input.Shape.Count - 1];
        int rowsPerSample = input.SampleLength / inner;
        return (rowsPerSample == 1 ? "n" : $"n * {SourceWriter.Int(rowsPerSample)}", inner);
    }
}

/// <summary>Concat as block copies: per sample, <c>outer</c> blocks, input i's <c>inner</c> floats at <c>offset</c> in each.</summary>
internal static class Join
{
    public static string Part(ConcatParams concat, IReadOnlyList<InferredNode> inputs, int index)
    {
        int axis = concat.Dim - 1;
        int outer = inputs[0].Shape.Take(axis).Aggregate(1, (a, b) => a * b);
        int Inner(InferredNode n) => n.Shape.Skip(axis).Aggregate(1, (a, b) => a * b);
        int offset = inputs.Take(index).Sum(Inner);
        int total = inputs.Sum(Inner);
        return $"outer: {outer}, inner: {Inner(inputs[index])}, offset: {offset}, outputInner: {total}";
    }
}

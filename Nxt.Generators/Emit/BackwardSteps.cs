using System.Collections.Generic;
using Nxt.Generators.Graph;
using static Nxt.Generators.Emit.ForwardSteps;
using static Nxt.Generators.Emit.PlanEmitter;

namespace Nxt.Generators.Emit;

/// <summary>
/// The backward call(s) of each operator: parameter gradients under
/// <c>parameterGradientsWanted</c>, and the gradient of each input the plan needs, written by
/// the first step that reaches its buffer and added by the others (<paramref name="accumulate"/>).
/// </summary>
internal static class BackwardSteps
{
    public static void Write(SourceWriter w, InferredNode node, IReadOnlyList<InferredNode> inputs, IReadOnlyList<bool> wanted, IReadOnlyList<bool> accumulate)
    {
        string x = Out(inputs[0]), y = Out(node), dx = Grad(inputs[0]), dy = Grad(node);
        string acc = Bool(accumulate[0]);
        bool want = wanted[0];
        switch (node.Spec.Params)
        {
            case FullyConnectedParams fc:
                var (rows, k) = Dense.Dims(fc, inputs[0]);
                string dims = $"{rows}, {SourceWriter.Int(k)}, {SourceWriter.Int(fc.NumHidden)}";
                w.Open("if (parameterGradientsWanted)");
                w.Line($"{Names.Dense}.BackwardWeight({dy}, {x}, {node.Name}_weight_grad, {dims}, accumulateParameterGradients);");
                if (!fc.NoBias)
                {
                    w.Line($"{Names.Dense}.BackwardBias({dy}, {node.Name}_bias_grad, {rows}, {SourceWriter.Int(fc.NumHidden)}, accumulateParameterGradients);");
                }

                w.Close();
                if (want)
                {
                    w.Line();
                    w.Line($"{Names.Dense}.BackwardData({dy}, {node.Name}_weight, {dx}, {dims}, accumulate: {acc});");
                }

                break;
            case ConvolutionParams conv:
                string geometry = Geometry.FieldName(node);
                w.Open("if (parameterGradientsWanted)");
                w.Line($"{Names.Convolution}.BackwardWeight({x}, {dy}, {node.Name}_weight_grad, {(conv.NoBias ? "default" : node.Name + "_bias_grad")}, workspace, n, {geometry}, accumulateParameterGradients);");
                w.Close();
                if (want)
                {
                    w.Line();
                    w.Line($"{Names.Convolution}.BackwardData({dy}, {node.Name}_weight, {dx}, workspace, n, {geometry}, accumulate: {acc});");
                }

                break;
            case PoolingParams { PoolType: PoolType.Max }:
                w.Line($"{Names.Pooling}.MaxBackward({x}, {dy}, {dx}, n, {Geometry.FieldName(node)}, accumulate: {acc});");
                break;
            case PoolingParams pool:
                w.Line($"{Names.Pooling}.AvgBackward({dy}, {dx}, n, {Geometry.FieldName(node)}, countIncludePad: {Bool(pool.CountIncludePad)}, accumulate: {acc});");
                break;
            case BatchNormParams bn:
                var (c, s) = Geometry.ChannelLayout(node);
                w.Line($"{Names.BatchNorm}.Backward({x}, {dy}, {node.Name}_gamma, {State(node)}, {(want ? dx : "default")}, {node.Name}_gamma_grad, {node.Name}_beta_grad,");
                w.Line($"    n, {SourceWriter.Int(c)}, {SourceWriter.Int(s)}, fixGamma: {Bool(bn.FixGamma)}, usedBatchStats: {Bool(!bn.UseGlobalStats)},");
                w.Line($"    inputGradient: {Bool(want)}, accumulateInput: {acc}, parameterGradients: parameterGradientsWanted, accumulateParameters: accumulateParameterGradients);");
                break;
            case ActivationParams act:
                // softrelu's and softsign's derivatives need the input; the others are functions of the output.
                string source = act.ActType is ActivationType.SoftRelu or ActivationType.SoftSign ? x : y;
                w.Line($"{Names.Activation}.{act.ActType}Backward({source}, {dy}, {dx}, accumulate: {acc});");
                break;
            case LeakyReLUParams { ActType: LeakyType.PRelu }:
                var (channels, spatial) = Geometry.ChannelLayout(node);
                w.Line($"{Names.Leaky}.PReluBackward({x}, {node.Name}_gamma, {dy}, {(want ? dx : "default")}, {node.Name}_gamma_grad, n, {SourceWriter.Int(channels)}, {SourceWriter.Int(spatial)},");
                w.Line($"    inputGradient: {Bool(want)}, accumulateInput: {acc}, parameterGradients: parameterGradientsWanted, accumulateParameters: accumulateParameterGradients);");
                break;
            case LeakyReLUParams { ActType: LeakyType.Gelu }:
                w.Line($"{Names.Leaky}.GeluBackward({x}, {dy}, {dx}, accumulate: {acc});");
                break;
            case LeakyReLUParams leaky:
                w.Line($"{Names.Leaky}.Backward({x}, {dy}, {dx}, slope: {SourceWriter.Float(leaky.Slope)}, elu: {Bool(leaky.ActType == LeakyType.Elu)}, accumulate: {acc});");
                break;
            case SoftmaxParams softmax:
                var (softRows, softClasses) = LastAxis(node);
                w.Line($"{Names.Softmax}.{(softmax.Log ? "LogBackward" : "Backward")}({y}, {dy}, {dx}, {softRows}, {SourceWriter.Int(softClasses)}, accumulate: {acc});");
                break;
            case RegressionOutputParams regression:
                w.Line($"{Names.Regression}.Backward({y}, Labels, {dx}, perSample: {SourceWriter.Int(node.SampleLength)}, gradScale: {SourceWriter.Float(regression.GradScale)}, accumulate: {acc});");
                break;
            case MakeLossParams loss:
                string gradient = loss.Normalization == LossNormalization.Batch ? $"{SourceWriter.Float(loss.GradScale)} / n" : SourceWriter.Float(loss.GradScale);
                w.Line($"{Names.Regression}.ConstantGradient({dx}, {gradient}, accumulate: {acc});");
                break;
            case FlattenParams or ReshapeParams or IdentityParams:
                w.Line($"// A view: {dy} is {dx}'s buffer, nothing to do.");
                break;
            case DropoutParams:
                w.Line($"{Names.Dropout}.Backward({dy}, {Scratch(node)}, {dx}, accumulate: {acc});");
                break;
            case ConcatParams concat:
                for (int i = 0; i < inputs.Count; i++)
                {
                    if (wanted[i])
                    {
                        w.Line($"{Names.Concat}.BackwardPart({dy}, {Grad(inputs[i])}, n, {Join.Part(concat, inputs, i)}, accumulate: {Bool(accumulate[i])});");
                    }
                }

                break;
            case ElementwiseParams { Scalar: double scalar } e:
                string factor = e.Op switch
                {
                    BinaryOp.Mul => SourceWriter.Float(scalar),
                    BinaryOp.Div => SourceWriter.Float(1 / scalar),
                    _ => "1f",
                };
                w.Line($"{Names.Binary}.ScaledGradient({dy}, {factor}, {dx}, accumulate: {acc});");
                break;
            case ElementwiseParams e:
                WriteBinaryBackward(w, e.Op, inputs, wanted, accumulate, dy);
                break;
            case ElementwiseSumParams:
                for (int i = 0; i < inputs.Count; i++)
                {
                    if (wanted[i])
                    {
                        w.Line($"{Names.Binary}.ScaledGradient({dy}, 1f, {Grad(inputs[i])}, accumulate: {Bool(accumulate[i])});");
                    }
                }

                break;
            case SoftmaxOutputParams softmax:
                string options = softmax.UseIgnore || softmax.Normalization != LossNormalization.Null
                    ? $", useIgnore: {Bool(softmax.UseIgnore)}, ignoreLabel: {SourceWriter.Int(softmax.IgnoreLabel)}, normalization: {(int)softmax.Normalization}"
                    : string.Empty;
                w.Line($"{Names.Softmax}.OutputBackward({y}, Labels, {dx}, n, {SourceWriter.Int(node.SampleLength)}, {SourceWriter.Float(softmax.GradScale)}, accumulate: {acc}{options});");
                break;
        }
    }

    private static void WriteBinaryBackward(SourceWriter w, BinaryOp op, IReadOnlyList<InferredNode> inputs, IReadOnlyList<bool> wanted, IReadOnlyList<bool> accumulate, string dy)
    {
        string a = Out(inputs[0]), b = Out(inputs[1]);
        if (wanted[0])
        {
            string da = Grad(inputs[0]), acc = Bool(accumulate[0]);
            w.Line(op switch
            {
                BinaryOp.Add or BinaryOp.Sub => $"{Names.Binary}.ScaledGradient({dy}, 1f, {da}, accumulate: {acc});",
                BinaryOp.Mul => $"{Names.Binary}.MulGradient({dy}, {b}, {da}, accumulate: {acc});",
                _ => $"{Names.Binary}.DivNumeratorGradient({dy}, {b}, {da}, accumulate: {acc});",
            });
        }

        if (wanted[1])
        {
            string db = Grad(inputs[1]), acc = Bool(accumulate[1]);
            w.Line(op switch
            {
                BinaryOp.Add => $"{Names.Binary}.ScaledGradient({dy}, 1f, {db}, accumulate: {acc});",
                BinaryOp.Sub => $"{Names.Binary}.ScaledGradient({dy}, -1f, {db}, accumulate: {acc});",
                BinaryOp.Mul => $"{Names.Binary}.MulGradient({dy}, {a}, {db}, accumulate: {acc});",
                _ => $"{Names.Binary}.DivDenominatorGradient({dy}, {a}, {b}, {db}, accumulate: {acc});",
            });
        }
    }
}

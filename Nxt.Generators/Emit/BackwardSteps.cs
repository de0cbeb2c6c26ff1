using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Graph;
using static Nxt.Generators.Emit.ForwardSteps;
using static Nxt.Generators.Emit.PlanEmitter;

namespace Nxt.Generators.Emit;

/// <summary>
/// The backward call(s) of each operator. Each is guarded by the flags of this Bind: a
/// parameter's gradient is computed when it is wanted (<c>fc1_weight_wanted</c>) and written or
/// added as its requirement says (<c>fc1_weight_adds</c>); an input's gradient when some
/// parameter above it is wanted (<c>relu1_wanted</c>), written by the first step to reach its
/// buffer and added by the others (<paramref name="accumulate"/>).
/// </summary>
internal static class BackwardSteps
{
    public static void Write(SourceWriter w, InferredNode node, IReadOnlyList<InferredNode> inputs, IReadOnlyList<bool> wanted, IReadOnlyList<bool> accumulate)
    {
        string x = Out(inputs[0]), y = Out(node), dx = Grad(inputs[0]), dy = Grad(node);
        string acc = Bool(accumulate[0]);
        bool want = wanted[0];
        string wantX = Wanted(inputs[0]);
        switch (node.Spec.Params)
        {
            case FullyConnectedParams fc:
                var (rows, k) = Dense.Dims(fc, inputs[0]);
                string dims = $"{rows}, {SourceWriter.Int(k)}, {SourceWriter.Int(fc.NumHidden)}";
                var weight = node.Parameters[0];
                Guarded(w, ParamWanted(weight), $"{Names.Dense}.BackwardWeight({dy}, {x}, {weight.Name}_grad, {dims}, accumulate: {ParamAdds(weight)});");
                if (!fc.NoBias)
                {
                    var bias = node.Parameters[1];
                    Guarded(w, ParamWanted(bias), $"{Names.Dense}.BackwardBias({dy}, {bias.Name}_grad, {rows}, {SourceWriter.Int(fc.NumHidden)}, accumulate: {ParamAdds(bias)});");
                }

                if (want)
                {
                    Guarded(w, wantX, $"{Names.Dense}.BackwardData({dy}, {weight.Name}, {dx}, {dims}, accumulate: {acc});");
                }

                break;
            case ConvolutionParams conv:
                string geometry = Geometry.FieldName(node);
                var convWeight = node.Parameters[0];
                var convBias = conv.NoBias ? null : node.Parameters[1];
                string any = convBias is null ? ParamWanted(convWeight) : $"{ParamWanted(convWeight)} || {ParamWanted(convBias)}";
                string biasGrad = convBias is null ? "default" : $"{convBias.Name}_grad";
                string biasAdds = convBias is null ? "false" : ParamAdds(convBias);
                Guarded(w, any, $"{Names.Convolution}.BackwardWeight({x}, {dy}, {convWeight.Name}_grad, {biasGrad}, workspace, n, {geometry}, accumulateWeight: {ParamAdds(convWeight)}, accumulateBias: {biasAdds});");
                if (want)
                {
                    Guarded(w, wantX, $"{Names.Convolution}.BackwardData({dy}, {convWeight.Name}, {dx}, workspace, n, {geometry}, accumulate: {acc});");
                }

                break;
            case PoolingParams { PoolType: PoolType.Max }:
                Guarded(w, wantX, $"{Names.Pooling}.MaxBackward({x}, {dy}, {dx}, n, {Geometry.FieldName(node)}, accumulate: {acc});");
                break;
            case PoolingParams pool:
                Guarded(w, wantX, $"{Names.Pooling}.AvgBackward({dy}, {dx}, n, {Geometry.FieldName(node)}, countIncludePad: {Bool(pool.CountIncludePad)}, accumulate: {acc});");
                break;
            case BatchNormParams bn:
                var (c, s) = Geometry.ChannelLayout(node);
                var (gamma, beta) = (node.Parameters[0], node.Parameters[1]);
                string inputFlag = want ? wantX : "false";
                w.Line($"{Names.BatchNorm}.Backward({x}, {dy}, {gamma.Name}, {State(node)}, {(want ? dx : "default")}, {gamma.Name}_grad, {beta.Name}_grad,");
                w.Line($"    n, {SourceWriter.Int(c)}, {SourceWriter.Int(s)}, fixGamma: {Bool(bn.FixGamma)}, usedBatchStats: {Bool(!bn.UseGlobalStats)},");
                w.Line($"    inputGradient: {inputFlag}, accumulateInput: {acc}, gammaGradient: {ParamWanted(gamma)}, accumulateGamma: {ParamAdds(gamma)}, betaGradient: {ParamWanted(beta)}, accumulateBeta: {ParamAdds(beta)});");
                break;
            case ActivationParams act:
                // softrelu's and softsign's derivatives need the input; the others are functions of the output.
                string source = act.ActType is ActivationType.SoftRelu or ActivationType.SoftSign ? x : y;
                Guarded(w, wantX, $"{Names.Activation}.{act.ActType}Backward({source}, {dy}, {dx}, accumulate: {acc});");
                break;
            case LeakyReLUParams { ActType: LeakyType.PRelu }:
                var (channels, spatial) = Geometry.ChannelLayout(node);
                var slope = node.Parameters[0];
                w.Line($"{Names.Leaky}.PReluBackward({x}, {slope.Name}, {dy}, {(want ? dx : "default")}, {slope.Name}_grad, n, {SourceWriter.Int(channels)}, {SourceWriter.Int(spatial)},");
                w.Line($"    inputGradient: {(want ? wantX : "false")}, accumulateInput: {acc}, parameterGradients: {ParamWanted(slope)}, accumulateParameters: {ParamAdds(slope)});");
                break;
            case LeakyReLUParams { ActType: LeakyType.Gelu }:
                Guarded(w, wantX, $"{Names.Leaky}.GeluBackward({x}, {dy}, {dx}, accumulate: {acc});");
                break;
            case LeakyReLUParams leaky:
                Guarded(w, wantX, $"{Names.Leaky}.Backward({x}, {dy}, {dx}, slope: {SourceWriter.Float(leaky.Slope)}, elu: {Bool(leaky.ActType == LeakyType.Elu)}, accumulate: {acc});");
                break;
            case SoftmaxParams softmax:
                var (softRows, softClasses) = LastAxis(node);
                Guarded(w, wantX, $"{Names.Softmax}.{(softmax.Log ? "LogBackward" : "Backward")}({y}, {dy}, {dx}, {softRows}, {SourceWriter.Int(softClasses)}, accumulate: {acc});");
                break;
            case RegressionOutputParams regression:
                Guarded(w, wantX, $"{Names.Regression}.Backward({y}, Labels, {dx}, perSample: {SourceWriter.Int(node.SampleLength)}, gradScale: {SourceWriter.Float(regression.GradScale)}, accumulate: {acc});");
                break;
            case MakeLossParams loss:
                string gradient = loss.Normalization == LossNormalization.Batch ? $"{SourceWriter.Float(loss.GradScale)} / n" : SourceWriter.Float(loss.GradScale);
                Guarded(w, wantX, $"{Names.Regression}.ConstantGradient({dx}, {gradient}, accumulate: {acc});");
                break;
            case FlattenParams or ReshapeParams or IdentityParams:
                w.Line($"// A view: {dy} is {dx}'s buffer, nothing to do.");
                break;
            case DropoutParams:
                Guarded(w, wantX, $"{Names.Dropout}.Backward({dy}, {Scratch(node)}, {dx}, accumulate: {acc});");
                break;
            case ConcatParams concat:
                for (int i = 0; i < inputs.Count; i++)
                {
                    if (wanted[i])
                    {
                        Guarded(w, Wanted(inputs[i]), $"{Names.Concat}.BackwardPart({dy}, {Grad(inputs[i])}, n, {Join.Part(concat, inputs, i)}, accumulate: {Bool(accumulate[i])});");
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
                Guarded(w, wantX, $"{Names.Binary}.ScaledGradient({dy}, {factor}, {dx}, accumulate: {acc});");
                break;
            case ElementwiseParams e:
                WriteBinaryBackward(w, e.Op, inputs, wanted, accumulate, dy);
                break;
            case CustomParams:
                // The operator overwrites its scratch; the plan writes or adds it into the input's gradient.
                w.Open($"if ({wantX})");
                w.Line($"{CustomOperatorField(node)}.Backward({x}, {y}, {dy}, {Scratch(node)}, n);");
                w.Line($"{Names.Elementwise}.CopyOrAdd({Scratch(node)}, {dx}, accumulate: {acc});");
                w.Close();
                break;
            case ElementwiseSumParams:
                for (int i = 0; i < inputs.Count; i++)
                {
                    if (wanted[i])
                    {
                        Guarded(w, Wanted(inputs[i]), $"{Names.Binary}.ScaledGradient({dy}, 1f, {Grad(inputs[i])}, accumulate: {Bool(accumulate[i])});");
                    }
                }

                break;
            case SoftmaxOutputParams softmax:
                string options = softmax.UseIgnore || softmax.Normalization != LossNormalization.Null
                    ? $", useIgnore: {Bool(softmax.UseIgnore)}, ignoreLabel: {SourceWriter.Int(softmax.IgnoreLabel)}, normalization: {(int)softmax.Normalization}"
                    : string.Empty;
                Guarded(w, wantX, $"{Names.Softmax}.OutputBackward({y}, Labels, {dx}, n, {SourceWriter.Int(node.SampleLength)}, {SourceWriter.Float(softmax.GradScale)}, accumulate: {acc}{options});");
                break;
        }
    }

    /// <summary>A call under its flag: <c>if (flag) { call }</c>.</summary>
    private static void Guarded(SourceWriter w, string condition, string call)
    {
        w.Open($"if ({condition})");
        w.Line(call);
        w.Close();
    }

    private static void WriteBinaryBackward(SourceWriter w, BinaryOp op, IReadOnlyList<InferredNode> inputs, IReadOnlyList<bool> wanted, IReadOnlyList<bool> accumulate, string dy)
    {
        string a = Out(inputs[0]), b = Out(inputs[1]);
        if (wanted[0])
        {
            string da = Grad(inputs[0]), acc = Bool(accumulate[0]);
            Guarded(w, Wanted(inputs[0]), op switch
            {
                BinaryOp.Add or BinaryOp.Sub => $"{Names.Binary}.ScaledGradient({dy}, 1f, {da}, accumulate: {acc});",
                BinaryOp.Mul => $"{Names.Binary}.MulGradient({dy}, {b}, {da}, accumulate: {acc});",
                _ => $"{Names.Binary}.DivNumeratorGradient({dy}, {b}, {da}, accumulate: {acc});",
            });
        }

        if (wanted[1])
        {
            string db = Grad(inputs[1]), acc = Bool(accumulate[1]);
            Guarded(w, Wanted(inputs[1]), op switch
            {
                BinaryOp.Add => $"{Names.Binary}.ScaledGradient({dy}, 1f, {db}, accumulate: {acc});",
                BinaryOp.Sub => $"{Names.Binary}.ScaledGradient({dy}, -1f, {db}, accumulate: {acc});",
                BinaryOp.Mul => $"{Names.Binary}.MulGradient({dy}, {a}, {db}, accumulate: {acc});",
                _ => $"{Names.Binary}.DivDenominatorGradient({dy}, {a}, {b}, {db}, accumulate: {acc});",
            });
        }
    }
}

using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Graph;
using Nxt.Generators.Planning;
using static Nxt.Generators.Emit.ForwardSteps;
using static Nxt.Generators.Emit.PlanEmitter;

namespace Nxt.Generators.Emit;

/// <summary>
/// The calls of a fused group (<see cref="FusionRules"/>): forward, one kernel with its
/// epilogue writing the group's output; backward, the epilogue's derivative applied in place to
/// the output's gradient (which the absorbed members share), the residual's gradient, then the
/// producer's own backward.
/// </summary>
internal static class FusedSteps
{
    public static void WriteForward(SourceWriter w, InferredGraph graph, FusedGroup group)
    {
        var producer = graph.Nodes[group.Producer];
        var inputs = producer.Inputs.Select(i => graph.Nodes[i]).ToList();
        string x = Out(inputs[0]), y = Out(graph.Nodes[group.Output]);
        string residual = group.Residual >= 0 ? Out(graph.Nodes[group.Residual]) : "default";
        string epilogue = EpilogueValue(graph, group);
        switch (producer.Spec.Params)
        {
            case FullyConnectedParams fc:
                var (rows, k) = Dense.Dims(fc, inputs[0]);
                w.Line($"{Names.Dense}.Forward({x}, {producer.Name}_weight, {Bias(producer, fc.NoBias)}, {residual}, {y}, {rows}, {SourceWriter.Int(k)}, {SourceWriter.Int(fc.NumHidden)}, {epilogue});");
                break;
            case ConvolutionParams conv:
                w.Line($"{Names.Convolution}.Forward({x}, {producer.Name}_weight, {Bias(producer, conv.NoBias)}, {residual}, {y}, workspace, n, {Geometry.FieldName(producer)}, {epilogue});");
                break;
            case BatchNormParams bn:
                var (c, s) = Geometry.ChannelLayout(producer);
                string batchStats = bn.UseGlobalStats ? "false" : "isTrain";
                w.Line($"{Names.BatchNorm}.Forward({x}, {y}, {producer.Name}_gamma, {producer.Name}_beta, {producer.Name}_moving_mean, {producer.Name}_moving_var, {State(producer)},");
                w.Line($"    n, {SourceWriter.Int(c)}, {SourceWriter.Int(s)}, eps: {SourceWriter.Float(bn.Eps)}, momentum: {SourceWriter.Float(bn.Momentum)}, fixGamma: {Bool(bn.FixGamma)}, useBatchStats: {batchStats},");
                w.Line($"    residual: {residual}, epilogue: {epilogue});");
                break;
            default:
                // An add with its activation.
                w.Line($"{Names.Binary}.Add({x}, {Out(inputs[1])}, {y}, {epilogue});");
                break;
        }
    }

    /// <summary>
    /// A BatchNorm group's forward when not training, with its convolution folded in: the folded
    /// weights and biases from the current parameters and moving statistics, then one
    /// convolution with the group's epilogue (<see cref="FusionRules.BatchNormFold"/>).
    /// </summary>
    public static void WriteFoldedInference(SourceWriter w, InferredGraph graph, FusedGroup group)
    {
        var batchNorm = graph.Nodes[group.Producer];
        var conv = graph.Nodes[group.Folded];
        var bn = (BatchNormParams)batchNorm.Spec.Params;
        int weights = conv.Parameters[0].Length, filters = conv.Shape[0];
        string folded = Folded(conv), residual = group.Residual >= 0 ? Out(graph.Nodes[group.Residual]) : "default";
        w.Line($"// {conv.Name} + {group.Label(graph)} folded: W' = W·γ/σ, b' = (b - μ)·γ/σ + β with the moving statistics, one convolution.");
        w.Line($"{Names.BatchNorm}.FoldIntoConvolution({conv.Name}_weight, {Bias(conv, ((ConvolutionParams)conv.Spec.Params).NoBias)}, {batchNorm.Name}_gamma, {batchNorm.Name}_beta, {batchNorm.Name}_moving_mean, {batchNorm.Name}_moving_var,");
        w.Line($"    eps: {SourceWriter.Float(bn.Eps)}, fixGamma: {Bool(bn.FixGamma)}, {folded});");
        w.Line($"{Names.Convolution}.Forward({Out(graph.Nodes[conv.Input])}, {folded}[..{SourceWriter.Int(weights)}], {folded}.Slice({SourceWriter.Int(weights)}, {SourceWriter.Int(filters)}), {residual}, {Out(graph.Nodes[group.Output])}, workspace, n, {Geometry.FieldName(conv)}, {EpilogueValue(graph, group)});");
    }

    /// <summary>The state slice a folded convolution's weights and biases are computed into.</summary>
    public static string Folded(InferredNode conv) => conv.Name + "_folded";

    /// <summary>
    /// The group's backward: <paramref name="accumulate"/> says, for the residual and then each
    /// producer input, whether its gradient buffer was already written by a later reader.
    /// </summary>
    public static void WriteBackward(SourceWriter w, InferredGraph graph, MemoryPlan plan, FusedGroup group, System.Func<int, bool> accumulate)
    {
        var output = graph.Nodes[group.Output];
        string dy = Grad(output);
        if (group.Activation >= 0)
        {
            w.Line($"// d({graph.Nodes[group.Activation].Name} input) = d{output.Name} · act'({output.Name}), in place: the members share {dy}.");
            w.Open($"if ({Wanted(output)})");
            w.Line($"{EpilogueValue(graph, group)}.Backward({Out(output)}, {dy});");
            w.Close();
        }

        if (group.Residual >= 0 && plan.NeedsGradient[group.Residual])
        {
            var residual = graph.Nodes[group.Residual];
            w.Open($"if ({Wanted(residual)})");
            w.Line($"{Names.Binary}.ScaledGradient({dy}, 1f, {Grad(residual)}, accumulate: {Bool(accumulate(group.Residual))});");
            w.Close();
        }

        var producer = graph.Nodes[group.Producer];
        var inputs = producer.Inputs.Select(i => graph.Nodes[i]).ToList();
        var wanted = inputs.Select(i => plan.NeedsGradient[i.Index]).ToList();
        var adds = inputs.Select((input, k) => wanted[k] && accumulate(input.Index)).ToList();
        BackwardSteps.Write(w, producer, inputs, wanted, adds);
    }

    /// <summary>The epilogue as a C# expression: <c>global::Nxt.Cpu.Epilogue.Relu</c>.</summary>
    private static string EpilogueValue(InferredGraph graph, FusedGroup group)
    {
        if (group.Activation < 0)
        {
            return $"{Names.Epilogue}.None";
        }

        return graph.Nodes[group.Activation].Spec.Params switch
        {
            ActivationParams a => $"{Names.Epilogue}.{a.ActType}",
            LeakyReLUParams l => $"{Names.Epilogue}.Leaky({SourceWriter.Float(l.Slope)})",
            _ => throw new System.InvalidOperationException($"{graph.Nodes[group.Activation].Name} is not a fusable activation."),
        };
    }
}

using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Operators;
using Nxt.Generators.Operators.Plans;
using Nxt.Generators.Planning;

namespace Nxt.Generators.Emit;

/// <summary>
/// Builds the forward and backward plans as statements, backend-neutral: the fusion plan's
/// groups in order (reversed for backward), each an operator's own calls from its descriptor,
/// or a fused group's one kernel with its epilogue. Built once per network; each backend
/// renders the same statements.
/// </summary>
internal static class PlanBuilder
{
    public static IReadOnlyList<Statement> Forward(InferredGraph graph, MemoryPlan plan, IReadOnlyDictionary<int, RegionKernel> kernels)
    {
        var steps = new PlanSteps();
        foreach (var group in plan.Fusion.Groups)
        {
            steps.Blank();
            if (plan.Fusion.IsFoldedForInference(group.Producer))
            {
                // Inference computes it inside the BatchNorm's group.
                steps.If(Buffers.IsTrain, then => GroupForward(then, graph, group));
            }
            else if (group.Folded >= 0)
            {
                steps.If(Buffers.IsTrain, then => GroupForward(then, graph, group), otherwise => FoldedInference(otherwise, graph, group));
            }
            else if (group.Region is not null)
            {
                RegionForward(steps, graph, kernels[group.Output]);
            }
            else
            {
                GroupForward(steps, graph, group);
            }
        }

        return steps.Statements;
    }

    public static IReadOnlyList<Statement> Backward(InferredGraph graph, MemoryPlan plan, IReadOnlyDictionary<int, RegionKernel> kernels)
    {
        var steps = new PlanSteps();

        // The first step to reach a gradient buffer writes it; later ones (other readers of the same value) add.
        var written = new HashSet<int>();
        bool Accumulates(int value) => !written.Add(plan.GradientOwner[value]);
        var groups = plan.Fusion.Groups.Reverse().Where(g => plan.ReachesLoss[g.Output]).ToList();
        var readiness = new GradientReadiness(graph, plan, groups);
        var reluApplied = new HashSet<int>(); // fused relus whose derivative the pooling after them applied
        for (int k = 0; k < groups.Count; k++)
        {
            if (groups[k].Region is not null)
            {
                RegionBackward(steps, graph, plan, kernels[groups[k].Output], Accumulates);
            }
            else
            {
                GroupBackward(steps, graph, plan, groups[k], Accumulates, reluApplied);
            }

            readiness.After(k, steps);
        }

        return steps.Statements;
    }

    private static void GroupBackward(PlanSteps steps, InferredGraph graph, MemoryPlan plan, FusedGroup group, System.Func<int, bool> accumulates, HashSet<int> reluApplied)
    {
        var node = graph.Nodes[group.Producer];
        if (group.IsFused)
        {
            if (plan.NeedsGradient[group.Output])
            {
                steps.Blank();
                steps.Comment($"{group.Label(graph)}: fused backward");
                FusedBackward(steps, graph, plan, group, accumulates, reluApplied.Contains(group.Output));
            }

            return;
        }

        var inputs = node.Inputs.Select(i => graph.Nodes[i]).ToList();
        var wanted = inputs.Select(i => plan.NeedsGradient[i.Index]).ToList();
        if (!wanted.Contains(true) && node.Parameters.Count == 0)
        {
            return;
        }

        var accumulate = inputs.Select((input, k) => wanted[k] && accumulates(input.Index)).ToList();
        bool appliesRelu = PoolingOperator.CanApplyInputRelu(node) && wanted[0] && !accumulate[0] && IsReluReadOnlyBy(graph, plan, inputs[0].Index, node);
        steps.Blank();
        steps.Comment($"{node.Name}: {NetworkEmitter.Describe(node)} backward{(appliesRelu ? $", through {inputs[0].Name}'s relu" : "")}");
        node.Operator.Backward(steps, new BackwardContext(node, inputs, wanted, accumulate) { AppliesInputRelu = appliesRelu });
        if (appliesRelu)
        {
            reluApplied.Add(inputs[0].Index);
        }
    }

    // A fused group's stored relu output that reader alone reads (as a fusion rule would absorb
    // it): its gradient is the reader's to write whole.
    private static bool IsReluReadOnlyBy(InferredGraph graph, MemoryPlan plan, int value, InferredNode reader)
    {
        var group = plan.Fusion.Groups.FirstOrDefault(g => g.Output == value && g.Region is null);
        return group is { Activation: >= 0 } && group.Activation == value
            && graph.Nodes[value].Spec.Params is ActivationParams { ActType: ActivationType.Relu }
            && new FusionContext(graph).CanAbsorb(value, reader);
    }

    private static void GroupForward(PlanSteps steps, InferredGraph graph, FusedGroup group)
    {
        var output = graph.Nodes[group.Output];
        var inputs = group.Members.SelectMany(m => graph.Nodes[m].Inputs).Where(i => !group.Members.Contains(i)).Distinct().Select(i => graph.Nodes[i]).ToList();
        string from = inputs.Count == 0
            ? $": {Shapes.Batched(output.Shape)}"
            : $"({string.Join(", ", inputs.Select(i => i.Name))}): {string.Join(" and ", inputs.Select(i => Shapes.Batched(i.Shape)))} -> {Shapes.Batched(output.Shape)}";
        var producer = graph.Nodes[group.Producer];
        var context = new ForwardContext(producer, producer.Inputs.Select(i => graph.Nodes[i]).ToList());
        if (group.IsFused)
        {
            steps.Comment($"{output.Name} = {string.Join(" + ", group.Members.Select(m => NetworkEmitter.Describe(graph.Nodes[m])))}{from}, one kernel");
            ((IFusedProducer)producer.Operator).FusedForward(steps, context, Residual(graph, group), Epilogue(graph, group), Buffers.Out(output));
            return;
        }

        steps.Comment($"{output.Name} = {NetworkEmitter.Describe(output)}{from}");
        producer.Operator.Forward(steps, context);
    }

    private static void RegionForward(PlanSteps steps, InferredGraph graph, RegionKernel kernel)
    {
        var region = kernel.Region;
        var output = graph.Nodes[region.Output];
        string members = string.Join(" + ", region.Members.Select(m => graph.Nodes[m].Name));
        if (region.Producer < 0)
        {
            string inputs = string.Join(", ", region.Inputs.Select(i => graph.Nodes[i].Name));
            steps.Comment($"{output.Name} = {members}({inputs}): {Shapes.Batched(output.Shape)}, one generated kernel");
            var arguments = region.Inputs.Select(i => Buffers.Out(graph.Nodes[i])).Concat(region.Parameters.Select(Buffers.Param)).Append(Buffers.Out(output));
            steps.Invoke(Arg.GeneratedKernels, kernel.Name + "Forward", arguments.ToArray());
            return;
        }

        // The layer stores its output (the region's backward reads it) and runs the region on it as its epilogue.
        var producer = graph.Nodes[region.Producer];
        var rest = region.Inputs.Where(i => i != region.Producer).Select(i => graph.Nodes[i]).Append(output).Select(Buffers.OutName).Concat(region.Parameters.Select(Buffers.ParamName)).ToArray();
        var epilogue = Arg.Generated($"new {Arg.GeneratedClass}.{kernel.Name}Epilogue({string.Join(", ", rest)})", rest);
        var producerInputs = producer.Inputs.Select(i => graph.Nodes[i]).ToList();
        steps.Comment($"{output.Name} = {members}({producer.Name}), {producer.Name} = {NetworkEmitter.Describe(producer)}({string.Join(", ", producerInputs.Select(i => i.Name))}): "
            + $"{string.Join(" and ", producerInputs.Select(i => Shapes.Batched(i.Shape)))} -> {Shapes.Batched(output.Shape)}, one kernel: the region is {producer.Name}'s generated epilogue");
        ((IGeneratedEpilogueProducer)producer.Operator).ForwardWithEpilogue(steps, new ForwardContext(producer, producerInputs), epilogue);
    }

    /// <summary>
    /// A region's backward: one generated kernel from the output's gradient to each input's that
    /// the plan computes and each parameter's; an input or parameter whose gradient this Bind does
    /// not want is passed no buffer.
    /// </summary>
    private static void RegionBackward(PlanSteps steps, InferredGraph graph, MemoryPlan plan, RegionKernel kernel, System.Func<int, bool> accumulates)
    {
        var region = kernel.Region;
        var output = graph.Nodes[region.Output];
        var wanted = region.Inputs.Select(i => plan.NeedsGradient[i]).ToList();
        if (!plan.NeedsGradient[region.Output] || (!wanted.Contains(true) && region.Parameters.Count == 0))
        {
            return;
        }

        // The layer's gradient is written in place over the output's (its only readers are the region's members).
        kernel.SetBackward(wanted, region.Inputs.Select((input, k) => wanted[k] && input != region.Producer && accumulates(input)).ToList());
        var args = kernel.BackwardInputs.Select(i => Buffers.Out(graph.Nodes[i])).Concat(kernel.BackwardParameters.Select(Buffers.Param)).Append(Buffers.Grad(output)).ToList();
        foreach (var input in region.Inputs.Where((_, k) => wanted[k]).Select(i => graph.Nodes[i]))
        {
            args.Add(Arg.Expression($"{Buffers.WantedName(input)} ? {Buffers.GradName(input)} : default", Buffers.WantedName(input), Buffers.GradName(input)));
        }

        foreach (var parameter in region.Parameters)
        {
            args.Add(Arg.Expression($"{Buffers.ParamWantedName(parameter)} ? {Buffers.ParamGradName(parameter)} : default", Buffers.ParamWantedName(parameter), Buffers.ParamGradName(parameter)));
        }

        args.AddRange(region.Parameters.Select(Buffers.ParamAdds));

        steps.Blank();
        var read = kernel.BackwardInputs.Select(i => graph.Nodes[i].Name).Concat(kernel.BackwardParameters.Select(p => p.Name)).ToList();
        string recomputed = read.Count == 0 ? "no value read" : "what it needs recomputed from " + string.Join(", ", read);
        steps.Comment($"{string.Join(" + ", region.Members.Select(m => graph.Nodes[m].Name))}: generated backward, {recomputed}");
        steps.If(Buffers.Wanted(output), then => then.Invoke(Arg.GeneratedKernels, kernel.Name + "Backward", args.ToArray()));
        if (region.Producer >= 0)
        {
            // Then the layer whose epilogue the region is, from the gradient the region wrote.
            var producer = graph.Nodes[region.Producer];
            var inputs = producer.Inputs.Select(i => graph.Nodes[i]).ToList();
            var wantedInputs = inputs.Select(i => plan.NeedsGradient[i.Index]).ToList();
            var adds = inputs.Select((input, k) => wantedInputs[k] && accumulates(input.Index)).ToList();
            steps.Blank();
            steps.Comment($"{producer.Name}: {NetworkEmitter.Describe(producer)} backward");
            producer.Operator.Backward(steps, new BackwardContext(producer, inputs, wantedInputs, adds));
        }
    }

    private static void FoldedInference(PlanSteps steps, InferredGraph graph, FusedGroup group)
    {
        var conv = graph.Nodes[group.Folded];
        BatchNormOperator.FoldedInference(
            steps, graph.Nodes[group.Producer], conv, Buffers.Out(graph.Nodes[conv.Input]), Residual(graph, group), Buffers.Out(graph.Nodes[group.Output]), Epilogue(graph, group), group.Label(graph));
    }

    /// <summary>
    /// A fused group's backward: the epilogue's derivative applied in place to the output's
    /// gradient (which the absorbed members share), the residual's gradient, then the
    /// producer's own backward. <paramref name="accumulates"/> says whether a gradient buffer
    /// was already written by a later reader.
    /// </summary>
    private static void FusedBackward(PlanSteps steps, InferredGraph graph, MemoryPlan plan, FusedGroup group, System.Func<int, bool> accumulates, bool activationApplied)
    {
        var output = graph.Nodes[group.Output];
        var dy = Buffers.Grad(output);
        if (activationApplied)
        {
            steps.Comment($"d({graph.Nodes[group.Activation].Name} input) = d{output.Name}: the pooling that reads {output.Name} applied act'({output.Name}) as it wrote it.");
        }
        else if (group.Activation >= 0)
        {
            steps.Comment($"d({graph.Nodes[group.Activation].Name} input) = d{output.Name} · act'({output.Name}), in place: the members share {dy.Text}.");
            steps.If(Buffers.Wanted(output), then => then.Invoke(Epilogue(graph, group), "Backward", Buffers.Out(output), dy));
        }

        if (group.Residual >= 0 && plan.NeedsGradient[group.Residual])
        {
            var residual = graph.Nodes[group.Residual];
            steps.Guarded(Buffers.Wanted(residual), "BinaryKernels", "ScaledGradient", dy, Arg.Raw("1f"), Buffers.Grad(residual), Arg.Bool(accumulates(group.Residual)).Named("accumulate"));
        }

        var producer = graph.Nodes[group.Producer];
        var inputs = producer.Inputs.Select(i => graph.Nodes[i]).ToList();
        var wanted = inputs.Select(i => plan.NeedsGradient[i.Index]).ToList();
        var adds = inputs.Select((input, k) => wanted[k] && accumulates(input.Index)).ToList();
        producer.Operator.Backward(steps, new BackwardContext(producer, inputs, wanted, adds));
    }

    private static Arg Residual(InferredGraph graph, FusedGroup group)
        => group.Residual >= 0 ? Buffers.Out(graph.Nodes[group.Residual]) : Arg.Default;

    /// <summary>The group's epilogue: <c>Epilogue.Relu</c>, or <c>Epilogue.None</c>.</summary>
    private static Arg Epilogue(InferredGraph graph, FusedGroup group)
    {
        if (group.Activation < 0)
        {
            return Arg.Kernel("Epilogue.None");
        }

        var activation = graph.Nodes[group.Activation];
        return FusionRules.EpilogueOf(activation) ?? throw new System.InvalidOperationException($"{activation.Name} is not a fusable activation.");
    }
}

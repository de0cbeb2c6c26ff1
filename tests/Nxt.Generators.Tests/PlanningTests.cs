using Microsoft.CodeAnalysis;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Parsing;
using Nxt.Generators.Planning;

namespace Nxt.Generators.Tests;

/// <summary>The fusion passes and the liveness memory plan, on declarations compiled from source.</summary>
public class PlanningTests
{
    [Fact]
    public void FullyConnected_and_relu_run_as_one_kernel()
    {
        var (graph, plan) = Plan(Declare("""
            [Input(784)]              Tensor data;
            [FullyConnected(128)]     Tensor fc1;
            [Activation(Act.Relu)]    Tensor relu1;
            [FullyConnected(64)]      Tensor fc2;
            [Activation(Act.Relu)]    Tensor relu2;
            [FullyConnected(10)]      Tensor fc3;
            [SoftmaxOutput]           Tensor softmax;
            """));
        Assert.Equal(["fc1 + relu1", "fc2 + relu2", "fc3", "softmax"], Kernels(graph, plan));
        Assert.True(plan.Fusion.IsAbsorbed(Index(graph, "fc1")));
        Assert.Equal(-1, plan.OutputOffset[Index(graph, "fc1")]);
        // The absorbed value's gradient is rebuilt in place in its group's output gradient.
        Assert.Equal(plan.GradientOffset[Index(graph, "relu1")], plan.GradientOffset[Index(graph, "fc1")]);
    }

    [Fact]
    public void A_residual_unit_runs_BatchNorm_add_and_relu_as_one_kernel()
    {
        var (graph, plan) = Plan(Declare("""
            [Input(4, 6, 6)]                   Tensor data;
            [Convolution(4, Kernel = 3, Pad = 1)]   Tensor conv1;
            [BatchNorm]                        Tensor bn1;
            [Activation(Act.Relu)]             Tensor relu1;
            [Convolution(4, Kernel = 3, Pad = 1)]   Tensor conv2;
            [BatchNorm]                        Tensor bn2;
            [Add(nameof(bn2), nameof(data))]   Tensor sum;
            [Activation(Act.Relu)]             Tensor out1;
            [Flatten]                          Tensor flat;
            [FullyConnected(3)]                Tensor fc;
            [SoftmaxOutput]                    Tensor softmax;
            """));
        Assert.Equal(["conv1", "bn1 + relu1", "conv2", "bn2 + sum + out1", "flat", "fc", "softmax"], Kernels(graph, plan));
        var residual = plan.Fusion.GroupOf(Index(graph, "sum"))!;
        Assert.Equal(Index(graph, "data"), residual.Residual);
    }

    [Fact]
    public void A_convolution_read_only_by_a_BatchNorm_is_folded_into_it_for_inference()
    {
        var (graph, plan) = Plan(Declare("""
            [Input(2, 6, 6)]                          Tensor data;
            [Convolution(4, Kernel = 3)]              Tensor conv1;
            [BatchNorm]                               Tensor bn1;
            [Activation(Act.Relu)]                    Tensor relu1;
            [Convolution(4, Kernel = 3, Pad = 1)]     Tensor conv2;
            [BatchNorm(UseGlobalStats = true)]        Tensor bn2;
            [Flatten]                                 Tensor flat;
            [FullyConnected(2)]                       Tensor fc;
            [SoftmaxOutput]                           Tensor softmax;
            """));
        Assert.Equal(Index(graph, "conv1"), plan.Fusion.GroupOf(Index(graph, "relu1"))!.Folded);
        Assert.True(plan.FoldOffset[Index(graph, "conv1")] >= 0);
        Assert.False(plan.KeptAfterForward[Index(graph, "conv1")]);
        // use_global_stats normalises with the moving statistics in training too: not folded.
        Assert.Equal(-1, plan.Fusion.GroupOf(Index(graph, "bn2"))!.Folded);
    }

    [Fact]
    public void Activations_an_add_and_its_activation_run_as_one_generated_region_in_the_last_dense_layers_kernel()
    {
        var (graph, plan) = Plan(Declare("""
            [Input(8)]                            Tensor data;
            [FullyConnected(8)]                   Tensor a;
            [FullyConnected(8, From = nameof(data))] Tensor b;
            [Activation(Act.Tanh, From = nameof(a))] Tensor ta;
            [Activation(Act.Tanh, From = nameof(b))] Tensor tb;
            [Add(nameof(ta), nameof(tb))]         Tensor sum;
            [LeakyReLU(LeakyAct.Leaky, Slope = 0.1)] Tensor act;
            [FullyConnected(2)]                   Tensor fc;
            [SoftmaxOutput]                       Tensor softmax;
            """));
        // Both tanh leave their dense layers' built-in epilogues for the region, which b's kernel runs.
        Assert.Equal(["a", "b + ta + tb + sum + act", "fc", "softmax"], Kernels(graph, plan));
        Assert.False(plan.Fusion.IsAbsorbed(Index(graph, "b")));
        Assert.True(plan.Fusion.IsAbsorbed(Index(graph, "sum")));
    }

    [Fact]
    public void A_value_with_a_second_reader_or_marked_Output_is_stored()
    {
        var (graph, plan) = Plan(Declare("""
            [Input(8)]                               Tensor data;
            [FullyConnected(8)]                      Tensor fc1;
            [Activation(Act.Relu)]                   Tensor relu1;
            [FullyConnected(8, From = nameof(fc1))]  Tensor fc2;
            [FullyConnected(8), Output]              Tensor fc3;
            [Activation(Act.Sigmoid)]                Tensor sig3;
            [Add(nameof(relu1), nameof(sig3))]       Tensor sum;
            [FullyConnected(2)]                      Tensor fc;
            [SoftmaxOutput]                          Tensor softmax;
            """));
        Assert.False(plan.Fusion.IsAbsorbed(Index(graph, "fc1")));
        Assert.False(plan.Fusion.IsAbsorbed(Index(graph, "fc3")));
        Assert.Contains("fc1", Kernels(graph, plan));
        Assert.Contains("fc3", Kernels(graph, plan));
    }

    [Theory]
    [InlineData("Activation(Act.SoftRelu)")] // its derivative needs the input
    [InlineData("Activation(Act.SoftSign)")]
    [InlineData("LeakyReLU(LeakyAct.Elu)")]
    [InlineData("LeakyReLU(LeakyAct.Gelu)")]
    [InlineData("LeakyReLU(LeakyAct.PRelu)")] // its slopes, one per feature, are the kernel's operand
    public void Activations_whose_derivative_needs_their_input_run_as_a_generated_epilogue_over_the_stored_input(string activation)
    {
        var (graph, plan) = Plan(Declare($"""
            [Input(8)]              Tensor data;
            [FullyConnected(8)]     Tensor fc1;
            [{activation}]          Tensor act;
            [FullyConnected(2)]     Tensor fc2;
            [SoftmaxOutput]         Tensor softmax;
            """));
        Assert.Equal(["fc1 + act", "fc2", "softmax"], Kernels(graph, plan));
        Assert.False(plan.Fusion.IsAbsorbed(Index(graph, "fc1")));
        Assert.Equal(Index(graph, "fc1"), plan.Fusion.GroupOf(Index(graph, "act"))!.Region!.Producer);
    }

    [Fact]
    public void Operators_that_are_not_element_wise_are_not_fused()
    {
        var (graph, plan) = Plan(Declare($"""
            [Input(8)]              Tensor data;
            [FullyConnected(8)]     Tensor fc1;
            [Softmax]               Tensor act;
            [FullyConnected(2)]     Tensor fc2;
            [SoftmaxOutput]         Tensor softmax;
            """));
        Assert.Equal(["fc1", "act", "fc2", "softmax"], Kernels(graph, plan));
    }

    [Fact]
    public void A_prelu_after_an_add_joins_the_dense_layers_generated_epilogue_with_a_variable_it_reads()
    {
        // The add leaves skip's built-in epilogue (a residual add) for the larger region.
        var (graph, plan) = Plan(Declare("""
            [Input(8)]                               Tensor data;
            [FullyConnected(8)]                      Tensor fc1;
            [FullyConnected(8, From = nameof(data))] Tensor skip;
            [Add(nameof(fc1), nameof(skip))]         Tensor sum;
            [LeakyReLU(LeakyAct.PRelu)]              Tensor prelu;
            [Variable(8)]                            Tensor scale;
            [Mul(nameof(prelu), nameof(scale))]      Tensor scaled;
            [FullyConnected(2)]                      Tensor fc2;
            [SoftmaxOutput]                          Tensor softmax;
            """));
        Assert.Equal(["fc1", "skip + sum + prelu + scale + scaled", "fc2", "softmax"], Kernels(graph, plan));
        var region = plan.Fusion.GroupOf(Index(graph, "scaled"))!.Region!;
        Assert.Equal(Index(graph, "skip"), region.Producer);
        Assert.Equal(["prelu_gamma", "scale"], region.Parameters.Select(p => p.Name));
        Assert.True(plan.Fusion.IsAbsorbed(Index(graph, "scale")));
    }

    [Fact]
    public void A_prelu_after_an_add_of_convolutions_runs_in_the_last_ones_kernel_its_slopes_read_per_channel()
    {
        var (graph, plan) = Plan(Declare("""
            [Input(2, 6, 6)]                                     Tensor data;
            [Convolution(4, Kernel = 3, Pad = 1)]                Tensor conv1;
            [Convolution(4, Kernel = 3, Pad = 1, From = nameof(data))] Tensor conv2;
            [Add(nameof(conv1), nameof(conv2))]                  Tensor sum;
            [LeakyReLU(LeakyAct.PRelu)]                          Tensor prelu;
            [FullyConnected(2)]                                  Tensor fc;
            [SoftmaxOutput]                                      Tensor softmax;
            """));
        Assert.Equal(["conv1", "conv2 + sum + prelu", "fc", "softmax"], Kernels(graph, plan));
        var region = plan.Fusion.GroupOf(Index(graph, "prelu"))!.Region!;
        Assert.Equal(Index(graph, "conv2"), region.Producer);
        Assert.Equal(4, region.Parameters.Single().Length);
    }

    [Fact]
    public void A_variable_read_outside_the_region_keeps_its_broadcast_kernel()
    {
        var (graph, plan) = Plan(Declare("""
            [Input(8)]                                 Tensor data;
            [Variable(8)]                              Tensor shift;
            [FullyConnected(8, From = nameof(shift))]  Tensor proj;
            [Add(nameof(data), nameof(shift))]         Tensor moved;
            [Mul(nameof(moved), nameof(proj))]         Tensor gated;
            [Activation(Act.Tanh)]                     Tensor tanh;
            [FullyConnected(2)]                        Tensor fc;
            [SoftmaxOutput]                            Tensor softmax;
            """));
        Assert.Equal(["shift", "proj + moved + gated + tanh", "fc", "softmax"], Kernels(graph, plan));
        Assert.Empty(plan.Fusion.GroupOf(Index(graph, "tanh"))!.Region!.Parameters);
    }

    [Fact]
    public void Fuse_false_runs_one_kernel_per_operator()
    {
        var (graph, plan) = Plan(Declare("""
            [Input(8)]              Tensor data;
            [FullyConnected(8)]     Tensor fc1;
            [Activation(Act.Relu)]  Tensor relu1;
            [SoftmaxOutput]         Tensor softmax;
            """, fuse: false));
        Assert.Equal(["fc1", "relu1", "softmax"], Kernels(graph, plan));
    }

    [Fact]
    public void A_relu_after_pooling_runs_in_place_and_values_no_backward_step_reads_are_not_kept()
    {
        // Average pooling's backward reads nothing, so the relu overwrites its output; fc's value
        // is read only by the softmax's forward (whose backward reads its own output).
        var (graph, plan) = Plan(Declare("""
            [Input(2, 8, 8)]                          Tensor data;
            [Pooling(Pool.Avg, Kernel = 2, Stride = 2)] Tensor pool;
            [Activation(Act.Relu)]                    Tensor relu;
            [Flatten]                                 Tensor flat;
            [FullyConnected(4)]                       Tensor fc;
            [SoftmaxOutput]                           Tensor softmax;
            """));
        Assert.Equal(plan.OutputOffset[Index(graph, "pool")], plan.OutputOffset[Index(graph, "relu")]);
        Assert.False(plan.KeptAfterForward[Index(graph, "pool")]);
        Assert.True(plan.KeptAfterForward[Index(graph, "relu")]);
        Assert.False(plan.KeptAfterForward[Index(graph, "fc")]);
        Assert.Equal((2 * 8 * 8) + (2 * 4 * 4) + 4 + 4, plan.ActivationFloatsPerSample);
    }

    [Fact]
    public void A_max_pool_that_alone_reads_a_fused_relu_applies_its_derivative_in_its_backward()
    {
        var source = Harness.Generate(Declare("""
            [Input(2, 8, 8)]                               Tensor data;
            [Convolution(4, Kernel = 3, Pad = 1)]          Tensor conv1;
            [Activation(Act.Relu)]                         Tensor relu1;
            [Pooling(Pool.Max, Kernel = 2, Stride = 2)]    Tensor pool1;
            [Convolution(4, Kernel = 3, Pad = 1)]          Tensor conv2;
            [Activation(Act.Relu)]                         Tensor relu2;
            [Pooling(Pool.Max, Kernel = 2, Stride = 2)]    Tensor pool2;
            [Flatten]                                      Tensor flatPool2;
            [Flatten(From = nameof(relu2))]                Tensor flatRelu2;
            [Convolution(4, Kernel = 1, From = nameof(pool1))] Tensor conv3;
            [Activation(Act.Relu), Output]                 Tensor relu3;
            [Pooling(Pool.Max, Kernel = 2, Stride = 2)]    Tensor pool3;
            [Flatten]                                      Tensor flatPool3;
            [Concat(nameof(flatPool2), nameof(flatRelu2), nameof(flatPool3))] Tensor all;
            [FullyConnected(3)]                            Tensor fc;
            [SoftmaxOutput]                                Tensor softmax;
            """)).Generated.Single().SourceText.ToString();
        string backward = source[source.IndexOf("void BackwardCore", StringComparison.Ordinal)..];

        // relu1: read by pool1 alone; its derivative goes into pool1's backward, its group skips it.
        Assert.Contains("PoolingKernels.MaxBackwardThroughRelu(relu1_out, pool1_grad, relu1_grad", backward);
        Assert.DoesNotContain("Epilogue.Relu.Backward(relu1_out", backward);
        // relu2 has a second reader, relu3 is an output: their pools route, their groups mask.
        Assert.Contains("PoolingKernels.MaxBackward(relu2_out, pool2_grad, relu2_grad", backward);
        Assert.Contains("Epilogue.Relu.Backward(relu2_out, relu2_grad)", backward);
        Assert.Contains("PoolingKernels.MaxBackward(relu3_out, pool3_grad, relu3_grad", backward);
        Assert.Contains("Epilogue.Relu.Backward(relu3_out, relu3_grad)", backward);
    }

    [Fact]
    public void Gradient_buffers_of_a_deep_chain_take_two_slots()
    {
        var layers = string.Join("\n", Enumerable.Range(1, 10).Select(i => $"[FullyConnected(16)] Tensor fc{i};\n[Activation(Act.Relu)] Tensor relu{i};"));
        var (_, plan) = Plan(Declare($"[Input(16)] Tensor data;\n{layers}\n[FullyConnected(2)] Tensor head;\n[SoftmaxOutput] Tensor softmax;"));
        Assert.Equal(2 * 16, plan.GradientFloatsPerSample);
        Assert.Equal(16 + (10 * 16) + 2 + 2, plan.ActivationFloatsPerSample);
    }

    [Fact]
    public void Random_networks_never_place_live_buffers_over_each_other_and_never_exceed_the_naive_sum()
    {
        var random = new Random(4);
        for (int i = 0; i < 300; i++)
        {
            string source = FuzzTests.RandomNetwork(random).Render();
            foreach (bool fuse in new[] { true, false })
            {
                var (graph, plan) = Plan(fuse ? source : source.Replace("[Network]", "[Network(Fuse = false)]"));
                AssertNoLiveOverlap(plan.ForwardArena, source);
                AssertNoLiveOverlap(plan.GradientArena, source);
                Assert.True(plan.PlannedBytesPerSample <= plan.NaiveBytesPerSample, source);
                Assert.Equal(graph.Nodes.Count(n => n.Op != OpKind.Input), plan.Fusion.Groups.Sum(g => g.Members.Count()));
            }
        }
    }

    private static void AssertNoLiveOverlap(BufferAllocator arena, string source)
    {
        var requests = arena.Requests;
        for (int a = 0; a < requests.Count; a++)
        {
            for (int b = a + 1; b < requests.Count; b++)
            {
                var (x, y) = (requests[a], requests[b]);
                bool disjointMemory = arena.Offsets[a] + x.Size <= arena.Offsets[b] || arena.Offsets[b] + y.Size <= arena.Offsets[a];
                bool sameStart = arena.Offsets[a] == arena.Offsets[b];
                bool disjointTime = x.End < y.Start || y.End < x.Start;
                Assert.True(disjointMemory || disjointTime || (BufferAllocator.MayShare(x, y) && sameStart), $"buffers {a} and {b} overlap while both live:\n{source}");
            }
        }
    }

    private static List<string> Kernels(InferredGraph graph, MemoryPlan plan)
        => plan.Fusion.Groups.Select(g => g.Label(graph)).ToList();

    private static int Index(InferredGraph graph, string name) => graph.Nodes.Single(n => n.Name == name).Index;

    private static string Declare(string members, bool fuse = true)
        => $"using Nxt;\nnamespace Planning;\n[Network{(fuse ? string.Empty : "(Fuse = false)")}]\npublic partial class Net\n{{\n{members}\n}}\n";

    private static (InferredGraph Graph, MemoryPlan Plan) Plan(string source)
    {
        var compilation = Harness.Compilation(source);
        // The fuzzer's networks are nested and named at random: find the [Network] class.
        var type = compilation.GetSymbolsWithName(_ => true, SymbolFilter.Type).OfType<INamedTypeSymbol>()
            .First(t => t.GetAttributes().Any(a => a.AttributeClass?.Name == "NetworkAttribute"));
        var spec = NetworkParser.Parse(type, CancellationToken.None).Spec;
        var (graph, errors) = ShapeInference.Run(spec);
        Assert.True(graph is not null, string.Join("\n", errors.Select(e => e.Message)) + "\n" + source);
        return (graph!, MemoryPlan.Build(graph!));
    }
}

namespace Nxt.Runtime.Tests.Networks;

// The convolutional pair uses smooth activations: the finite-difference check below is exact
// only away from relu's kink, and a 1e-3 step across a few hundred BatchNorm-scaled pixels
// crosses it (relu's fused backward is checked by the MLP and the residual networks' tests).

/// <summary>
/// Fusion changes how a plan runs, never what it computes: each body below is used by two
/// networks, fused and with <c>[Network(Fuse = false)]</c>, and both train from the same start on the same
/// batches; outputs and every parameter must agree to float rounding.
/// </summary>
public class FusionTests
{
    // Xavier, but for the [Variable]s scale and shift (Xavier wants a matrix, as MXNet's does).
    private static readonly Initializer s_initializer = new Mixed((".*_(scale|shift)", new Uniform(1f)), (".*", new Xavier()));

    [Fact]
    public void A_fused_mlp_trains_exactly_as_the_unfused_one()
        => AssertSameTraining(new FusedMlp(), new UnfusedMlp(), [8], classes: 3);

    [Fact]
    public void A_fused_residual_convnet_trains_exactly_as_the_unfused_one()
        => AssertSameTraining(new FusedResidualNet(), new UnfusedResidualNet(), [3, 6, 6], classes: 4);

    [Fact]
    public void The_fused_plans_compute_fewer_kernels_in_less_memory()
    {
        Assert.True(FusedResidualNet.ForwardKernelCount < UnfusedResidualNet.ForwardKernelCount);
        Assert.True(FusedResidualNet.PlannedBytesPerSample < UnfusedResidualNet.PlannedBytesPerSample);
        Assert.Equal(FusedResidualNet.NaiveBytesPerSample, UnfusedResidualNet.NaiveBytesPerSample);
        Assert.Contains("body_conv1 + body_tanh1", FusedResidualNet.Summary());
        Assert.Contains("body_bn2 + body_sum + body_out", FusedResidualNet.Summary());
        Assert.Contains("subgraph cluster_", FusedResidualNet.ToDot());
        Assert.Contains("folded into", FusedResidualNet.Summary());
        Assert.DoesNotContain("subgraph cluster_", UnfusedResidualNet.ToDot());
    }

    [Fact]
    public void Fused_plans_pass_the_finite_difference_check()
    {
        var batch = Batch([3, 6, 6], 4, 4, seed: 11);
        using var net = new FusedResidualNet { Seed = 5 };
        net.Bind(4);
        net.InitParams(new Xavier());
        GradientCheck.AllParameters(net, batch, (outputs, b) => GradientCheck.CrossEntropy(outputs, b));
        using var mlp = new FusedMlp { Seed = 5 };
        mlp.Bind(4);
        mlp.InitParams(new Xavier());
        GradientCheck.AllParameters(mlp, Batch([8], 4, 3, seed: 12), (outputs, b) => GradientCheck.CrossEntropy(outputs, b));
    }

    [Fact]
    public void Generated_element_wise_kernels_train_exactly_as_one_kernel_per_operator()
    {
        AssertSameTraining(new ScaledGateNet(), new UnfusedScaledGateNet(), [12], classes: 4);
        AssertSameTraining(new GeneratedTailNet(), new UnfusedGeneratedTailNet(), [10], classes: 3);
        AssertSameTraining(new PReluTailNet(), new UnfusedPReluTailNet(), [12], classes: 4);
        AssertSameTraining(new ConvTailNet(), new UnfusedConvTailNet(), [2, 6, 6], classes: 3);
    }

    [Fact]
    public void Element_wise_regions_run_as_one_generated_kernel_each_inside_the_dense_layer_before_them()
    {
        // Dense + the five-operator region, dense, softmax: 3 where one kernel per operator makes 8.
        Assert.Equal(3, ScaledGateNet.ForwardKernelCount);
        Assert.Equal(8, UnfusedScaledGateNet.ForwardKernelCount);

        // Swish, GELU, scale + residual add, and GELU + scale + difference + square + softsign, each in its dense layer's kernel.
        Assert.Equal(6, GeneratedTailNet.ForwardKernelCount);
        Assert.Equal(16, UnfusedGeneratedTailNet.ForwardKernelCount);
        Assert.True(GeneratedTailNet.PlannedBytesPerSample < UnfusedGeneratedTailNet.PlannedBytesPerSample);
        string summary = ScaledGateNet.Summary();
        Assert.Contains("body_fc1 + body_half + body_sig + body_prod + body_shifted + body_t", summary);
        Assert.Contains("recomputes", summary);
        Assert.Contains("body_fc1 + body_gate + body_swish", GeneratedTailNet.Summary());
        Assert.Contains("body_up + body_gelu", GeneratedTailNet.Summary());
        Assert.Contains("body_fc4 + body_gelu4 + body_gelu4Scaled + body_difference + body_square + body_soft", GeneratedTailNet.Summary());
        Assert.DoesNotContain("recomputes", UnfusedGeneratedTailNet.Summary());

        // PReLU after an add, times a [Variable]: dense, dense + region, dense, softmax, where one kernel per operator makes 8.
        Assert.Equal(4, PReluTailNet.ForwardKernelCount);
        Assert.Equal(8, UnfusedPReluTailNet.ForwardKernelCount);
        Assert.Contains("body_skip + body_sum + body_prelu + body_scale + body_scaled", PReluTailNet.Summary());
        Assert.True(PReluTailNet.PlannedBytesPerSample < UnfusedPReluTailNet.PlannedBytesPerSample);

        // Each convolution runs its region as a generated epilogue: 4 kernels where one per operator makes 12.
        Assert.Equal(4, ConvTailNet.ForwardKernelCount);
        Assert.Equal(12, UnfusedConvTailNet.ForwardKernelCount);
        Assert.Contains("body_conv1 + body_gate + body_swish", ConvTailNet.Summary());
        Assert.Contains("body_conv2 + body_gelu + body_scaled + body_shift + body_shifted + body_residual + body_prelu", ConvTailNet.Summary());
        Assert.True(ConvTailNet.PlannedBytesPerSample < UnfusedConvTailNet.PlannedBytesPerSample);
    }

    [Fact]
    public void Generated_kernels_pass_the_finite_difference_check()
    {
        foreach (var (net, shape, classes) in new (Module, int[], int)[] { (new ScaledGateNet { Seed = 5 }, [12], 4), (new GeneratedTailNet { Seed = 5 }, [10], 3), (new PReluTailNet { Seed = 5 }, [12], 4), (new ConvTailNet { Seed = 5 }, [2, 6, 6], 3) })
        {
            using (net)
            {
                net.Bind(4);
                net.InitParams(s_initializer);
                GradientCheck.AllParameters(net, Batch(shape, 4, classes, seed: 13), (outputs, b) => GradientCheck.CrossEntropy(outputs, b));
            }
        }
    }

    private static void AssertSameTraining(Module fused, Module unfused, int[] sampleShape, int classes)
    {
        using (fused)
        using (unfused)
        {
            foreach (var net in new[] { fused, unfused })
            {
                net.Seed = 9;
                net.Bind(5);
                net.InitParams(s_initializer);
                net.InitOptimizer(new Sgd(0.1f, momentum: 0.9f));
            }

            for (int step = 0; step < 4; step++)
            {
                var batch = Batch(sampleShape, 5, classes, seed: (ulong)(100 + step));
                fused.ForwardBackward(batch);
                unfused.ForwardBackward(batch);
                TestData.AssertClose(unfused.GetOutputs()[0].Span, fused.GetOutputs()[0].Span, 1e-5, 1e-4, $"step {step} output");
                fused.Update();
                unfused.Update();
            }

            // Inference: the fused plan folds BatchNorm into the convolution before it.
            var inference = Batch(sampleShape, 5, classes, seed: 200);
            fused.Forward(inference, isTrain: false);
            unfused.Forward(inference, isTrain: false);
            TestData.AssertClose(unfused.GetOutputs()[0].Span, fused.GetOutputs()[0].Span, 1e-5, 1e-4, "inference output");

            var (expected, expectedAux) = unfused.GetParams();
            var (actual, actualAux) = fused.GetParams();
            foreach (var (name, value) in expected.Concat(expectedAux))
            {
                var other = actual.TryGetValue(name, out var arg) ? arg : actualAux[name];
                TestData.AssertClose(value.Span, other.Span, 1e-5, 1e-4, name);
            }
        }
    }

    private static DataBatch Batch(int[] sampleShape, int size, int classes, ulong seed)
    {
        int length = sampleShape.Aggregate(1, (a, b) => a * b);
        var labels = Enumerable.Range(0, size).Select(i => (float)((i + (int)seed) % classes)).ToArray();
        return new DataBatch(new Tensor(TestData.Random(size * length, seed), [size, .. sampleShape]), new Tensor(labels, size));
    }
}

/// <summary>Every fusable activation, an add with its activation and a dense residual add.</summary>
[Block]
public partial class MlpBody
{
    [BlockInput]                                Tensor data;
    [FullyConnected(10)]                        Tensor fc1;
    [Activation(Act.Relu)]                      Tensor relu1;
    [FullyConnected(10)]                        Tensor fc2;
    [Activation(Act.Sigmoid)]                   Tensor sig2;
    [FullyConnected(10, From = nameof(relu1))]  Tensor fc3;
    [Activation(Act.Tanh)]                      Tensor tanh3;
    [Add(nameof(sig2), nameof(tanh3))]          Tensor sum;
    [LeakyReLU(LeakyAct.Leaky, Slope = 0.2)]    Tensor leaky;
    [FullyConnected(10)]                        Tensor fc4;
    [Add(nameof(fc4), nameof(sum))]             Tensor residual;
}

[Network]
public partial class FusedMlp
{
    [Input(8)]              Tensor data;
    [Use<MlpBody>]          Tensor body;
    [FullyConnected(3)]     Tensor head;
    [SoftmaxOutput]         Tensor softmax;
}

[Network(Fuse = false)]
public partial class UnfusedMlp
{
    [Input(8)]              Tensor data;
    [Use<MlpBody>]          Tensor body;
    [FullyConnected(3)]     Tensor head;
    [SoftmaxOutput]         Tensor softmax;
}

/// <summary>Convolution + activation, BatchNorm + residual add + activation, a convolution with a residual add.</summary>
[Block]
public partial class ConvBody
{
    [BlockInput]                                      Tensor data;
    [Convolution(4, Kernel = 3, Pad = 1)]             Tensor conv1;
    [Activation(Act.Tanh)]                            Tensor tanh1;
    [Convolution(4, Kernel = 3, Pad = 1)]             Tensor conv2;
    [BatchNorm(FixGamma = false)]                     Tensor bn2;
    [Add(nameof(bn2), nameof(tanh1))]                 Tensor sum;
    [Activation(Act.Sigmoid)]                         Tensor @out;
    [Convolution(4, Kernel = 1, NoBias = true)]       Tensor conv3;
    [Add(nameof(conv3), nameof(@out))]                Tensor sum2;
}

[Network]
public partial class FusedResidualNet
{
    [Input(3, 6, 6)]                                  Tensor data;
    [Use<ConvBody>]                                   Tensor body;
    [Pooling(Pool.Avg, Kernel = 2, Stride = 2)]       Tensor pool;
    [Flatten]                                         Tensor flat;
    [FullyConnected(4)]                               Tensor fc;
    [SoftmaxOutput]                                   Tensor softmax;
}

[Network(Fuse = false)]
public partial class UnfusedResidualNet
{
    [Input(3, 6, 6)]                                  Tensor data;
    [Use<ConvBody>]                                   Tensor body;
    [Pooling(Pool.Avg, Kernel = 2, Stride = 2)]       Tensor pool;
    [Flatten]                                         Tensor flat;
    [FullyConnected(4)]                               Tensor fc;
    [SoftmaxOutput]                                   Tensor softmax;
}

using System;
using Nxt.Cpu;
using NxtGpu = Nxt.Gpu;
using Nxt.Kernels;

namespace Nxt.Runtime.Tests.Gpu;

/// <summary>
/// Each GPU kernel against its CPU twin on the same inputs, at sizes that do not fill a tile
/// (GEMM dimensions off the 64×64×16 tiling, odd convolution geometries, overlapping and padded
/// pooling windows), in write and accumulate modes. Same tolerance as the network comparisons.
/// </summary>
public class GpuKernelTests
{
    private const double Atol = 1e-4, Rtol = 1e-3;

    // The last three run split-K (Nxt.Gpu.Gemm): the forward of 2x3000x3 over five slices of its
    // inputs, of 70x1100x66 over two slices of four tiles each; the weight gradient of 1500x5x4 over
    // its 1,500 rows in two slices.
    public static TheoryData<int, int, int> GemmSizes => new() { { 1, 1, 1 }, { 3, 70, 17 }, { 65, 9, 130 }, { 130, 129, 33 }, { 2, 3000, 3 }, { 70, 1100, 66 }, { 1500, 5, 4 } };

    [Theory]
    [MemberData(nameof(GemmSizes))]
    public void Dense_forward_with_every_epilogue_and_its_gradients_match_the_cpu(int rows, int inputs, int units)
    {
        using var d = new DeviceBuffers();
        var x = TestData.Random(rows * inputs, 1);
        var w = TestData.Random(units * inputs, 2);
        var b = TestData.Random(units, 3);
        var residual = TestData.Random(rows * units, 4);
        foreach (var (cpu, gpu) in new[] { (Epilogue.None, NxtGpu.Epilogue.None), (Epilogue.Relu, NxtGpu.Epilogue.Relu), (Epilogue.Sigmoid, NxtGpu.Epilogue.Sigmoid), (Epilogue.Tanh, NxtGpu.Epilogue.Tanh), (Epilogue.Leaky(0.2f), NxtGpu.Epilogue.Leaky(0.2f)) })
        {
            var expected = new float[rows * units];
            DenseKernels.Forward(x, w, b, residual, expected, rows, inputs, units, cpu);
            var y = d.Upload(new float[rows * units]);
            NxtGpu.DenseKernels.Forward(d.Upload(x), d.Upload(w), d.Upload(b), d.Upload(residual), y, rows, inputs, units, gpu);
            TestData.AssertClose(expected, d.Download(y), Atol, Rtol, $"dense {rows}x{inputs}x{units} {cpu.Activation}");
        }

        var dy = TestData.Random(rows * units, 5);
        foreach (bool accumulate in new[] { false, true })
        {
            float[] dx = TestData.Random(rows * inputs, 6), dw = TestData.Random(units * inputs, 7), db = TestData.Random(units, 8);
            var (gdx, gdw, gdb) = (d.Upload(dx), d.Upload(dw), d.Upload(db));
            DenseKernels.BackwardData(dy, w, dx, rows, inputs, units, accumulate);
            DenseKernels.BackwardWeight(dy, x, dw, rows, inputs, units, accumulate);
            DenseKernels.BackwardBias(dy, db, rows, units, accumulate);
            NxtGpu.DenseKernels.BackwardData(d.Upload(dy), d.Upload(w), gdx, rows, inputs, units, accumulate);
            NxtGpu.DenseKernels.BackwardWeight(d.Upload(dy), d.Upload(x), gdw, rows, inputs, units, accumulate);
            NxtGpu.DenseKernels.BackwardBias(d.Upload(dy), gdb, rows, units, accumulate);
            TestData.AssertClose(dx, d.Download(gdx), Atol, Rtol, $"dx, accumulate {accumulate}");
            TestData.AssertClose(dw, d.Download(gdw), Atol, Rtol, $"dW, accumulate {accumulate}");
            TestData.AssertClose(db, d.Download(gdb), Atol, Rtol, $"db, accumulate {accumulate}");
        }
    }

    [Theory]
    [MemberData(nameof(Kernels.ConvolutionKernelTests.Geometries), MemberType = typeof(Kernels.ConvolutionKernelTests))]
    public void Convolution_forward_and_gradients_match_the_cpu(ConvGeometry g)
    {
        const int batch = 3;
        using var d = new DeviceBuffers();
        var x = TestData.Random(batch * g.InputLength, 1);
        var w = TestData.Random(g.WeightLength, 2);
        var b = TestData.Random(g.Filters, 3);
        var residual = TestData.Random(batch * g.OutputLength, 4);
        var workspace = new float[ConvolutionKernels.WorkspacePerThread(g) * CpuWorkers.Parallelism];
        var expected = new float[batch * g.OutputLength];
        ConvolutionKernels.Forward(x, w, b, residual, expected, workspace, batch, g, Epilogue.Relu);
        var y = d.Upload(new float[expected.Length]);
        NxtGpu.ConvolutionKernels.Forward(d.Upload(x), d.Upload(w), d.Upload(b), d.Upload(residual), y, batch, g, NxtGpu.Epilogue.Relu);
        TestData.AssertClose(expected, d.Download(y), Atol, Rtol, $"conv forward {g}");

        var dy = TestData.Random(batch * g.OutputLength, 5);
        foreach (bool accumulate in new[] { false, true })
        {
            float[] dx = TestData.Random(x.Length, 6), dw = TestData.Random(w.Length, 7), db = TestData.Random(b.Length, 8);
            var (gdx, gdw, gdb) = (d.Upload(dx), d.Upload(dw), d.Upload(db));
            ConvolutionKernels.BackwardData(dy, w, dx, workspace, batch, g, accumulate);
            ConvolutionKernels.BackwardWeight(x, dy, dw, db, workspace, batch, g, accumulate, accumulate);
            NxtGpu.ConvolutionKernels.BackwardData(d.Upload(dy), d.Upload(w), gdx, batch, g, accumulate);
            NxtGpu.ConvolutionKernels.BackwardWeight(d.Upload(x), d.Upload(dy), gdw, gdb, batch, g, accumulate, accumulate);
            TestData.AssertClose(dx, d.Download(gdx), Atol, Rtol, $"conv dx {g}, accumulate {accumulate}");
            TestData.AssertClose(dw, d.Download(gdw), Atol, Rtol, $"conv dW {g}, accumulate {accumulate}");
            TestData.AssertClose(db, d.Download(gdb), Atol, Rtol, $"conv db {g}, accumulate {accumulate}");
        }
    }

    [Fact]
    public void Split_products_and_chunked_bias_sums_match_the_cpu()
    {
        using var d = new DeviceBuffers();

        // A dense layer over 3,000 inputs: five slices, then the generated epilogue on each sum.
        const int rows = 4, inputs = 3000, units = 5;
        var x = TestData.Random(rows * inputs, 1);
        var w = TestData.Random(units * inputs, 2);
        var b = TestData.Random(units, 3);
        var expected = new float[rows * units];
        DenseKernels.Forward(x, w, b, expected, rows, inputs, units);
        var (y, doubled) = (d.Upload(new float[rows * units]), d.Upload(new float[rows * units]));
        Assert.True(NxtGpu.Gemm.Slices(new NxtGpu.GemmShape(rows, units, inputs), 1) > 1, "the dense product is not split: the test no longer covers split-K");
        NxtGpu.DenseKernels.Forward(d.Upload(x), d.Upload(w), d.Upload(b), y, rows, inputs, units, new Doubling(doubled.View));
        TestData.AssertClose(expected, d.Download(y), Atol, Rtol, "split dense forward");
        TestData.AssertClose(Array.ConvertAll(expected, v => 2 * v), d.Download(doubled), Atol, Rtol, "split dense forward's generated epilogue");

        // Two groups over 7 x 29 x 29 pixels: each group's weight gradient sums 5,887 columns in
        // slices, and each filter's bias gradient its 5,887 values in two chunks (Nxt.Gpu.ChannelSums).
        var g = new ConvGeometry(4, 29, 29, 4, 3, 3, 1, 1, 1, 1, 1, 1, 2, 29, 29);
        const int batch = 7;
        var cx = TestData.Random(batch * g.InputLength, 4);
        var dy = TestData.Random(batch * g.OutputLength, 5);
        var workspace = new float[ConvolutionKernels.WorkspacePerThread(g) * CpuWorkers.Parallelism];
        foreach (bool accumulate in new[] { false, true })
        {
            float[] dw = TestData.Random(g.WeightLength, 6), db = TestData.Random(g.Filters, 7);
            var (gdw, gdb) = (d.Upload(dw), d.Upload(db));
            ConvolutionKernels.BackwardWeight(cx, dy, dw, db, workspace, batch, g, accumulate, accumulate);
            NxtGpu.ConvolutionKernels.BackwardWeight(d.Upload(cx), d.Upload(dy), gdw, gdb, batch, g, accumulate, accumulate);
            TestData.AssertClose(dw, d.Download(gdw), Atol, Rtol, $"split conv dW, accumulate {accumulate}");
            TestData.AssertClose(db, d.Download(gdb), Atol, Rtol, $"chunked conv db, accumulate {accumulate}");
        }
    }

    /// <summary>A stand-in for a generated epilogue: writes twice each stored value elsewhere.</summary>
    public readonly struct Doubling(ILGPU.ArrayView<float> target) : NxtGpu.IGemmEpilogue
    {
        public void After(int index, float value) => target[index] = 2 * value;
    }

    public static TheoryData<PoolGeometry> Pools => new()
    {
        new PoolGeometry(2, 8, 8, 2, 2, 2, 2, 0, 0, 4, 4),    // halving
        new PoolGeometry(3, 7, 6, 3, 3, 2, 2, 1, 1, 4, 3),    // overlapping, padded
        new PoolGeometry(1, 5, 5, 3, 3, 1, 1, 0, 0, 3, 3),    // stride 1, heavy overlap
        new PoolGeometry(2, 6, 6, 6, 6, 1, 1, 0, 0, 1, 1),    // global
    };

    [Theory]
    [MemberData(nameof(Pools))]
    public void Pooling_forward_and_backward_match_the_cpu(PoolGeometry g)
    {
        const int batch = 2;
        using var d = new DeviceBuffers();
        // Five levels only: windows with tied maxima everywhere, which both backends must route to the first.
        var x = Array.ConvertAll(TestData.Random(batch * g.Channels * g.InputPlane, 1), v => MathF.Round(v * 2) / 2);
        var dy = TestData.Random(batch * g.Channels * g.OutputPlane, 2);
        foreach (bool countIncludePad in new[] { false, true })
        {
            float[] maxY = new float[dy.Length], avgY = new float[dy.Length];
            PoolingKernels.MaxForward(x, maxY, batch, g);
            PoolingKernels.AvgForward(x, avgY, batch, g, countIncludePad);
            var (gMax, gAvg) = (d.Upload(new float[dy.Length]), d.Upload(new float[dy.Length]));
            NxtGpu.PoolingKernels.MaxForward(d.Upload(x), gMax, batch, g);
            NxtGpu.PoolingKernels.AvgForward(d.Upload(x), gAvg, batch, g, countIncludePad);
            TestData.AssertClose(maxY, d.Download(gMax), Atol, Rtol, $"max pool {g}");
            TestData.AssertClose(avgY, d.Download(gAvg), Atol, Rtol, $"avg pool {g}, count pad {countIncludePad}");
            foreach (bool accumulate in new[] { false, true })
            {
                float[] maxDx = TestData.Random(x.Length, 3), avgDx = TestData.Random(x.Length, 4);
                var (gMaxDx, gAvgDx) = (d.Upload(maxDx), d.Upload(avgDx));
                PoolingKernels.MaxBackward(x, dy, maxDx, batch, g, accumulate);
                PoolingKernels.AvgBackward(dy, avgDx, batch, g, countIncludePad, accumulate);
                NxtGpu.PoolingKernels.MaxBackward(d.Upload(x), d.Upload(dy), gMaxDx, batch, g, accumulate);
                NxtGpu.PoolingKernels.AvgBackward(d.Upload(dy), gAvgDx, batch, g, countIncludePad, accumulate);
                TestData.AssertClose(maxDx, d.Download(gMaxDx), Atol, Rtol, $"max pool dx {g}, accumulate {accumulate}");
                TestData.AssertClose(avgDx, d.Download(gAvgDx), Atol, Rtol, $"avg pool dx {g}, count pad {countIncludePad}, accumulate {accumulate}");

                var relu = Array.ConvertAll(x, v => MathF.Max(v, 0f)); // ties at zero in whole windows
                float[] reluDx = TestData.Random(x.Length, 5);
                var gReluDx = d.Upload(reluDx);
                PoolingKernels.MaxBackwardThroughRelu(relu, dy, reluDx, batch, g, accumulate);
                NxtGpu.PoolingKernels.MaxBackwardThroughRelu(d.Upload(relu), d.Upload(dy), gReluDx, batch, g, accumulate);
                TestData.AssertClose(reluDx, d.Download(gReluDx), Atol, Rtol, $"max pool dx through a relu {g}, accumulate {accumulate}");
            }
        }
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public void BatchNorm_forward_backward_and_fold_match_the_cpu(bool fixGamma, bool useBatchStats)
    {
        const int batch = 3, channels = 5, spatial = 37; // spatial·batch over the 256-thread group in one channel, not a multiple
        using var d = new DeviceBuffers();
        var x = TestData.Random(batch * channels * spatial, 1, 2f);
        var gamma = TestData.Random(channels, 2);
        var beta = TestData.Random(channels, 3);
        var residual = TestData.Random(x.Length, 4);
        float[] mean = TestData.Random(channels, 5), variance = Array.ConvertAll(TestData.Random(channels, 6), v => 1f + Math.Abs(v));
        float[] saved = new float[2 * channels], y = new float[x.Length];
        var (gMean, gVar, gSaved, gy) = (d.Upload(mean), d.Upload(variance), d.Upload(new float[2 * channels]), d.Upload(new float[x.Length]));
        BatchNormKernels.Forward(x, y, gamma, beta, mean, variance, saved, batch, channels, spatial, 1e-3f, 0.9f, fixGamma, useBatchStats, residual, Epilogue.Tanh);
        NxtGpu.BatchNormKernels.Forward(d.Upload(x), gy, d.Upload(gamma), d.Upload(beta), gMean, gVar, gSaved, batch, channels, spatial, 1e-3f, 0.9f, fixGamma, useBatchStats, d.Upload(residual), NxtGpu.Epilogue.Tanh);
        TestData.AssertClose(y, d.Download(gy), Atol, Rtol, "BatchNorm y");
        TestData.AssertClose(saved, d.Download(gSaved), Atol, Rtol, "BatchNorm saved mean and 1/σ");
        TestData.AssertClose(mean, d.Download(gMean), Atol, Rtol, "moving mean");
        TestData.AssertClose(variance, d.Download(gVar), Atol, Rtol, "moving variance");

        var dy = TestData.Random(x.Length, 7);
        float[] dx = TestData.Random(x.Length, 8), dGamma = TestData.Random(channels, 9), dBeta = TestData.Random(channels, 10);
        var (gdx, gdGamma, gdBeta) = (d.Upload(dx), d.Upload(dGamma), d.Upload(dBeta));
        BatchNormKernels.Backward(x, dy, gamma, saved, dx, dGamma, dBeta, batch, channels, spatial, fixGamma, useBatchStats, true, true, true, false, true, true);
        NxtGpu.BatchNormKernels.Backward(d.Upload(x), d.Upload(dy), d.Upload(gamma), gSaved, gdx, gdGamma, gdBeta, batch, channels, spatial, fixGamma, useBatchStats, true, true, true, false, true, true);
        TestData.AssertClose(dx, d.Download(gdx), Atol, Rtol, "BatchNorm dx (added)");
        TestData.AssertClose(dGamma, d.Download(gdGamma), Atol, Rtol, "BatchNorm dγ (written)");
        TestData.AssertClose(dBeta, d.Download(gdBeta), Atol, Rtol, "BatchNorm dβ (added)");

        const int patch = 6;
        var w = TestData.Random(channels * patch, 11);
        var bias = TestData.Random(channels, 12);
        var folded = new float[(channels * patch) + channels];
        var gFolded = d.Upload(new float[folded.Length]);
        BatchNormKernels.FoldIntoConvolution(w, bias, gamma, beta, mean, variance, 1e-3f, fixGamma, folded);
        NxtGpu.BatchNormKernels.FoldIntoConvolution(d.Upload(w), d.Upload(bias), d.Upload(gamma), d.Upload(beta), d.Upload(mean), d.Upload(variance), 1e-3f, fixGamma, gFolded);
        TestData.AssertClose(folded, d.Download(gFolded), Atol, Rtol, "folded weights and biases");
    }

    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 1)]
    [InlineData(true, 2)]
    public void Softmax_variants_and_the_loss_gradient_match_the_cpu(bool useIgnore, int normalization)
    {
        const int rows = 7, classes = 13;
        using var d = new DeviceBuffers();
        var x = TestData.Random(rows * classes, 1, 4f);
        var dy = TestData.Random(x.Length, 2);
        float[] labels = [0, 3, 12, 3, 5, 3, 1];
        foreach (bool log in new[] { false, true })
        {
            var y = new float[x.Length];
            var gy = d.Upload(new float[x.Length]);
            if (log)
            {
                SoftmaxKernels.LogForward(x, y, rows, classes);
                NxtGpu.SoftmaxKernels.LogForward(d.Upload(x), gy, rows, classes);
            }
            else
            {
                SoftmaxKernels.Forward(x, y, rows, classes);
                NxtGpu.SoftmaxKernels.Forward(d.Upload(x), gy, rows, classes);
            }

            TestData.AssertClose(y, d.Download(gy), Atol, Rtol, $"softmax forward, log {log}");
            var dx = TestData.Random(x.Length, 3);
            var gdx = d.Upload(dx);
            if (log)
            {
                SoftmaxKernels.LogBackward(y, dy, dx, rows, classes, accumulate: true);
                NxtGpu.SoftmaxKernels.LogBackward(gy, d.Upload(dy), gdx, rows, classes, accumulate: true);
            }
            else
            {
                SoftmaxKernels.Backward(y, dy, dx, rows, classes, accumulate: true);
                NxtGpu.SoftmaxKernels.Backward(gy, d.Upload(dy), gdx, rows, classes, accumulate: true);
            }

            TestData.AssertClose(dx, d.Download(gdx), Atol, Rtol, $"softmax backward, log {log}");
        }

        var probabilities = new float[x.Length];
        SoftmaxKernels.Forward(x, probabilities, rows, classes);
        var lossGrad = new float[x.Length];
        var gLossGrad = d.Upload(new float[x.Length]);
        SoftmaxKernels.OutputBackward(probabilities, labels, lossGrad, rows, classes, 0.5f, accumulate: false, useIgnore, ignoreLabel: 3, normalization);
        NxtGpu.SoftmaxKernels.OutputBackward(d.Upload(probabilities), d.Upload(labels), gLossGrad, rows, classes, 0.5f, accumulate: false, useIgnore, ignoreLabel: 3, normalization);
        TestData.AssertClose(lossGrad, d.Download(gLossGrad), Atol, Rtol, $"SoftmaxOutput gradient, ignore {useIgnore}, normalization {normalization}");
    }
}

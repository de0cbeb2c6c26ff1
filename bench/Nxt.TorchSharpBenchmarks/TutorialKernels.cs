using System.Diagnostics;

using Nxt.Cpu;
using Nxt.Kernels;

namespace Nxt.TorchSharpBenchmarks;

/// <summary>
/// Where the MXNet tutorial net's step goes: each CPU kernel of its training step, on its shapes
/// (batch 8, 128 filters of 3x3 on 3x224x224, BatchNorm + relu, 2x2 max pooling, a 2-unit dense
/// layer), called directly and timed apart, median of the calls after five warm-ups. A breakdown
/// to find the next pass to cut, not a peer figure: BenchmarkDotNet's TutorialNetPeer times the step.
/// </summary>
internal static class TutorialKernels
{
    public static void Run(int calls)
    {
        const int batch = 8, filters = 128, patch = 3 * 3 * 3, side = 224, half = side / 2, plane = side * side;
        var conv = new ConvGeometry(3, side, side, filters, 3, 3, 1, 1, 1, 1, 1, 1, 1, side, side);
        var pool = new PoolGeometry(filters, side, side, 2, 2, 2, 2, 0, 0, half, half);
        int activations = batch * filters * plane, pooled = batch * filters * half * half, features = pooled / batch;
        var random = new Random(1);
        float[] Random(int length) => Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        float[] data = Random(batch * 3 * plane), weight = Random(filters * patch), bias = Random(filters);
        float[] convOut = new float[activations], reluOut = new float[activations], poolOut = new float[pooled];
        float[] poolGrad = Random(pooled), reluGrad = new float[activations], convGrad = new float[activations];
        float[] workspace = new float[ConvolutionKernels.WorkspacePerThread(conv) * Environment.ProcessorCount];
        float[] gamma = Random(filters), beta = Random(filters), movingMean = new float[filters], movingVar = new float[filters], saved = new float[2 * filters];
        float[] dWeight = new float[filters * patch], dBias = new float[filters], dGamma = new float[filters], dBeta = new float[filters];
        float[] fcWeight = Random(2 * features), fcBias = Random(2), fcOut = new float[2 * batch], fcGrad = Random(2 * batch), fcWeightGrad = new float[2 * features];
        var kernels = new (string Name, Action Call)[]
        {
            ("convolution forward", () => ConvolutionKernels.Forward(data, weight, bias, convOut, workspace, batch, conv)),
            ("BatchNorm + relu forward", () => BatchNormKernels.Forward(convOut, reluOut, gamma, beta, movingMean, movingVar, saved, batch, filters, plane, 1e-3f, 0.9f, false, true, default, Epilogue.Relu)),
            ("max pooling forward", () => PoolingKernels.MaxForward(reluOut, poolOut, batch, pool)),
            ("dense forward", () => DenseKernels.Forward(poolOut, fcWeight, fcBias, fcOut, batch, features, 2)),
            ("dense weight gradient", () => DenseKernels.BackwardWeight(fcGrad, poolOut, fcWeightGrad, batch, features, 2, false)),
            ("dense input gradient", () => DenseKernels.BackwardData(fcGrad, fcWeight, poolGrad, batch, features, 2, false)),
            ("max pooling + relu backward", () => PoolingKernels.MaxBackwardThroughRelu(reluOut, poolGrad, reluGrad, batch, pool, false)),
            ("BatchNorm backward", () => BatchNormKernels.Backward(convOut, reluGrad, gamma, saved, convGrad, dGamma, dBeta, batch, filters, plane, false, true, true, false, true, false, true, false)),
            ("convolution weight gradient", () => ConvolutionKernels.BackwardWeight(data, convGrad, dWeight, dBias, workspace, batch, conv, false, false)),
        };

        var times = kernels.Select(_ => new List<double>()).ToArray();
        for (int call = 0; call < calls + 5; call++)
        {
            for (int k = 0; k < kernels.Length; k++)
            {
                var timer = Stopwatch.StartNew();
                kernels[k].Call();
                if (call >= 5)
                {
                    times[k].Add(timer.Elapsed.TotalMilliseconds);
                }
            }
        }

        double total = 0;
        for (int k = 0; k < kernels.Length; k++)
        {
            double median = times[k].Order().ElementAt(times[k].Count / 2);
            total += median;
            Console.WriteLine($"{kernels[k].Name,-30} {median,8:F2} ms");
        }

        Console.WriteLine($"{"sum",-30} {total,8:F2} ms (median of {calls} calls each, {Environment.ProcessorCount} cores)");
    }
}

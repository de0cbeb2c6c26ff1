using BenchmarkDotNet.Attributes;
using Nxt.Cpu;
using Nxt.Kernels;

namespace Nxt.Benchmarks;

/// <summary>
/// LeNet's convolutions at batch 64: the first (1×5×5 patches) forward, the second (20×5×5)
/// forward and both of its gradients, each with what the training step passes.
/// </summary>
public class ConvolutionBenchmarks
{
    private const int Batch = 64;
    private static readonly ConvGeometry s_conv1 = new(1, 28, 28, 20, 5, 5, 1, 1, 0, 0, 1, 1, 1, 24, 24);
    private static readonly ConvGeometry s_conv2 = new(20, 12, 12, 50, 5, 5, 1, 1, 0, 0, 1, 1, 1, 8, 8);
    private float[] _x1 = [], _w1 = [], _b1 = [], _y1 = [], _x2 = [], _w2 = [], _b2 = [], _y2 = [], _workspace = [];
    private float[] _dx2 = [], _dw2 = [], _db2 = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new RandomSource(5);
        float[] Values(int length) => Enumerable.Range(0, length).Select(_ => random.NextFloat() - 0.5f).ToArray();
        (_x1, _w1, _b1, _y1) = (Values(Batch * 784), Values(20 * 25), Values(20), new float[Batch * 20 * 576]);
        (_x2, _w2, _b2, _y2) = (Values(Batch * 20 * 144), Values(50 * 500), Values(50), new float[Batch * 50 * 64]);
        (_dx2, _dw2, _db2) = (new float[_x2.Length], new float[_w2.Length], new float[_b2.Length]);
        _workspace = new float[Math.Max(ConvolutionKernels.WorkspacePerThread(s_conv1), ConvolutionKernels.WorkspacePerThread(s_conv2)) * CpuThreads.Count];
    }

    [Benchmark]
    public void LeNetConv1Forward() => ConvolutionKernels.Forward(_x1, _w1, _b1, default, _y1, _workspace, Batch, s_conv1, Epilogue.Relu);

    [Benchmark]
    public void LeNetConv2Forward() => ConvolutionKernels.Forward(_x2, _w2, _b2, default, _y2, _workspace, Batch, s_conv2, Epilogue.Relu);

    [Benchmark]
    public void LeNetConv2WeightGradient() => ConvolutionKernels.BackwardWeight(_x2, _y2, _dw2, _db2, _workspace, Batch, s_conv2, accumulateWeight: false, accumulateBias: false);

    [Benchmark]
    public void LeNetConv2DataGradient() => ConvolutionKernels.BackwardData(_y2, _w2, _dx2, _workspace, Batch, s_conv2, accumulate: false);
}

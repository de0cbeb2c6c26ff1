using BenchmarkDotNet.Attributes;
using Nxt.Cpu;
using Nxt.Kernels;

namespace Nxt.Benchmarks;

/// <summary>
/// LeNet's two 2x2 max-poolings at batch 64 (20 planes of 24x24, 50 of 8x8) forward, and the first's backward:
/// the profile of its training step puts pooling at 6-8 %.
/// </summary>
public class PoolingBenchmarks
{
    private const int Batch = 64;
    private static readonly PoolGeometry s_pool1 = new(20, 24, 24, 2, 2, 2, 2, 0, 0, 12, 12);
    private static readonly PoolGeometry s_pool2 = new(50, 8, 8, 2, 2, 2, 2, 0, 0, 4, 4);
    private float[] _x1 = [], _y1 = [], _dx1 = [], _x2 = [], _y2 = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new RandomSource(9);
        float[] Values(int length) => Enumerable.Range(0, length).Select(_ => random.NextFloat() - 0.5f).ToArray();
        (_x1, _y1, _dx1) = (Values(Batch * 20 * 576), Values(Batch * 20 * 144), new float[Batch * 20 * 576]);
        (_x2, _y2) = (Values(Batch * 50 * 64), Values(Batch * 50 * 16));
    }

    [Benchmark]
    public void LeNetPool1Forward() => PoolingKernels.MaxForward(_x1, _y1, Batch, s_pool1);

    [Benchmark]
    public void LeNetPool2Forward() => PoolingKernels.MaxForward(_x2, _y2, Batch, s_pool2);

    [Benchmark]
    public void LeNetPool1Backward() => PoolingKernels.MaxBackward(_x1, _y1, _dx1, Batch, s_pool1, accumulate: false);
}

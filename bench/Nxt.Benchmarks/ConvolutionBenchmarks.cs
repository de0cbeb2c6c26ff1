using BenchmarkDotNet.Attributes;
using Nxt.Cpu;
using Nxt.Kernels;

namespace Nxt.Benchmarks;

/// <summary>
/// LeNet's convolutions at batch 64: the first (1×5×5 patches) forward, the second (20×5×5)
/// forward and both of its gradients, each with what the training step passes; and the column
/// copies inside them (im2col of the whole batch, chunks of samples side by side as the forward
/// lays them out, and its adjoint), which the training step's profile puts at a fifth of LeNet's step.
/// </summary>
public class ConvolutionBenchmarks
{
    private const int Batch = 64;
    private static readonly ConvGeometry s_conv1 = new(1, 28, 28, 20, 5, 5, 1, 1, 0, 0, 1, 1, 1, 24, 24);
    private static readonly ConvGeometry s_conv2 = new(20, 12, 12, 50, 5, 5, 1, 1, 0, 0, 1, 1, 1, 8, 8);
    private float[] _x1 = [], _w1 = [], _b1 = [], _y1 = [], _x2 = [], _w2 = [], _b2 = [], _y2 = [], _workspace = [];
    private float[] _dx2 = [], _dw2 = [], _db2 = [], _columns = [];

    private static int Chunk(in ConvGeometry g) => ConvolutionKernels.SamplesPerGemm(g);

    [GlobalSetup]
    public void Setup()
    {
        var random = new RandomSource(5);
        float[] Values(int length) => Enumerable.Range(0, length).Select(_ => random.NextFloat() - 0.5f).ToArray();
        (_x1, _w1, _b1, _y1) = (Values(Batch * 784), Values(20 * 25), Values(20), new float[Batch * 20 * 576]);
        (_x2, _w2, _b2, _y2) = (Values(Batch * 20 * 144), Values(50 * 500), Values(50), new float[Batch * 50 * 64]);
        (_dx2, _dw2, _db2) = (new float[_x2.Length], new float[_w2.Length], new float[_b2.Length]);
        _columns = new float[Math.Max(Chunk(s_conv1) * s_conv1.ColumnLength, Chunk(s_conv2) * s_conv2.ColumnLength)];
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

    [Benchmark]
    public void LeNetConv1Im2Col() => Im2ColBatch(_x1, s_conv1);

    [Benchmark]
    public void LeNetConv2Im2Col() => Im2ColBatch(_x2, s_conv2);

    [Benchmark]
    public void LeNetConv2Col2Im()
    {
        var g = s_conv2;
        int width = Chunk(g) * g.OutPixels;
        Array.Clear(_dx2);
        for (int n = 0; n < Batch; n++)
        {
            ConvolutionKernels.Col2ImAdd(_columns.AsSpan((n % Chunk(g)) * g.OutPixels), _dx2.AsSpan(n * g.InputLength, g.InputLength), g, width);
        }
    }

    private void Im2ColBatch(float[] x, in ConvGeometry g)
    {
        int width = Chunk(g) * g.OutPixels;
        for (int n = 0; n < Batch; n++)
        {
            ConvolutionKernels.Im2Col(x.AsSpan(n * g.InputLength, g.InputLength), _columns.AsSpan((n % Chunk(g)) * g.OutPixels), g, width);
        }
    }
}

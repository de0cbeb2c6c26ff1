using System.Numerics;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Nxt.Cpu;

namespace Nxt.Benchmarks;

/// <summary>
/// Square fp32 GEMM, Nxt's packed kernel against the loop a .NET user would write by hand
/// (i-k-j order, Vector&lt;float&gt; inner loop, Parallel.For over rows), in the same run.
/// GFLOP/s = 2·N³ / mean time.
/// </summary>
[MemoryDiagnoser]
public class GemmBenchmarks
{
    private float[] _a = [], _b = [], _c = [];

    [Params(256, 512, 1024, 2048)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new RandomSource(1);
        _a = Enumerable.Range(0, N * N).Select(_ => random.NextFloat()).ToArray();
        _b = Enumerable.Range(0, N * N).Select(_ => random.NextFloat()).ToArray();
        _c = new float[N * N];
    }

    [Benchmark]
    public void Nxt() => Gemm.Multiply(_a, false, _b, false, _c, N, N, N);

    [Benchmark(Baseline = true)]
    public void HandWrittenSimd()
    {
        int n = N;
        float[] a = _a, b = _b, c = _c;
        Parallel.For(0, n, i =>
        {
            var row = MemoryMarshal.Cast<float, Vector<float>>(c.AsSpan(i * n, n));
            row.Clear();
            for (int p = 0; p < n; p++)
            {
                var bRow = MemoryMarshal.Cast<float, Vector<float>>(b.AsSpan(p * n, n));
                var av = new Vector<float>(a[(i * n) + p]);
                for (int j = 0; j < row.Length; j++)
                {
                    row[j] += av * bRow[j];
                }
            }
        });
    }
}

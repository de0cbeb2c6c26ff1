using BenchmarkDotNet.Attributes;

namespace Nxt.Benchmarks;

/// <summary>
/// What the default check of every batch's inputs for NaN and infinity costs: the MLP's
/// prediction at batch 1 and 64 (the step where the scan weighs most), with the check on and off.
/// </summary>
[MemoryDiagnoser]
public class InputCheckBenchmarks
{
    private BenchMlp _net = null!;
    private DataBatch _batch = null!;

    [Params(1, 64)]
    public int Batch { get; set; }

    [Params(true, false)]
    public bool CheckInputs { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new RandomSource(3);
        _batch = new DataBatch(new Tensor(Enumerable.Range(0, Batch * 784).Select(_ => random.NextFloat()).ToArray(), Batch, 784), null);
        _net = new BenchMlp { CheckInputs = CheckInputs };
        _net.Bind(Batch, forTraining: false);
        _net.InitParams(new Xavier());
    }

    [GlobalCleanup]
    public void Cleanup() => _net.Dispose();

    [Benchmark]
    public void Prediction() => _net.Forward(_batch, isTrain: false);
}

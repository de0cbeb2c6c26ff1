using BenchmarkDotNet.Attributes;

namespace Nxt.Benchmarks;

/// <summary>
/// The MXNet tutorial MLP (784-128-64-10): one training step (forward, backward, SGD update)
/// and one prediction, after Bind. The memory diagnoser shows what a step allocates.
/// </summary>
[MemoryDiagnoser]
public class MlpBenchmarks
{
    private BenchMlp _train = null!;
    private BenchMlp _infer = null!;
    private DataBatch _trainBatch = null!;
    private DataBatch _inferBatch = null!;

    [Params(1, 64)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new RandomSource(2);
        var data = new Tensor(Enumerable.Range(0, Batch * 784).Select(_ => random.NextFloat()).ToArray(), Batch, 784);
        var label = new Tensor(Enumerable.Range(0, Batch).Select(i => (float)(i % 10)).ToArray(), Batch);
        _trainBatch = new DataBatch(data, label);
        _inferBatch = new DataBatch(data, null);
        _train = new BenchMlp();
        _train.Bind(Batch);
        _train.InitParams(new Xavier());
        _train.InitOptimizer(new Sgd(0.1f, momentum: 0.9f));
        _infer = new BenchMlp();
        _infer.Bind(Batch, forTraining: false);
        _infer.InitParams(new Xavier());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _train.Dispose();
        _infer.Dispose();
    }

    [Benchmark]
    public void TrainingStep()
    {
        _train.ForwardBackward(_trainBatch);
        _train.Update();
    }

    [Benchmark]
    public void Prediction() => _infer.Forward(_inferBatch, isTrain: false);
}

[Network]
public partial class BenchMlp
{
    [Input(784)]            Tensor data;
    [FullyConnected(128)]   Tensor fc1;
    [Activation(Act.Relu)]  Tensor relu1;
    [FullyConnected(64)]    Tensor fc2;
    [Activation(Act.Relu)]  Tensor relu2;
    [FullyConnected(10)]    Tensor fc3;
    [SoftmaxOutput]         Tensor softmax;
}

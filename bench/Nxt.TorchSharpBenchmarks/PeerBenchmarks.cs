using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using static TorchSharp.torch;

namespace Nxt.TorchSharpBenchmarks;

/// <summary>
/// Each class measures one workload in both frameworks in the same run: TorchSharp is the
/// baseline of each category, so the Ratio column is Nxt's time over libtorch's. Both use the
/// same number of threads (Nxt's <see cref="CpuThreads.Count"/>), batch and data.
/// </summary>
public abstract class PeerBenchmark
{
    protected static void PrepareTorch()
    {
        LibTorchLoader.Prepare();
        Console.WriteLine($"// Paths: {InstructionSet.Describe()}");
        Console.WriteLine($"// {CoreLatency.Describe()}");
        set_num_threads(CpuThreads.Count);
        random.manual_seed(1);
    }

    /// <summary>
    /// Runs <paramref name="step"/> until the JIT has settled. A step this long makes
    /// BenchmarkDotNet time one call per iteration, and a short job then measures calls 5 to 7 of
    /// the process: tier-0 code, with the tier-1 compiler busy on the other core (the char LSTM
    /// measured 62 ms there against 46 ms settled). Tier-1 compiles a method after 30 calls and
    /// a quiet 100 ms; the pause lets the background compilations finish. At most 5 s of calls
    /// (the tutorial net's libtorch step takes 0.8 s): the hot kernels run many times a call.
    /// </summary>
    protected static void Settle(Action step, int calls = 40)
    {
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < calls && elapsed.Elapsed.TotalSeconds < 5; i++)
        {
            step();
        }

        Thread.Sleep(1000);
    }


    protected static float[] RandomData(int length, ulong seed)
    {
        var random = new RandomSource(seed);
        var data = new float[length];
        for (int i = 0; i < length; i++)
        {
            data[i] = random.NextFloat();
        }

        return data;
    }

    protected static float[] Labels(int batch, int classes) => Enumerable.Range(0, batch).Select(i => (float)(i % classes)).ToArray();
}

/// <summary>The MXNet tutorial MLP (784-128-64-10): a training step and a prediction.</summary>
[MemoryDiagnoser, GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory), CategoriesColumn]
public class MlpPeer : PeerBenchmark
{
    private FashionMnistMlp.FashionMlp _train = null!, _infer = null!;
    private DataBatch _batch = null!;
    private TorchTrainer _torch = null!;

    [Params(1, 64)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        PrepareTorch();
        var data = RandomData(Batch * 784, 2);
        var labels = Labels(Batch, 10);
        _batch = new DataBatch(new Tensor(data, Batch, 784), new Tensor(labels, Batch));
        _train = new FashionMnistMlp.FashionMlp();
        _train.Bind(Batch);
        _train.InitParams(new Xavier());
        _train.InitOptimizer(new Sgd(0.1f, momentum: 0.9f));
        _infer = new FashionMnistMlp.FashionMlp();
        _infer.Bind(Batch, forTraining: false);
        _infer.InitParams(new Xavier());
        _torch = new TorchTrainer(TorchNetworks.Mlp(), data, [Batch, 784], labels, 0.1);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _train.Dispose();
        _infer.Dispose();
        _torch.Dispose();
    }

    [Benchmark(Baseline = true), BenchmarkCategory("train")]
    public void TorchSharpTrainingStep() => _torch.Step();

    [Benchmark, BenchmarkCategory("train")]
    public void NxtTrainingStep()
    {
        _train.ForwardBackward(_batch);
        _train.Update();
    }

    /// <summary>Nxt's training step alone (the steps and ab modes).</summary>
    public NxtAlone NxtSteps => new(Setup, NxtTrainingStep, Cleanup);

    /// <summary>Nxt's prediction alone (the steps and ab modes).</summary>
    public NxtAlone NxtPredictions => new(Setup, NxtPrediction, Cleanup);

    [Benchmark(Baseline = true), BenchmarkCategory("predict")]
    public void TorchSharpPrediction() => _torch.Predict();

    [Benchmark, BenchmarkCategory("predict")]
    public void NxtPrediction() => _infer.Forward(_batch, isTrain: false);
}

/// <summary>One training step of a convolutional network in both frameworks, from the same data and labels.</summary>
[MemoryDiagnoser]
public abstract class TrainingStepPeer<TNet> : PeerBenchmark
    where TNet : Module, new()
{
    private TNet _net = null!;
    private DataBatch _batch = null!;
    private TorchTrainer _torch = null!;

    protected abstract int BatchSize { get; }

    protected abstract int[] SampleShape { get; }

    protected abstract int Classes { get; }

    protected abstract float LearningRate { get; }

    protected abstract Initializer Initializer { get; }

    protected abstract TorchSharp.Modules.Sequential TorchModel();

    [GlobalSetup(Target = nameof(TorchSharpTrainingStep))]
    public void SetupTorch()
    {
        Setup();
        Settle(TorchSharpTrainingStep);
    }

    [GlobalSetup(Target = nameof(NxtTrainingStep))]
    public void SetupNxt()
    {
        Setup();
        Settle(NxtTrainingStep);
    }

    private void Setup()
    {
        PrepareTorch();
        int sample = SampleShape.Aggregate(1, (a, b) => a * b);
        var data = RandomData(BatchSize * sample, 3);
        var labels = Labels(BatchSize, Classes);
        _batch = new DataBatch(new Tensor(data, [BatchSize, .. SampleShape]), new Tensor(labels, BatchSize));
        _net = new TNet();
        _net.Bind(BatchSize);
        _net.InitParams(Initializer);
        _net.InitOptimizer(new Sgd(LearningRate, momentum: 0.9f));
        _torch = new TorchTrainer(TorchModel(), data, [BatchSize, .. SampleShape.Select(d => (long)d)], labels, LearningRate);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _net.Dispose();
        _torch.Dispose();
    }

    /// <summary>Nxt's step alone (the steps and ab modes).</summary>
    public NxtAlone NxtSteps => new(SetupNxt, NxtTrainingStep, Cleanup);

    [Benchmark(Baseline = true)]
    public void TorchSharpTrainingStep() => _torch.Step();

    [Benchmark]
    public void NxtTrainingStep()
    {
        _net.ForwardBackward(_batch);
        _net.Update();
    }
}

/// <summary>LeNet on 28x28 images, batch 64.</summary>
public class LeNetPeer : TrainingStepPeer<FashionMnistLeNet.LeNet>
{
    protected override int BatchSize => 64;

    protected override int[] SampleShape => [1, 28, 28];

    protected override int Classes => 10;

    protected override float LearningRate => 0.05f;

    protected override Initializer Initializer => new Xavier();

    protected override TorchSharp.Modules.Sequential TorchModel() => TorchNetworks.LeNet();
}

/// <summary>LeNet's prediction (softmax probabilities, no gradients) on 64 images of 28x28.</summary>
[MemoryDiagnoser]
public class LeNetPredictionPeer : PeerBenchmark
{
    private const int Batch = 64;
    private FashionMnistLeNet.LeNet _net = null!;
    private DataBatch _batch = null!;
    private TorchTrainer _torch = null!;

    [GlobalSetup(Target = nameof(TorchSharpPrediction))]
    public void SetupTorch()
    {
        Setup();
        Settle(TorchSharpPrediction, calls: 200);
    }

    [GlobalSetup(Target = nameof(NxtPrediction))]
    public void SetupNxt()
    {
        Setup();
        Settle(NxtPrediction, calls: 200);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _net.Dispose();
        _torch.Dispose();
    }

    /// <summary>Nxt's prediction alone (the steps and ab modes).</summary>
    public NxtAlone NxtPredictions => new(SetupNxt, NxtPrediction, Cleanup);

    [Benchmark(Baseline = true)]
    public void TorchSharpPrediction() => _torch.Predict();

    [Benchmark]
    public void NxtPrediction() => _net.Forward(_batch, isTrain: false);

    private void Setup()
    {
        PrepareTorch();
        var data = RandomData(Batch * 784, 3);
        var labels = Labels(Batch, 10);
        _batch = new DataBatch(new Tensor(data, Batch, 1, 28, 28), new Tensor(labels, Batch));
        _net = new FashionMnistLeNet.LeNet();
        _net.Bind(Batch, forTraining: false);
        _net.InitParams(new Xavier());
        _torch = new TorchTrainer(TorchNetworks.LeNet(), data, [Batch, 1, 28, 28], labels, 0.05f);
    }
}

/// <summary>The MXNet Module tutorial's conv net on 3x224x224 images, batch 8.</summary>
public class TutorialNetPeer : TrainingStepPeer<PeerTutorialNet>
{
    protected override int BatchSize => 8;

    protected override int[] SampleShape => [3, 224, 224];

    protected override int Classes => 2;

    protected override float LearningRate => 0.01f;

    protected override Initializer Initializer => new Uniform(0.01f);

    protected override TorchSharp.Modules.Sequential TorchModel() => TorchNetworks.TutorialNet();
}

/// <summary>Issue 15's BatchNorm conv net on 3x32x32 images, batch 32.</summary>
public class BatchNormNetPeer : TrainingStepPeer<PeerBatchNormNet>
{
    protected override int BatchSize => 32;

    protected override int[] SampleShape => [3, 32, 32];

    protected override int Classes => 10;

    protected override float LearningRate => 0.05f;

    protected override Initializer Initializer => new Xavier();

    protected override TorchSharp.Modules.Sequential TorchModel() => TorchNetworks.BatchNormNet();
}

/// <summary>The wide MLP (784-1024-1024-10), batch 128: GEMM-bound training.</summary>
public class WideMlpPeer : TrainingStepPeer<PeerWideMlp>
{
    protected override int BatchSize => 128;

    protected override int[] SampleShape => [784];

    protected override int Classes => 10;

    protected override float LearningRate => 0.05f;

    protected override Initializer Initializer => new Xavier();

    protected override TorchSharp.Modules.Sequential TorchModel() => TorchNetworks.WideMlp();
}

/// <summary>Square fp32 GEMM: libtorch's (MKL) against Nxt's, same threads.</summary>
[MemoryDiagnoser]
public class GemmPeer : PeerBenchmark
{
    private float[] _a = [], _b = [], _c = [];
    private TorchSharp.torch.Tensor _ta = null!, _tb = null!;

    [Params(256, 512, 1024, 2048)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        PrepareTorch();
        _a = RandomData(N * N, 5);
        _b = RandomData(N * N, 6);
        _c = new float[N * N];
        _ta = tensor(_a).reshape(N, N);
        _tb = tensor(_b).reshape(N, N);
    }

    [Benchmark(Baseline = true)]
    public void TorchSharp()
    {
        using var scope = NewDisposeScope();
        _ = _ta.mm(_tb);
    }

    [Benchmark]
    public void Nxt() => Cpu.Gemm.Multiply(_a, false, _b, false, _c, N, N, N);
}

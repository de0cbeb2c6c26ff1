using BenchmarkDotNet.Attributes;
using FashionMnistLeNet;
using Nxt.TorchSharpBenchmarks;

namespace Nxt.GpuBenchmarks;

/// <summary>
/// One training step (forward, backward, optimizer update) of the generated ILGPU plan on CUDA
/// device 0: LeNet at batch 64 and the MXNet tutorial conv net (3x224x224) at batch 8, the shapes
/// of the CPU and PyTorch comparisons. A step's forward pass reads the outputs back (the metric
/// needs them), which waits for the previous step's backward pass and update: in steady state each
/// iteration times a whole step.
/// </summary>
public class TrainingStepBenchmarks
{
    private Module _net = null!;
    private DataBatch _batch = null!;

    [Params("LeNet/64", "Tutorial/8")]
    public string Workload { get; set; } = "LeNet/64";

    [GlobalSetup]
    public void Setup()
    {
        int batch = Workload.EndsWith("/64", StringComparison.Ordinal) ? 64 : 8;
        _net = Workload.StartsWith("LeNet", StringComparison.Ordinal) ? new LeNet() : new PeerTutorialNet();
        var layout = _net.Description;
        var random = new RandomSource(4);
        var data = new Tensor(Enumerable.Range(0, batch * layout.Data.SampleLength).Select(_ => random.NextFloat()).ToArray(), layout.Data.ShapeFor(batch));
        var labels = new Tensor(Enumerable.Range(0, batch).Select(i => (float)(i % layout.Outputs[0].SampleShape[^1])).ToArray(), batch);
        _batch = new DataBatch(data, labels);
        _net.Bind(batch, device: Device.Cuda(0));
        _net.InitParams(new Xavier());
        _net.InitOptimizer(new Sgd(0.01f, momentum: 0.9f));
    }

    [GlobalCleanup]
    public void Cleanup() => _net.Dispose();

    [Benchmark]
    public void TrainingStep()
    {
        _net.ForwardBackward(_batch);
        _net.Update();
    }
}

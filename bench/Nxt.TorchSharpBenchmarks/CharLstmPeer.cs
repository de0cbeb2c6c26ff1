using BenchmarkDotNet.Attributes;
using FortunesCharLstm;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using TorchTensor = TorchSharp.torch.Tensor;

namespace Nxt.TorchSharpBenchmarks;

/// <summary>
/// samples/FortunesCharLstm's language model (embedding 64, LSTM 256, a softmax over 97
/// characters at each of 64 positions), one Adam training step at batch 32 in both frameworks,
/// on the same character ids.
/// </summary>
[MemoryDiagnoser]
public class CharLstmPeer : PeerBenchmark
{
    private const int Batch = 32;
    private CharLstm _net = null!;
    private DataBatch _batch = null!;
    private TorchCharLstm _torch = null!;
    private optim.Optimizer _optimizer = null!;
    private TorchTensor _data = null!, _labels = null!;

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
        var random = new RandomSource(4);
        var ids = new float[Batch * (CharLstm.Steps + 1)];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = (int)(random.NextFloat() * Characters.Count) % Characters.Count;
        }

        var data = new float[Batch * CharLstm.Steps];
        var labels = new float[Batch * CharLstm.Steps];
        for (int s = 0; s < Batch; s++)
        {
            Array.Copy(ids, s * (CharLstm.Steps + 1), data, s * CharLstm.Steps, CharLstm.Steps);
            Array.Copy(ids, (s * (CharLstm.Steps + 1)) + 1, labels, s * CharLstm.Steps, CharLstm.Steps);
        }

        _batch = new DataBatch(new Tensor(data, Batch, CharLstm.Steps), new Tensor(labels, Batch, CharLstm.Steps));
        _net = new CharLstm();
        _net.Bind(Batch);
        _net.InitParams(new Xavier(magnitude: 2.24f));
        _net.InitOptimizer(new Adam(0.002f));

        _torch = new TorchCharLstm();
        _optimizer = optim.Adam(_torch.parameters(), 0.002);
        _data = tensor(data.Select(v => (long)v).ToArray()).reshape(Batch, CharLstm.Steps);
        _labels = tensor(labels.Select(v => (long)v).ToArray());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _net.Dispose();
        _torch.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void TorchSharpTrainingStep()
    {
        using var scope = NewDisposeScope();
        _torch.train();
        _optimizer.zero_grad();
        var logits = _torch.forward(_data).reshape(-1, Characters.Count);
        functional.cross_entropy(logits, _labels).backward();
        _optimizer.step();
    }

    [Benchmark]
    public void NxtTrainingStep()
    {
        _net.ForwardBackward(_batch);
        _net.Update();
    }

    /// <summary>The same model in TorchSharp: <c>nn.Embedding</c>, a batch-first <c>nn.LSTM</c>, <c>nn.Linear</c>.</summary>
    private sealed class TorchCharLstm : Module<TorchTensor, TorchTensor>
    {
        private readonly TorchSharp.Modules.Embedding _embed = Embedding(Characters.Count, 64);
        private readonly TorchSharp.Modules.LSTM _lstm = LSTM(64, 256, batchFirst: true);
        private readonly TorchSharp.Modules.Linear _logits = Linear(256, Characters.Count);

        public TorchCharLstm()
            : base(nameof(TorchCharLstm)) => RegisterComponents();

        public override TorchTensor forward(TorchTensor input)
        {
            var (states, _, _) = _lstm.forward(_embed.forward(input));
            return _logits.forward(states);
        }
    }
}

using Nxt.Runtime.Tests.Networks;

namespace Nxt.Runtime.Tests.Reliability;

/// <summary>Resuming from a checkpoint with its optimizer states equals never having stopped.</summary>
[Collection(nameof(ThreadCountCollection))]
public class ResumeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("nxt-resume-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static NDArrayIter Data() => new(
        new Tensor(TestData.Random(48 * 6, 1), 48, 6),
        new Tensor(Enumerable.Range(0, 48).Select(i => (float)(i % 3)).ToArray(), 48),
        8,
        shuffle: true,
        seed: 6);

    [Fact]
    public void Training_two_epochs_saving_and_resuming_for_two_more_equals_four_straight()
    {
        int threads = CpuThreads.Count;
        CpuThreads.Count = 1;
        try
        {
            var schedule = new FactorSchedule(step: 5, factor: 0.7f);
            using var straight = new TinyMlp { Seed = 8 };
            straight.Fit(Data(), numEpoch: 4, optimizer: new Adam(0.01f) { Schedule = schedule }, initializer: new Xavier(), log: TextWriter.Null);

            string prefix = Path.Combine(_folder, "tiny");
            using (var first = new TinyMlp { Seed = 8 })
            {
                first.Fit(Data(), numEpoch: 2, optimizer: new Adam(0.01f) { Schedule = schedule }, initializer: new Xavier(), log: TextWriter.Null);
                first.SaveCheckpoint(prefix, 2, saveOptimizerStates: true);
            }

            using var resumed = new TinyMlp();
            resumed.LoadCheckpoint(prefix, 2, loadOptimizerStates: true);
            var data = Data();
            data.Reset(); // the iterator of the epochs already done: same seed, two reshuffles on
            data.Reset();
            resumed.Fit(data, numEpoch: 4, beginEpoch: 2, optimizer: new Adam(0.01f) { Schedule = schedule }, log: TextWriter.Null);

            Assert.Equal(24, resumed.Optimizer!.UpdateCount); // 48 samples / 8 = 6 updates an epoch, 4 epochs
            foreach (var (name, value) in straight.GetParams().ArgParams)
            {
                Assert.Equal(value.ToArray(), resumed.GetParams().ArgParams[name].ToArray());
            }
        }
        finally
        {
            CpuThreads.Count = threads;
        }
    }

    [Fact]
    public void States_of_another_optimizer_are_refused()
    {
        string prefix = Path.Combine(_folder, "sgd");
        using (var net = new TinyMlp())
        {
            net.Fit(Data(), numEpoch: 1, optimizer: new Sgd(0.1f, momentum: 0.9f), log: TextWriter.Null);
            net.SaveCheckpoint(prefix, 1, saveOptimizerStates: true);
        }

        using var other = new TinyMlp();
        other.LoadCheckpoint(prefix, 1, loadOptimizerStates: true);
        other.Bind(8);
        var ex = Assert.Throws<InvalidDataException>(() => other.InitOptimizer(new Adam()));
        Assert.Contains("Sgd", ex.Message);
    }
}

using Nxt.Runtime.Tests.Networks;

namespace Nxt.Runtime.Tests.Training;

public class CallbackTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("nxt-callbacks-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static NDArrayIter Data() => new(new Tensor(TestData.Random(16 * 6, 1), 16, 6), new Tensor(Enumerable.Range(0, 16).Select(i => (float)(i % 3)).ToArray(), 16), 8);

    [Fact]
    public void Checkpoint_saves_every_period_epochs_numbered_as_MXNet()
    {
        string prefix = Path.Combine(_folder, "tiny");
        using var net = new TinyMlp();
        net.Fit(Data(), numEpoch: 5, optimizer: new Sgd(0.1f), log: TextWriter.Null, epochEndCallback: TrainingCallbacks.Checkpoint(prefix, period: 2));
        Assert.Equal(["tiny-0002.params", "tiny-0004.params", "tiny-symbol.json"], Directory.GetFiles(_folder).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void Early_stopping_tracks_the_best_value_and_stops_after_the_patience()
    {
        using var net = new TinyMlp();
        var stopper = new EarlyStopping(patience: 2, minDelta: 0.01);
        double[] values = [0.5, 0.7, 0.705, 0.69, 0.8];
        for (int epoch = 0; epoch < 4; epoch++)
        {
            stopper.OnEpochEnd(new EpochEndParam(epoch, net, 0, values[epoch]));
        }

        Assert.True(stopper.Stopped); // 0.705 and 0.69 are not 0.01 better than 0.7
        Assert.Equal((0.7, 1), (stopper.Best, stopper.BestEpoch));
    }

    [Fact]
    public void Fit_stops_when_asked()
    {
        using var net = new TinyMlp();
        var stopper = new EarlyStopping(patience: 2, goal: MetricGoal.Maximize);
        // A learning rate too small to change any prediction: the metric never improves.
        var history = net.Fit(Data(), evalData: Data(), numEpoch: 20, optimizer: new Sgd(1e-12f), log: TextWriter.Null, epochEndCallback: stopper.OnEpochEnd);
        Assert.Equal(3, history.Count);
        Assert.True(stopper.Stopped);
    }
}

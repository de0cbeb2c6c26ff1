using Nxt.Runtime.Tests.Networks;

namespace Nxt.Runtime.Tests.Interop;

/// <summary>What an MXNet user reaches for: foreach over iterators, metrics and optimizers by name, Module.load, score's and fit's options.</summary>
public class MxnetConveniencesTests
{
    // Class = which of the first three features is largest: TinyMlp learns it.
    private static (Tensor Data, Tensor Labels) Samples(int count, ulong seed)
    {
        var data = TestData.Random(count * 6, seed);
        var labels = new float[count];
        for (int i = 0; i < count; i++)
        {
            var row = data.AsSpan(i * 6, 3);
            labels[i] = row[0] >= row[1] && row[0] >= row[2] ? 0 : row[1] >= row[2] ? 1 : 2;
        }

        return (new Tensor(data, count, 6), new Tensor(labels, count));
    }

    [Fact]
    public void Foreach_runs_the_rest_of_an_epoch_then_the_next_loop_runs_the_next()
    {
        var (data, labels) = Samples(50, 1);
        var iter = new NDArrayIter(data, labels, 10);
        var firstRows = new List<float>();
        foreach (var batch in iter)
        {
            firstRows.Add(batch.Data.Span[0]);
        }

        Assert.Equal(5, firstRows.Count);
        Assert.Equal(Enumerable.Range(0, 5).Select(b => data.Span[b * 60]), firstRows);

        int batches = 0;
        foreach (var batch in iter)
        {
            Assert.Equal(10, batch.BatchSize);
            if (++batches == 2)
            {
                break;
            }
        }

        // Left early: the loop after it goes on from the third batch.
        int rest = 0;
        foreach (var batch in iter)
        {
            rest++;
        }

        Assert.Equal(3, rest);
    }

    [Theory]
    [InlineData("acc", typeof(Accuracy), "accuracy")]
    [InlineData("Accuracy", typeof(Accuracy), "accuracy")]
    [InlineData("ce", typeof(CrossEntropy), "cross-entropy")]
    [InlineData("mse", typeof(MeanSquaredError), "mse")]
    [InlineData("rmse", typeof(RootMeanSquaredError), "rmse")]
    [InlineData("mae", typeof(MeanAbsoluteError), "mae")]
    [InlineData("f1", typeof(F1), "f1")]
    [InlineData("perplexity", typeof(Perplexity), "perplexity")]
    public void Metrics_are_created_by_their_MXNet_names(string name, Type type, string logged)
    {
        var metric = EvalMetric.Create(name);
        Assert.IsType(type, metric);
        Assert.Equal(logged, metric.Name);
    }

    [Fact]
    public void Top_k_accuracy_takes_its_k_and_a_list_of_names_makes_a_composite()
    {
        Assert.Equal("top_k_accuracy_5", EvalMetric.Create("top_k_accuracy", topK: 5).Name);
        var composite = Assert.IsType<CompositeMetric>(EvalMetric.Create(["acc", "ce"]));
        Assert.Equal(["accuracy", "cross-entropy"], composite.Metrics.Select(m => m.Name));
        var error = Assert.Throws<ArgumentException>(() => EvalMetric.Create("accuracy_score"));
        Assert.Contains("no metric named 'accuracy_score'", error.Message);
        Assert.Contains("acc, top_k_accuracy, ce", error.Message);
    }

    [Fact]
    public void Optimizers_are_created_by_their_MXNet_names_with_their_options()
    {
        var sgd = Assert.IsType<Sgd>(Optimizer.Create("sgd", learningRate: 0.1f, momentum: 0.9f, weightDecay: 1e-4f, clipGradient: 5f));
        Assert.Equal((0.1f, 0.9f, 1e-4f, 5f, false), (sgd.LearningRate, sgd.Momentum, sgd.WeightDecay, sgd.ClipGradient, sgd.Nesterov));
        Assert.True(Assert.IsType<Sgd>(Optimizer.Create("NAG", momentum: 0.5f)).Nesterov);
        var adam = Assert.IsType<Adam>(Optimizer.Create("adam"));
        Assert.Equal(0.001f, adam.LearningRate);
        Assert.IsType<AdamW>(Optimizer.Create("adamw", beta1: 0.8f));
        Assert.IsType<RmsProp>(Optimizer.Create("rmsprop", centered: true));
        Assert.IsType<AdaGrad>(Optimizer.Create("adagrad", epsilon: 1e-6f));
        Assert.Equal(0.5f, Assert.IsType<AdaDelta>(Optimizer.Create("adadelta", learningRate: 0.5f, rho: 0.95f)).LearningRate);

        var refused = Assert.Throws<ArgumentException>(() => Optimizer.Create("adam", momentum: 0.9f));
        Assert.Contains("'adam' has no option momentum; its own options are beta1, beta2, epsilon", refused.Message);
        var unknown = Assert.Throws<ArgumentException>(() => Optimizer.Create("lbfgs"));
        Assert.Contains("no optimizer named 'lbfgs'", unknown.Message);
    }

    [Fact]
    public void Load_returns_a_module_with_the_checkpoint_s_parameters_ready_to_bind()
    {
        string prefix = Path.Combine(Path.GetTempPath(), "nxt-load-" + Guid.NewGuid().ToString("N"), "tiny");
        Directory.CreateDirectory(Path.GetDirectoryName(prefix)!);
        var (data, labels) = Samples(64, 2);
        using var trained = new TinyMlp { Seed = 3 };
        trained.Fit(new NDArrayIter(data, labels, 16), numEpoch: 2, optimizer: new Sgd(0.5f));
        trained.SaveCheckpoint(prefix, 2);

        using var loaded = TinyMlp.Load(prefix, 2);
        Assert.True(loaded.ParamsInitialized);
        Assert.False(loaded.IsBound);
        loaded.Bind(16, forTraining: false);
        var test = new NDArrayIter(data, labels, 16);
        Assert.Equal(trained.Score(test), loaded.Score(test));

        var missing = Assert.Throws<FileNotFoundException>(() => TinyMlp.Load(prefix, 3));
        Assert.Contains("tiny-0003.params", missing.Message);
    }

    [Fact]
    public void Score_stops_after_num_batch_calls_back_per_batch_and_can_start_where_the_iterator_stands()
    {
        var (data, labels) = Samples(60, 4);
        using var net = new TinyMlp { Seed = 5 };
        net.Bind(10, forTraining: false);
        net.InitParams(new Xavier());
        var iter = new NDArrayIter(data, labels, 10);

        var seen = new List<(int Epoch, int Batch)>();
        var metric = new Accuracy();
        net.Score(iter, metric, numBatch: 2, batchEndCallback: p => seen.Add((p.Epoch, p.BatchIndex)), epoch: 7);
        Assert.Equal([(7, 0), (7, 1)], seen);
        Assert.Equal(20, metric.NumInst);

        // reset: false scores from the iterator's position: after two batches, the last four.
        iter.MoveNext();
        iter.MoveNext();
        net.Score(iter, metric, reset: false);
        Assert.Equal(40, metric.NumInst);
        net.Score(iter, metric);
        Assert.Equal(60, metric.NumInst);
    }

    [Fact]
    public void Fit_starts_from_given_parameters_initialises_the_missing_and_calls_back_per_validation_batch()
    {
        var (data, labels) = Samples(40, 6);
        using var source = new TinyMlp { Seed = 8 };
        source.Bind(10);
        source.InitParams(new Xavier());
        var (args, _) = source.GetParams();
        var given = args.Where(a => a.Key.StartsWith("fc1", StringComparison.Ordinal)).ToDictionary(a => a.Key, a => a.Value);

        using var net = new TinyMlp { Seed = 9 };
        var validationBatches = new List<int>();
        var error = Assert.Throws<ArgumentException>(() => net.Fit(new NDArrayIter(data, labels, 10), numEpoch: 0, argParams: given));
        Assert.Contains("fc2_weight", error.Message);

        var before = given["fc1_weight"].ToArray();
        net.Fit(new NDArrayIter(data, labels, 10), new NDArrayIter(data, labels, 20), numEpoch: 0, argParams: given, allowMissing: true, evalBatchEndCallback: p => validationBatches.Add(p.BatchIndex), log: TextWriter.Null);
        Assert.Equal(before, net.GetParams().ArgParams["fc1_weight"].ToArray());
        Assert.DoesNotContain(0f, net.GetParams().ArgParams["fc2_weight"].ToArray()); // initialised, not left at zero

        net.Fit(new NDArrayIter(data, labels, 10), new NDArrayIter(data, labels, 20), numEpoch: 1, evalBatchEndCallback: p => validationBatches.Add(p.BatchIndex), log: TextWriter.Null);
        Assert.Equal([0, 1], validationBatches);
    }
}

using Nxt.Runtime.Tests.Networks;

namespace Nxt.Runtime.Tests.Training;

/// <summary>The README's network on real data: Fashion-MNIST, evaluated on the full test set.</summary>
public class FashionMnistTrainingTests
{
    [Fact]
    public void The_MXNet_tutorial_MLP_reaches_084_test_accuracy()
    {
        Assert.True(
            FashionMnist.IsAvailable(),
            $"Fashion-MNIST is missing from {FashionMnist.DefaultDirectory}: install it with 'apt-get install dataset-fashion-mnist' (.ci/run does).");
        var data = FashionMnist.Load();
        // All 60,000 training images (an epoch takes about a second on two cores), the test set whole.
        var train = new NDArrayIter(data.TrainImages.Reshape(-1, 784), data.TrainLabels, 100, shuffle: true, seed: 1);
        var test = new NDArrayIter(data.TestImages.Reshape(-1, 784), data.TestLabels, 100);

        using var net = new ReadmeMlp { Seed = 7 };
        var log = new StringWriter();
        var history = net.Fit(
            train,
            evalData: test,
            numEpoch: 5,
            optimizer: new Sgd(0.1f, momentum: 0.9f),
            initializer: new Xavier(magnitude: 2.24f),
            log: log);

        double accuracy = net.Score(test);
        Assert.True(accuracy >= 0.84, $"test accuracy {accuracy:F4} < 0.84\n{log}");
        Assert.Equal(10000, net.Predict(test).Shape[0]);
        Assert.Contains("Epoch[0] Train-accuracy=", log.ToString());
        Assert.Contains("Epoch[4] Validation-accuracy=", log.ToString());
        Assert.Contains("Epoch[1] Time cost=", log.ToString());
        Assert.True(history[^1].TrainMetric > history[0].TrainMetric, "training accuracy did not improve");
    }

    [Fact]
    public void Speedometer_logs_the_window_and_leaves_the_epoch_metric_whole()
    {
        var log = new StringWriter();
        var speedometer = new Speedometer(batchSize: 10, frequent: 2, log);
        var metric = new Accuracy();
        for (int batch = 0; batch <= 4; batch++)
        {
            // Batches 0-2 right, 3-4 wrong: the window for batch 4 holds only wrong ones.
            metric.Update([0f], batch <= 2 ? [1f, 0f] : [0f, 1f], 1, 2);
            speedometer.OnBatchEnd(new BatchEndParam(0, batch, metric, 10));
        }

        Assert.Equal(5, metric.NumInst);
        Assert.Equal(0.6, metric.Value, 12); // the epoch's value is untouched by the logging windows
        Assert.Matches(@"Epoch\[0\] Batch \[2\]\tSpeed: [0-9.]+ samples/sec\taccuracy=1\.000000", log.ToString());
        Assert.Matches(@"Epoch\[0\] Batch \[4\]\tSpeed: [0-9.]+ samples/sec\taccuracy=0\.000000", log.ToString());
    }
}

/// <summary>The README's MLP (784-128-64-10, relu).</summary>
[Network]
public partial class ReadmeMlp
{
    [Input(784)]            Tensor data;
    [FullyConnected(128)]   Tensor fc1;
    [Activation(Act.Relu)]  Tensor relu1;
    [FullyConnected(64)]    Tensor fc2;
    [Activation(Act.Relu)]  Tensor relu2;
    [FullyConnected(10)]    Tensor fc3;
    [SoftmaxOutput]         Tensor softmax;
}

using Nxt.Runtime.Tests.Networks;

namespace Nxt.Runtime.Tests.Training;

/// <summary>Several labelled heads and evaluation at another batch size, on Fashion-MNIST.</summary>
public class MultiHeadTrainingTests
{
    // Fashion-MNIST's classes as clothing (0), footwear (1: sandal, sneaker, ankle boot) and bag (2).
    private static readonly float[] s_group = [0, 0, 0, 0, 0, 1, 0, 1, 2, 1];

    [Fact]
    public void Two_heads_train_together_and_each_reports_its_accuracy()
    {
        var data = LoadFashionMnist();
        const int train = 20000;
        var images = TestData.Rows(data.TrainImages.Reshape(-1, 784), train);
        var labels = TestData.Rows(data.TrainLabels, train);
        var groups = new Tensor(labels.ToArray().Select(c => s_group[(int)c]).ToArray(), train);
        var testGroups = new Tensor(data.TestLabels.ToArray().Select(c => s_group[(int)c]).ToArray(), data.TestLabels.Length);
        var trainIter = new NDArrayIter(
            new Dictionary<string, Tensor> { ["data"] = images },
            new Dictionary<string, Tensor> { ["category_label"] = labels, ["group_label"] = groups },
            100,
            shuffle: true,
            seed: 3);
        var testIter = new NDArrayIter(
            new Dictionary<string, Tensor> { ["data"] = data.TestImages.Reshape(-1, 784) },
            new Dictionary<string, Tensor> { ["group_label"] = testGroups, ["category_label"] = data.TestLabels },
            200);

        using var net = new TwoHeadMlp { Seed = 2 };
        var log = new StringWriter();
        net.Fit(trainIter, testIter, numEpoch: 2, optimizer: new Sgd(0.1f, momentum: 0.9f), initializer: new Xavier(magnitude: 2.24f), log: log);

        Assert.Contains("Epoch[1] Train-category-accuracy=", log.ToString());
        Assert.Contains("Epoch[1] Validation-group-accuracy=", log.ToString());
        var category = new Accuracy { Head = "category" };
        var group = new Accuracy { Head = "group" };
        net.Score(testIter, new CompositeMetric(category, group));
        Assert.True(category.Value >= 0.80, $"category accuracy {category.Value:F4} < 0.80\n{log}");
        Assert.True(group.Value >= 0.97, $"group accuracy {group.Value:F4} < 0.97\n{log}");
        var outputs = net.PredictAll(testIter);
        Assert.Equal([10000, 10], outputs[0].Shape.ToArray());
        Assert.Equal([10000, 3], outputs[1].Shape.ToArray());
    }

    [Fact]
    public void Fit_at_batch_100_validates_at_batch_50_every_epoch()
    {
        var data = LoadFashionMnist();
        var train = new NDArrayIter(TestData.Rows(data.TrainImages.Reshape(-1, 784), 10000), TestData.Rows(data.TrainLabels, 10000), 100, shuffle: true, seed: 1);
        var test = new NDArrayIter(data.TestImages.Reshape(-1, 784), data.TestLabels, 50);
        using var net = new ReadmeMlp { Seed = 7 };
        var log = new StringWriter();
        var history = net.Fit(train, test, numEpoch: 2, optimizer: new Sgd(0.1f, momentum: 0.9f), initializer: new Xavier(magnitude: 2.24f), log: log);

        Assert.Equal(100, net.BatchSize); // evaluation left the training binding as it was
        Assert.All(history, epoch => Assert.True(epoch.ValidationMetric >= 0.75, $"epoch {epoch.Epoch}: validation accuracy {epoch.ValidationMetric}\n{log}"));
        Assert.Contains("Epoch[0] Validation-accuracy=", log.ToString());
        Assert.Contains("Epoch[1] Validation-accuracy=", log.ToString());
        Assert.Equal(history[^1].ValidationMetric!.Value, net.Score(new NDArrayIter(data.TestImages.Reshape(-1, 784), data.TestLabels, 1000)), 6);
    }

    [Fact]
    public void The_tutorial_custom_softmax_loss_trains_the_MLP_as_SoftmaxOutput_does()
    {
        var data = LoadFashionMnist();
        var images = data.TrainImages.Reshape(-1, 784);
        var test = new NDArrayIter(data.TestImages.Reshape(-1, 784), data.TestLabels, 500);

        // A gentle rate over the whole set: the two losses' float roundings differ (exp), and a
        // steep rate would amplify that into a different end point.
        double Train(Module net)
        {
            net.Seed = 7;
            net.Fit(new NDArrayIter(images, data.TrainLabels, 100, shuffle: true, seed: 1), numEpoch: 3, optimizer: new Sgd(0.05f, momentum: 0.9f), initializer: new Xavier(magnitude: 2.24f), log: TextWriter.Null);
            return net.Score(test);
        }

        using var builtIn = new ReadmeMlp();
        using var custom = new CustomSoftmaxMlp();
        double expected = Train(builtIn), actual = Train(custom);
        Assert.True(expected >= 0.80, $"SoftmaxOutput accuracy {expected:F4}");
        Assert.True(Math.Abs(actual - expected) <= 0.01, $"custom softmax {actual:F4} against SoftmaxOutput {expected:F4}");
    }

    private static FashionMnist LoadFashionMnist()
    {
        Assert.True(FashionMnist.IsAvailable(), $"Fashion-MNIST is missing from {FashionMnist.DefaultDirectory}: install it with 'apt-get install dataset-fashion-mnist' (.ci/run does).");
        return FashionMnist.Load();
    }

}

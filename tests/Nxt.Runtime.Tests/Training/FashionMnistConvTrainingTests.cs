namespace Nxt.Runtime.Tests.Training;

/// <summary>The Gluon tutorial LeNet on real data, trained on a subset so that CI stays within budget.</summary>
public class FashionMnistConvTrainingTests
{
    [Fact]
    public void LeNet_trained_on_a_subset_reaches_080_on_the_full_test_set()
    {
        Assert.True(
            FashionMnist.IsAvailable(),
            $"Fashion-MNIST is missing from {FashionMnist.DefaultDirectory}: install it with 'apt-get install dataset-fashion-mnist' (.ci/run does).");
        var data = FashionMnist.Load();
        const int subset = 12800;
        var train = new NDArrayIter(
            new Tensor(data.TrainImages.Span[..(subset * 784)].ToArray(), subset, 1, 28, 28),
            new Tensor(data.TrainLabels.Span[..subset].ToArray(), subset),
            64, shuffle: true, seed: 5);
        var test = new NDArrayIter(data.TestImages.Reshape(-1, 1, 28, 28), data.TestLabels, 64);

        using var net = new TestLeNet { Seed = 3 };
        var log = new StringWriter();
        net.Fit(train, numEpoch: 3, optimizer: new Sgd(0.05f, momentum: 0.9f), initializer: new Xavier(magnitude: 2.24f), log: log);
        double accuracy = net.Score(test);
        Assert.True(accuracy >= 0.80, $"LeNet test accuracy {accuracy:F4} < 0.80\n{log}");
    }
}

/// <summary>The Gluon tutorial LeNet.</summary>
[Network]
public partial class TestLeNet
{
    [Input(1, 28, 28)]                            Tensor data;
    [Convolution(20, Kernel = 5)]                 Tensor conv1;
    [Activation(Act.Relu)]                        Tensor relu1;
    [Pooling(Pool.Max, Kernel = 2, Stride = 2)]   Tensor pool1;
    [Convolution(50, Kernel = 5)]                 Tensor conv2;
    [Activation(Act.Relu)]                        Tensor relu2;
    [Pooling(Pool.Max, Kernel = 2, Stride = 2)]   Tensor pool2;
    [Flatten]                                     Tensor flat;
    [FullyConnected(500)]                         Tensor fc1;
    [Activation(Act.Relu)]                        Tensor relu3;
    [FullyConnected(10)]                          Tensor fc2;
    [SoftmaxOutput]                               Tensor softmax;
}

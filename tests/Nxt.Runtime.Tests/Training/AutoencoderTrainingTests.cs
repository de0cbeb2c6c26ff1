namespace Nxt.Runtime.Tests.Training;

/// <summary>Strided convolutions down and deconvolutions up, trained to reconstruct Fashion-MNIST images.</summary>
public class AutoencoderTrainingTests
{
    [Fact]
    public void A_deconvolution_autoencoder_reconstructs_test_images_far_better_than_the_mean_image()
    {
        Assert.True(FashionMnist.IsAvailable(), $"Fashion-MNIST is missing from {FashionMnist.DefaultDirectory}: install it with 'apt-get install dataset-fashion-mnist' (.ci/run does).");
        var data = FashionMnist.Load();
        const int trainCount = 10000, testCount = 2000, pixels = 784;
        var trainImages = new Tensor(data.TrainImages.Span[..(trainCount * pixels)].ToArray(), trainCount, 1, 28, 28);
        var testImages = new Tensor(data.TestImages.Span[..(testCount * pixels)].ToArray(), testCount, 1, 28, 28);
        using var net = new ConvAutoencoder { Seed = 7 };
        var log = new StringWriter();
        net.Fit(
            new NDArrayIter(trainImages, trainImages, 64, shuffle: true, seed: 42),
            numEpoch: 1,
            optimizer: new Adam(0.002f),
            initializer: new Xavier(magnitude: 2.24f),
            log: log);
        Assert.Contains("Epoch[0] Train-mse=", log.ToString()); // a real-valued label's default metric

        double mse = net.Score(new NDArrayIter(testImages, testImages, 100), EvalMetric.Create("mse"));
        double baseline = MeanImageError(trainImages.Span, testImages.Span, pixels);
        // Measured: 0.0125 against the mean image's 0.087 after this one epoch.
        Assert.True(mse < baseline / 4, $"reconstruction MSE {mse:F5} is not a quarter of the mean image's {baseline:F5}");
    }

    private static double MeanImageError(ReadOnlySpan<float> train, ReadOnlySpan<float> test, int pixels)
    {
        var mean = new double[pixels];
        for (int i = 0; i < train.Length; i++)
        {
            mean[i % pixels] += train[i] / (double)(train.Length / pixels);
        }

        double sum = 0;
        for (int i = 0; i < test.Length; i++)
        {
            sum += (test[i] - mean[i % pixels]) * (test[i] - mean[i % pixels]);
        }

        return sum / test.Length;
    }
}

/// <summary>The autoencoder of samples/FashionMnistAutoencoder.</summary>
[Network]
public partial class ConvAutoencoder
{
    [Input(1, 28, 28)]                                                      Tensor data;
    [Convolution(16, Kernel = 3, Stride = 2, Pad = 1)]                      Tensor conv1;
    [Activation(Act.Relu)]                                                  Tensor relu1;
    [Convolution(32, Kernel = 3, Stride = 2, Pad = 1)]                      Tensor conv2;
    [Activation(Act.Relu)]                                                  Tensor code;
    [Deconvolution(16, Kernel = 4, Stride = 2, Pad = 1, NoBias = false)]    Tensor deconv1;
    [Activation(Act.Relu)]                                                  Tensor relu2;
    [Deconvolution(1, Kernel = 4, Stride = 2, Pad = 1, NoBias = false)]     Tensor deconv2;
    [LogisticRegressionOutput]                                              Tensor image;
}

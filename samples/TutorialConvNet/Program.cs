using System;
using System.Globalization;
using Nxt;

namespace TutorialConvNet;

/// <summary>
/// The MXNet Module tutorial: a conv net on 1000 random 3x224x224 images with random labels,
/// batch 8, MXNet's defaults (Uniform(0.01) initialisation, SGD with learning rate 0.01), 5 epochs. The network can only memorise, so training accuracy climbs
/// towards 1 (MXNet's own run: 0.509, 0.701, 0.962, 0.986, 0.995).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        int epochs = args.Length > 0 && int.TryParse(args[0], out int e) ? e : 5;
        const int samples = 1000, batchSize = 8;
        var random = new RandomSource(1);
        var images = new float[samples * 3 * 224 * 224];
        for (int i = 0; i < images.Length; i++)
        {
            images[i] = random.NextFloat();
        }

        var labels = new float[samples];
        for (int i = 0; i < samples; i++)
        {
            labels[i] = random.NextInt(2);
        }

        var train = new NDArrayIter(new Tensor(images, samples, 3, 224, 224), new Tensor(labels, samples), batchSize, shuffle: true, seed: 2);
        using var net = new SmallConvNet();
        Console.WriteLine(SmallConvNet.Summary());
        Console.WriteLine();
        var history = net.Fit(
            train,
            numEpoch: epochs,
            optimizer: new Sgd(), // MXNet's default, learning rate 0.01: the 1.6M-input dense layer diverges at 0.1
            batchEndCallback: new Speedometer(batchSize, frequent: 25).OnBatchEnd);
        double final = history[^1].TrainMetric;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Final training accuracy: {final:F4}"));
        return final >= 0.95 ? 0 : 1;
    }
}

/// <summary>The network of MXNet's Module tutorial, as in the design card.</summary>
[Network]
public partial class SmallConvNet
{
    [Input(3, 224, 224)]                          Tensor data;
    [Convolution(128, Kernel = 3, Pad = 1)]        Tensor conv1;
    [BatchNorm]                                    Tensor bn1;
    [Activation(Act.Relu)]                         Tensor relu1;
    [Pooling(Pool.Max, Kernel = 2, Stride = 2)]    Tensor pool1;
    [FullyConnected(2)]                            Tensor fc1;
    [SoftmaxOutput]                                Tensor softmax;
}

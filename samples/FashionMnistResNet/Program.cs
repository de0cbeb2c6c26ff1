using System;
using System.Globalization;
using System.IO;
using Nxt;

namespace FashionMnistResNet;

/// <summary>
/// Trains a small ResNet (declared with a reusable residual block) on Fashion-MNIST.
/// Options: --epochs N (default 8), --train N (images, default all).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        int epochs = Option(args, "--epochs", 8), trainCount = Option(args, "--train", 60000);
        FashionMnist dataset;
        try
        {
            dataset = FashionMnist.Load();
        }
        catch (Exception ex) when (ex is DatasetNotFoundException or InvalidDataException)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }

        trainCount = Math.Min(trainCount, dataset.TrainImages.Shape[0]);
        var train = new NDArrayIter(
            new Tensor(dataset.TrainImages.Span[..(trainCount * 784)].ToArray(), trainCount, 1, 28, 28),
            new Tensor(dataset.TrainLabels.Span[..trainCount].ToArray(), trainCount),
            64, shuffle: true, seed: 42);
        var test = new NDArrayIter(dataset.TestImages.Reshape(-1, 1, 28, 28), dataset.TestLabels, 64);
        using var net = new ResNet { Seed = 5 };
        Console.WriteLine(ResNet.Summary());
        Console.WriteLine();
        var sgd = new Sgd(learningRate: 0.05f, momentum: 0.9f, weightDecay: 1e-4f);
        net.Fit(
            train,
            evalData: test,
            numEpoch: epochs,
            optimizer: sgd,
            epochEndCallback: end => sgd.LearningRate *= end.Epoch >= 3 ? 0.5f : 1f,
            initializer: new Xavier(XavierRandomType.Gaussian, XavierFactorType.In, magnitude: 2f),
            batchEndCallback: new Speedometer(64, frequent: 200).OnBatchEnd);
        double accuracy = net.Score(test);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Test accuracy: {accuracy:F4}"));
        return accuracy >= 0.92 ? 0 : 1;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out int value) && value > 0 ? value : fallback;
    }
}

using System;
using System.Globalization;
using System.IO;
using Nxt;

namespace FashionMnistAutoencoder;

/// <summary>
/// Trains the convolutional autoencoder on Fashion-MNIST (the images are their own labels) and
/// reports the reconstruction mean squared error on the 10,000 test images, against the error of
/// always answering the mean training image; writes the first test images above their
/// reconstructions to <c>fashion-autoencoder.png</c>.
/// Options: --epochs N (default 5), --batch-size N (default 64), --lr X (Adam, default 0.002),
/// --train N (images, default all), --device cpu|gpu|ilgpu-cpu (default cpu).
/// </summary>
public static class Program
{
    private const int Side = 28;
    private const int Pixels = Side * Side;

    public static int Main(string[] args)
    {
        int epochs = Option(args, "--epochs", 5), batchSize = Option(args, "--batch-size", 64), trainCount = Option(args, "--train", 60000);
        float lr = float.Parse(OptionText(args, "--lr", "0.002"), CultureInfo.InvariantCulture);
        Device device = OptionText(args, "--device", "cpu") switch
        {
            "gpu" or "cuda" => Device.Cuda(0),
            "ilgpu-cpu" => Device.IlgpuCpu,
            _ => Device.Cpu,
        };
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
        int testCount = dataset.TestImages.Shape[0];
        var trainImages = new Tensor(dataset.TrainImages.Span[..(trainCount * Pixels)].ToArray(), trainCount, 1, Side, Side);
        var testImages = new Tensor(dataset.TestImages.Span.ToArray(), testCount, 1, Side, Side);
        var train = new NDArrayIter(trainImages, trainImages, batchSize, shuffle: true, seed: 42);
        var test = new NDArrayIter(testImages, testImages, batchSize);

        Console.WriteLine(Autoencoder.Summary());
        Console.WriteLine();
        using var net = new Autoencoder { Seed = 7 };
        try
        {
            net.Bind(batchSize, device: device);
        }
        catch (InvalidOperationException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }

        Console.WriteLine($"Training on {device}: {trainCount} images, {epochs} epochs, Adam {lr.ToString(CultureInfo.InvariantCulture)}.");
        net.Fit(
            train,
            evalData: test,
            evalMetric: EvalMetric.Create("mse"),
            numEpoch: epochs,
            optimizer: new Adam(lr),
            initializer: new Xavier(magnitude: 2.24f),
            batchEndCallback: new Speedometer(batchSize, frequent: 200).OnBatchEnd);

        double mse = net.Score(test, EvalMetric.Create("mse"));
        double baseline = MeanImageError(trainImages.Span, testImages.Span);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Test reconstruction MSE: {mse:F5} (the mean training image scores {baseline:F5}: {baseline / mse:F1}x worse)"));

        const int shown = 10;
        var reconstructions = net.Predict(new NDArrayIter(new Tensor(testImages.Span[..(shown * Pixels)].ToArray(), shown, 1, Side, Side), null, shown));
        const string path = "fashion-autoencoder.png";
        SaveComparison(path, testImages.Span[..(shown * Pixels)], reconstructions.Span, shown);
        Console.WriteLine($"Wrote {path}: test images (top) and their reconstructions (bottom).");
        return mse < baseline / 4 ? 0 : 1;
    }

    // The error of a model that ignores its input: every test image answered with the training mean.
    private static double MeanImageError(ReadOnlySpan<float> train, ReadOnlySpan<float> test)
    {
        var mean = new double[Pixels];
        int trainCount = train.Length / Pixels, testCount = test.Length / Pixels;
        for (int i = 0; i < train.Length; i++)
        {
            mean[i % Pixels] += train[i] / (double)trainCount;
        }

        double sum = 0;
        for (int i = 0; i < test.Length; i++)
        {
            double d = test[i] - mean[i % Pixels];
            sum += d * d;
        }

        return sum / ((double)testCount * Pixels);
    }

    // Two rows of images, each pixel drawn as a 2x2 block, with a 4-pixel gap around every image.
    private static void SaveComparison(string path, ReadOnlySpan<float> originals, ReadOnlySpan<float> reconstructions, int count)
    {
        const int scale = 2, gap = 4, tile = (Side * scale) + gap;
        int width = (count * tile) + gap, height = (2 * tile) + gap;
        var pixels = new byte[width * height];
        Array.Fill(pixels, (byte)128);
        for (int row = 0; row < 2; row++)
        {
            var source = row == 0 ? originals : reconstructions;
            for (int i = 0; i < count; i++)
            {
                for (int y = 0; y < Side * scale; y++)
                {
                    for (int x = 0; x < Side * scale; x++)
                    {
                        float value = source[(i * Pixels) + ((y / scale) * Side) + (x / scale)];
                        pixels[((gap + (row * tile) + y) * width) + gap + (i * tile) + x] = (byte)Math.Clamp(MathF.Round(value * 255f), 0f, 255f);
                    }
                }
            }
        }

        GrayPng.Save(path, pixels, width, height);
    }

    private static string OptionText(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    private static int Option(string[] args, string name, int fallback)
        => int.TryParse(OptionText(args, name, string.Empty), out int value) && value > 0 ? value : fallback;
}

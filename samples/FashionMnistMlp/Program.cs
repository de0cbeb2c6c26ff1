using System;
using System.Globalization;
using System.IO;
using Nxt;

namespace FashionMnistMlp;

/// <summary>
/// Trains the MXNet tutorial MLP on Fashion-MNIST and evaluates it on the 10,000 test images.
/// Options: --epochs N (default 10), --batch-size N (default 100), --lr X (default 0.1),
/// --checkpoint PREFIX (default ./fashion-mlp), --data DIR.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var options = Options.Parse(args);
        if (options is null)
        {
            return 2;
        }

        FashionMnist dataset;
        try
        {
            dataset = FashionMnist.Load(options.DataDirectory);
        }
        catch (Exception ex) when (ex is DatasetNotFoundException or InvalidDataException)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }

        var train = new NDArrayIter(
            dataset.TrainImages.Reshape(-1, 784), dataset.TrainLabels, options.BatchSize,
            shuffle: true, seed: 42);
        var test = new NDArrayIter(dataset.TestImages.Reshape(-1, 784), dataset.TestLabels, options.BatchSize);

        using var net = new FashionMlp { Seed = 7 };
        Console.WriteLine(FashionMlp.Summary());
        Console.WriteLine();
        Console.WriteLine($"Training on {train.SampleCount} images, validating on {test.SampleCount}, batch {options.BatchSize}, {options.Epochs} epochs, GEMM kernel {Nxt.Cpu.Gemm.KernelName}.");

        // Train and validation keep their own metrics, so the report sees both after each epoch.
        var trainMetric = new CompositeMetric(new Accuracy(), new CrossEntropy());
        var validationMetric = new CompositeMetric(new Accuracy(), new CrossEntropy());
        var report = new TrainingReport(trainMetric, validationMetric);
        TrainingReport.WithProgress((train.SampleCount + options.BatchSize - 1) / options.BatchSize, options.BatchSize, (onBatch, log) =>
            net.Fit(
                train,
                evalData: test,
                numEpoch: options.Epochs,
                optimizer: new Sgd(learningRate: options.LearningRate, momentum: 0.9f),
                initializer: new Xavier(magnitude: 2.24f),
                evalMetric: trainMetric,
                validationMetric: validationMetric,
                batchEndCallback: onBatch,
                epochEndCallback: report.OnEpochEnd,
                log: log));

        double accuracy = net.Score(test, new Accuracy());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Test accuracy: {accuracy:F4}"));

        net.SaveCheckpoint(options.CheckpointPrefix, options.Epochs);
        Console.WriteLine($"Saved {options.CheckpointPrefix}-symbol.json and {Module.ParamsPath(options.CheckpointPrefix, options.Epochs)}.");
        try
        {
            report.SaveCurve(options.CheckpointPrefix + "-training-curve.png");
            Console.WriteLine($"Wrote {options.CheckpointPrefix}-training-curve.png and {TrainingReport.SaveGraph(options.CheckpointPrefix + ".dot", FashionMlp.ToDot())}.");
        }
        catch (Exception ex) when (ex is IOException or DllNotFoundException or TypeInitializationException)
        {
            Console.Error.WriteLine($"Could not write the training curve or graph: {ex.Message}");
        }

        var predictions = net.Predict(dataset.TestImages.Reshape(-1, 784));
        Console.WriteLine("First test images:");
        for (int i = 0; i < 5; i++)
        {
            int predicted = ArgMax(predictions.Span.Slice(i * 10, 10));
            int actual = (int)dataset.TestLabels.Span[i];
            Console.WriteLine($"  #{i}: predicted {FashionMnist.ClassNames[predicted],-12} actual {FashionMnist.ClassNames[actual]}");
        }

        return accuracy >= 0.86 ? 0 : 1;
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }

    private sealed record Options(int Epochs, int BatchSize, float LearningRate, string CheckpointPrefix, string? DataDirectory)
    {
        public static Options? Parse(string[] args)
        {
            var options = new Options(10, 100, 0.1f, "fashion-mlp", null);
            for (int i = 0; i < args.Length; i++)
            {
                string value = i + 1 < args.Length ? args[i + 1] : string.Empty;
                switch (args[i])
                {
                    case "--epochs" when int.TryParse(value, out int epochs) && epochs > 0:
                        options = options with { Epochs = epochs };
                        break;
                    case "--batch-size" when int.TryParse(value, out int batch) && batch > 0:
                        options = options with { BatchSize = batch };
                        break;
                    case "--lr" when float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out float lr) && lr > 0:
                        options = options with { LearningRate = lr };
                        break;
                    case "--checkpoint" when value.Length > 0:
                        options = options with { CheckpointPrefix = value };
                        break;
                    case "--data" when value.Length > 0:
                        options = options with { DataDirectory = value };
                        break;
                    default:
                        Console.Error.WriteLine($"Unknown or invalid option '{args[i]}'. Usage: [--epochs N] [--batch-size N] [--lr X] [--checkpoint PREFIX] [--data DIR]");
                        return null;
                }

                i++;
            }

            return options;
        }
    }
}

using System.Globalization;
using static TorchSharp.torch;

namespace Nxt.TorchSharpBenchmarks;

/// <summary>
/// Trains LeNet on the full Fashion-MNIST training set (batch 64, SGD 0.05 with momentum 0.9 and
/// weight decay 1e-4, the same recipe in both) in one framework, evaluates on the test set, and
/// prints the process's peak resident memory (VmHWM) and the peak above what the process held
/// once the data set, and for TorchSharp libtorch itself, was loaded: the figure compares what
/// training takes, not what loading a native library takes. Run each framework in its own fresh
/// process.
/// </summary>
internal static class PeakMemory
{
    private const int BatchSize = 64;

    public static int Run(string framework, int epochs)
    {
        var dataset = FashionMnist.Load();
        if (framework == "torchsharp")
        {
            LibTorchLoader.Prepare();
            using var loadsTheNativeLibrary = zeros(1);
        }

        long loaded = ResidentKiB("VmRSS");
        var started = System.Diagnostics.Stopwatch.StartNew();
        double accuracy = framework switch
        {
            "nxt" => TrainNxt(dataset, epochs),
            "torchsharp" => TrainTorch(dataset, epochs),
            _ => throw new ArgumentException($"peak-memory takes 'nxt' or 'torchsharp', got '{framework}'."),
        };
        long peak = ResidentKiB("VmHWM");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{framework}: {epochs} epoch(s) in {started.Elapsed.TotalSeconds:F1} s, test accuracy {accuracy:F4}, peak RSS {peak / 1024.0:F0} MiB, {(peak - loaded) / 1024.0:F0} MiB above the loaded data set"));
        return 0;
    }

    private static double TrainNxt(FashionMnist dataset, int epochs)
    {
        var train = new NDArrayIter(dataset.TrainImages.Reshape(-1, 1, 28, 28), dataset.TrainLabels, BatchSize, shuffle: true, seed: 42);
        var test = new NDArrayIter(dataset.TestImages.Reshape(-1, 1, 28, 28), dataset.TestLabels, BatchSize);
        using var net = new FashionMnistLeNet.LeNet { Seed = 3 };
        net.Fit(train, numEpoch: epochs, optimizer: new Sgd(0.05f, momentum: 0.9f, weightDecay: 1e-4f), initializer: new Xavier(), log: TextWriter.Null);
        return net.Score(test, new Accuracy());
    }

    private static double TrainTorch(FashionMnist dataset, int epochs)
    {
        LibTorchLoader.Prepare();
        set_num_threads(CpuThreads.Count);
        random.manual_seed(3);
        int count = dataset.TrainLabels.Length;
        var images = dataset.TrainImages.Span;
        var labels = dataset.TrainLabels.Span;
        using var trainer = new TorchTrainer(TorchNetworks.LeNet(), new float[BatchSize * 784], [BatchSize, 1, 28, 28], new float[BatchSize], 0.05, weightDecay: 1e-4);
        var order = Enumerable.Range(0, count).ToArray();
        var rng = new Random(42);
        var batchImages = new float[BatchSize * 784];
        var batchLabels = new float[BatchSize];
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            rng.Shuffle(order);
            for (int start = 0; start + BatchSize <= count; start += BatchSize)
            {
                for (int i = 0; i < BatchSize; i++)
                {
                    images.Slice(order[start + i] * 784, 784).CopyTo(batchImages.AsSpan(i * 784));
                    batchLabels[i] = labels[order[start + i]];
                }

                trainer.Load(batchImages, batchLabels);
                trainer.Step();
            }
        }

        int correct = 0, seen = 0;
        var testImages = dataset.TestImages.Span;
        var testLabels = dataset.TestLabels.Span;
        for (int start = 0; start + BatchSize <= testLabels.Length; start += BatchSize)
        {
            trainer.Load(testImages.Slice(start * 784, BatchSize * 784), testLabels.Slice(start, BatchSize));
            correct += trainer.Correct();
            seen += BatchSize;
        }

        return (double)correct / seen;
    }

    private static long ResidentKiB(string field)
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"/proc/self/status has no {field}.");
    }
}

using System;
using System.Globalization;
using System.IO;
using Nxt;

namespace FashionMnistLeNet;

/// <summary>
/// Trains the Gluon tutorial LeNet on Fashion-MNIST and evaluates it on the 10,000 test images.
/// Options: --epochs N (default 8), --batch-size N (default 64), --lr X (default 0.05), --train N (images, default all),
/// --optimizer sgd|adam (default sgd, momentum 0.9), --decay-after N (the learning rate is multiplied by 0.6 after
/// each epoch from the N-th on; default 3), --device cpu|gpu|ilgpu-cpu (default cpu: the SIMD backend; gpu: CUDA device 0
/// through the generated ILGPU plan; ilgpu-cpu: the same plan on ILGPU's CPU simulator, slow), --cosine (a cosine
/// schedule to zero over the whole run instead of the step decay), --kvstore local|dist_sync (dist_sync: one worker of
/// an MPI job, each on its part of the training set, batch size per worker:
/// mpiexec.mpich -np 2 dotnet samples/FashionMnistLeNet/bin/Release/net10.0/FashionMnistLeNet.dll --kvstore dist_sync).
/// Two epochs: --epochs 2 --optimizer adam --lr 0.002 --batch-size 32 --cosine (0.907).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        int epochs = Option(args, "--epochs", 8), batchSize = Option(args, "--batch-size", 64), trainCount = Option(args, "--train", 60000);
        float lr = float.Parse(OptionText(args, "--lr", "0.05"), CultureInfo.InvariantCulture);
        int decayAfter = Option(args, "--decay-after", 3);
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
        var trainImages = new Tensor(Standardize(dataset.TrainImages.Span[..(trainCount * 784)]), trainCount, 1, 28, 28);
        var trainLabels = new Tensor(dataset.TrainLabels.Span[..trainCount].ToArray(), trainCount);
        var train = new NDArrayIter(trainImages, trainLabels, batchSize, shuffle: true, seed: 42);
        var test = new NDArrayIter(new Tensor(Standardize(dataset.TestImages.Span), dataset.TestLabels.Length, 1, 28, 28), dataset.TestLabels, batchSize);

        using var net = new LeNet { Seed = 3 };
        var kvStore = KVStore.Create(OptionText(args, "--kvstore", "local"));
        var log = kvStore.Rank == 0 ? Console.Out : TextWriter.Null;
        log.WriteLine(LeNet.Summary());
        log.WriteLine();
        try
        {
            net.Bind(batchSize, device: device);
        }
        catch (InvalidOperationException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }

        log.WriteLine(kvStore.NumWorkers > 1 ? $"Training on {device}, worker {kvStore.Rank} of {kvStore.NumWorkers} ({kvStore.Type})." : $"Training on {device}.");
        Optimizer sgd = OptionText(args, "--optimizer", "sgd") == "adam" ? new Adam(lr) : new Sgd(learningRate: lr, momentum: 0.9f, weightDecay: 1e-4f);
        bool cosine = Array.IndexOf(args, "--cosine") >= 0;
        if (cosine)
        {
            int perWorker = (trainCount + kvStore.NumWorkers - 1) / kvStore.NumWorkers;
            sgd.Schedule = new CosineSchedule(maxUpdate: epochs * ((perWorker + batchSize - 1) / batchSize));
        }

        net.Fit(
            train,
            evalData: test,
            numEpoch: epochs,
            optimizer: sgd,
            // A step decay after the first epochs: a constant rate keeps oscillating late in training.
            epochEndCallback: end => sgd.LearningRate *= !cosine && end.Epoch + 1 >= decayAfter ? 0.6f : 1f,
            initializer: new Xavier(magnitude: 2.24f),
            batchEndCallback: new Speedometer(batchSize, frequent: 200, log).OnBatchEnd,
            log: log,
            kvStore: kvStore);
        double accuracy = net.Score(test);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Test accuracy: {accuracy:F4}"));
        if (net.IsLeadWorker)
        {
            net.SaveCheckpoint("fashion-lenet", epochs);
        }

        return accuracy >= 0.90 ? 0 : 1;
    }

    // Fashion-MNIST's pixel mean and standard deviation over the training set: centred inputs
    // let the first layer's relu units start on both sides of zero.
    private static float[] Standardize(ReadOnlySpan<float> pixels)
    {
        var result = new float[pixels.Length];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = (pixels[i] - 0.2860f) / 0.3530f;
        }

        return result;
    }

    private static string OptionText(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    private static int Option(string[] args, string name, int fallback)
        => int.TryParse(OptionText(args, name, string.Empty), out int value) && value > 0 ? value : fallback;
}

using System;
using System.Globalization;
using System.IO;
using System.Text;
using Nxt;

namespace FortunesCharLstm;

/// <summary>
/// Trains the character-level LSTM on the fortunes (the last 5 % held out), reports the validation
/// perplexity per epoch, then writes text the model generates from a line of the held-out part.
/// Options: --epochs N (default 3), --batch-size N (default 32), --lr X (Adam, default 0.002),
/// --train-chars N (default all, about 2.4 million), --generate N (characters, default 400),
/// --temperature X (default 0.7), --device cpu|gpu|ilgpu-cpu (default cpu).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        int epochs = Option(args, "--epochs", 3), batchSize = Option(args, "--batch-size", 32), generate = Option(args, "--generate", 400);
        float lr = float.Parse(OptionText(args, "--lr", "0.002"), CultureInfo.InvariantCulture);
        float temperature = float.Parse(OptionText(args, "--temperature", "0.7"), CultureInfo.InvariantCulture);
        Device device = OptionText(args, "--device", "cpu") switch
        {
            "gpu" or "cuda" => Device.Cuda(0),
            "ilgpu-cpu" => Device.IlgpuCpu,
            _ => Device.Cpu,
        };
        string text;
        try
        {
            text = Fortunes.Load();
        }
        catch (FileNotFoundException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }

        int validationStart = text.Length - (text.Length / 20);
        int trainChars = Math.Min(Option(args, "--train-chars", validationStart), validationStart);
        var train = Sequences(text.AsSpan(0, trainChars), batchSize, shuffle: true);
        var validation = Sequences(text.AsSpan(validationStart), batchSize, shuffle: false);

        Console.WriteLine(CharLstm.Summary());
        Console.WriteLine();
        using var net = new CharLstm { Seed = 11 };
        try
        {
            net.Bind(batchSize, device: device);
        }
        catch (InvalidOperationException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }

        Console.WriteLine($"Training on {device}: {trainChars} characters of fortunes in sequences of {CharLstm.Steps}, {text.Length - validationStart} held out; {epochs} epochs, Adam {lr.ToString(CultureInfo.InvariantCulture)}.");
        var history = net.Fit(
            train,
            evalData: validation,
            evalMetric: EvalMetric.Create("perplexity"),
            numEpoch: epochs,
            optimizer: new Adam(lr),
            initializer: new Xavier(magnitude: 2.24f),
            batchEndCallback: new Speedometer(batchSize, frequent: 100).OnBatchEnd);

        double perplexity = history[^1].ValidationMetric ?? net.Score(validation, EvalMetric.Create("perplexity"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Validation perplexity: {perplexity:F2} per character (a uniform guess over the {Characters.Count} characters: {Characters.Count})."));
        string seed = text.Substring(validationStart, CharLstm.Steps);
        Console.WriteLine($"Generated from the held-out text's first {CharLstm.Steps} characters (temperature {temperature.ToString(CultureInfo.InvariantCulture)}):");
        Console.WriteLine("----");
        Console.WriteLine(seed + Generate(net, seed, generate, temperature, new Random(5)));
        Console.WriteLine("----");
        return perplexity < 8 ? 0 : 1;
    }

    // Windows of Steps + 1 characters, side by side: the first Steps are the input, the last Steps the labels.
    private static NDArrayIter Sequences(ReadOnlySpan<char> text, int batchSize, bool shuffle)
    {
        int count = (text.Length - 1) / CharLstm.Steps;
        var ids = Characters.Ids(text);
        var data = new float[count * CharLstm.Steps];
        var labels = new float[count * CharLstm.Steps];
        for (int s = 0; s < count; s++)
        {
            ids.AsSpan(s * CharLstm.Steps, CharLstm.Steps).CopyTo(data.AsSpan(s * CharLstm.Steps));
            ids.AsSpan((s * CharLstm.Steps) + 1, CharLstm.Steps).CopyTo(labels.AsSpan(s * CharLstm.Steps));
        }

        return new NDArrayIter(new Tensor(data, count, CharLstm.Steps), new Tensor(labels, count, CharLstm.Steps), batchSize, shuffle, seed: 3);
    }

    // One character at a time, by a copy of the model bound for one sequence: it reads the last
    // Steps characters, and the next one is drawn from its distribution at the last position,
    // sharpened by the temperature.
    private static string Generate(CharLstm trained, string seed, int count, float temperature, Random random)
    {
        using var net = new CharLstm();
        net.Bind(1, forTraining: false);
        var (parameters, _) = trained.GetParams();
        net.SetParams(parameters);
        var window = new Tensor(Characters.Ids(seed), 1, CharLstm.Steps);
        var batch = new DataBatch(window, null);
        var generated = new StringBuilder();
        var weights = new double[Characters.Count];
        for (int i = 0; i < count; i++)
        {
            net.Forward(batch);
            var probabilities = net.GetOutputs()[0].Span[((CharLstm.Steps - 1) * Characters.Count)..];
            double total = 0;
            for (int c = 0; c < Characters.Count; c++)
            {
                weights[c] = Math.Pow(Math.Max(probabilities[c], 1e-12f), 1.0 / temperature);
                total += weights[c];
            }

            double pick = random.NextDouble() * total;
            int next = 0;
            while (next < Characters.Count - 1 && (pick -= weights[next]) > 0)
            {
                next++;
            }

            generated.Append(Characters.Char(next));
            var ids = window.Span;
            ids[1..].CopyTo(ids);
            ids[^1] = next;
        }

        return generated.ToString();
    }

    private static string OptionText(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    private static int Option(string[] args, string name, int fallback)
        => int.TryParse(OptionText(args, name, string.Empty), out int value) && value > 0 ? value : fallback;
}

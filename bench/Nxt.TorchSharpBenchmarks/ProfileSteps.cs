namespace Nxt.TorchSharpBenchmarks;

/// <summary>
/// A peer's Nxt training step run alone for a sampling profiler, e.g.
/// <c>DOTNET_PerfMapEnabled=1 perf record -F 999 -g dotnet bin/Release/net10.0/Nxt.TorchSharpBenchmarks.dll steps lenet 1000</c>:
/// the same network, batch, data and optimizer the benchmark times, settled first.
/// </summary>
internal static class ProfileSteps
{
    public static void Run(string workload, int count)
    {
        Action<int> steps = workload switch
        {
            "lenet" => new LeNetPeer().RunNxtSteps,
            "batchnorm" => new BatchNormNetPeer().RunNxtSteps,
            "tutorial" => new TutorialNetPeer().RunNxtSteps,
            "widemlp" => new WideMlpPeer().RunNxtSteps,
            "lenet-prediction" => new LeNetPredictionPeer().RunNxtPredictions,
            "mlp" => new MlpPeer { Batch = 64 }.RunNxtSteps,
            "mlp-prediction" => new MlpPeer { Batch = 64 }.RunNxtPredictions,
            "mlp-prediction-1" => new MlpPeer { Batch = 1 }.RunNxtPredictions,
            _ => throw new ArgumentException($"steps takes lenet, batchnorm, tutorial, widemlp, mlp, lenet-prediction, mlp-prediction or mlp-prediction-1, got '{workload}'."),
        };
        var timer = System.Diagnostics.Stopwatch.StartNew();
        steps(count);
        Console.WriteLine($"{workload}: {count} steps in {timer.Elapsed.TotalSeconds:F2} s");
    }
}

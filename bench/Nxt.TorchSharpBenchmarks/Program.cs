using BenchmarkDotNet.Running;

namespace Nxt.TorchSharpBenchmarks;

/// <summary>
/// dotnet run -c Release --project bench/Nxt.TorchSharpBenchmarks -- --filter '*Peer*' [--isa avx2]
/// dotnet run -c Release --project bench/Nxt.TorchSharpBenchmarks -- peak-memory nxt|torchsharp [epochs]
/// dotnet run -c Release --project bench/Nxt.TorchSharpBenchmarks -- steps lenet|batchnorm|tutorial|widemlp|mlp|lenet-prediction|mlp-prediction|mlp-prediction-1 COUNT (for perf)
/// dotnet run -c Release --project bench/Nxt.TorchSharpBenchmarks -- ab WORKLOAD Namespace.Type.Field BLOCKS STEPS (a change off and on in one process)
/// dotnet run -c Release --project bench/Nxt.TorchSharpBenchmarks -- tutorial-kernels CALLS (the tutorial step's kernels timed apart)
/// dotnet run -c Release --project bench/Nxt.TorchSharpBenchmarks -- core-latency (before and after a peer run)
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length >= 2 && args[0] == "peak-memory")
        {
            return PeakMemory.Run(args[1], args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1);
        }

        // Under perf: Nxt's training step alone, a fixed number of times (lenet, batchnorm, tutorial, widemlp).
        if (args is ["steps", var workload, var count])
        {
            ProfileSteps.Run(workload, int.Parse(count, System.Globalization.CultureInfo.InvariantCulture));
            return 0;
        }

        // A change switched by a static bool, off and on in alternating blocks of steps in one process.
        if (args is ["ab", var abWorkload, var field, var blocks, var steps])
        {
            PairedSwitch.Run(abWorkload, field, int.Parse(blocks, System.Globalization.CultureInfo.InvariantCulture), int.Parse(steps, System.Globalization.CultureInfo.InvariantCulture));
            return 0;
        }

        if (args is ["tutorial-kernels", var calls])
        {
            TutorialKernels.Run(int.Parse(calls, System.Globalization.CultureInfo.InvariantCulture));
            return 0;
        }

        if (args is ["core-latency"])
        {
            CoreLatency.Run();
            return 0;
        }

        args = InstructionSet.Apply(args);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}

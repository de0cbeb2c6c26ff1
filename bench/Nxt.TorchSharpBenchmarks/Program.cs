using BenchmarkDotNet.Running;

namespace Nxt.TorchSharpBenchmarks;

/// <summary>
/// dotnet run -c Release --project bench/Nxt.TorchSharpBenchmarks -- --filter '*Peer*' [--isa avx2]
/// dotnet run -c Release --project bench/Nxt.TorchSharpBenchmarks -- peak-memory nxt|torchsharp [epochs]
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length >= 2 && args[0] == "peak-memory")
        {
            return PeakMemory.Run(args[1], args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1);
        }

        args = InstructionSet.Apply(args);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}

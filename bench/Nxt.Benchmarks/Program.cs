using BenchmarkDotNet.Running;

namespace Nxt.Benchmarks;

/// <summary>Run with: dotnet run -c Release --project bench/Nxt.Benchmarks -- --filter '*' (or <c>generated-kernels</c> for that table).</summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args is ["generated-kernels"])
        {
            GeneratedKernelBenchmarks.PrintPlans();
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}

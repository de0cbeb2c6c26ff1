using BenchmarkDotNet.Running;
using Nxt.Gpu;

namespace Nxt.GpuBenchmarks;

/// <summary>Run with: dotnet run -c Release --project bench/Nxt.GpuBenchmarks -- --filter '*'</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (!GpuDevice.CudaAvailable())
        {
            Console.WriteLine("No CUDA device: ILGPU finds no NVIDIA GPU and driver here, so there is nothing to measure. bench/RESULTS.md has the commands for a GPU machine.");
            return 0;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}

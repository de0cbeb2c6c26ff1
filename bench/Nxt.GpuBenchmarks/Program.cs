using BenchmarkDotNet.Running;
using Nxt.Gpu;

namespace Nxt.GpuBenchmarks;

/// <summary>Run with: dotnet run -c Release --project bench/Nxt.GpuBenchmarks -- --filter '*' (or -- --steps LeNet/64 20: that many training steps alone, for a profiler)</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (!GpuDevice.CudaAvailable())
        {
            Console.WriteLine("No CUDA device: ILGPU finds no NVIDIA GPU and driver here, so there is nothing to measure. bench/RESULTS.md has the commands for a GPU machine.");
            return 0;
        }

        // Under a kernel profiler (bench/gpu/profile.sh): a fixed number of steps, nothing else
        // launched, so the profiler's launch counts fall on steps in steady state.
        if (args is ["--steps", var workload, var count])
        {
            var steps = new TrainingStepBenchmarks { Workload = workload };
            steps.Setup();
            for (int i = 0; i < int.Parse(count, System.Globalization.CultureInfo.InvariantCulture); i++)
            {
                steps.TrainingStep();
            }

            steps.Cleanup();
            return 0;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}

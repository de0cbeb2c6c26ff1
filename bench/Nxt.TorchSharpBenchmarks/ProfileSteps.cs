namespace Nxt.TorchSharpBenchmarks;

/// <summary>
/// A peer's Nxt training step run alone for a sampling profiler, e.g.
/// <c>DOTNET_PerfMapEnabled=1 perf record -F 999 -g dotnet bin/Release/net10.0/Nxt.TorchSharpBenchmarks.dll steps lenet 1000</c>:
/// the same network, batch, data and optimizer the benchmark times.
/// </summary>
internal static class ProfileSteps
{
    public static void Run(string workload, int count)
    {
        var alone = NxtAlone.Named(workload);
        alone.Setup();
        var timer = System.Diagnostics.Stopwatch.StartNew();
        alone.Step();
        long allocated = GC.GetTotalAllocatedBytes(precise: true); // after the first step: the ones after it should allocate nothing
        for (int i = 1; i < count; i++)
        {
            alone.Step();
        }

        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        Console.WriteLine($"{workload}: {count} steps in {timer.Elapsed.TotalSeconds:F2} s, {allocated:N0} bytes allocated after the first");
        alone.Cleanup();
    }
}

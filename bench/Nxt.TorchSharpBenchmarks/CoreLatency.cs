using System.Diagnostics;

namespace Nxt.TorchSharpBenchmarks;

/// <summary>
/// The round trip of one cache line between two threads, which the two CPUs of a 2-vCPU machine
/// run: 65-100 ns on this project's Zen 4 virtual machine most of the time, and 350 ns in spells
/// when the host places its vCPUs far apart. In those spells every two-thread region pays it at
/// each hand-over and shared line (the MLP's batch-1 prediction 4.0 -> 7.0 µs), so a peer run
/// is only comparable with another run measured at the same latency: take it before and after.
/// </summary>
internal static class CoreLatency
{
    private const int Trips = 1_000_000;

    public static void Run()
    {
        var line = new int[32]; // the flag at 16 sits in a line of its own, away from the array's header
        var partner = new Thread(() => Answer(line)) { IsBackground = true };
        partner.Start();
        Volatile.Write(ref line[16], 0);
        var timer = Stopwatch.StartNew();
        for (int i = 0; i < Trips; i++)
        {
            Volatile.Write(ref line[16], (2 * i) + 1);
            while (Volatile.Read(ref line[16]) != (2 * i) + 2)
            {
            }
        }

        double nanoseconds = timer.Elapsed.TotalNanoseconds / Trips;
        partner.Join();
        Console.WriteLine($"core-to-core round trip: {nanoseconds:F0} ns ({Trips:N0} trips)");
    }

    private static void Answer(int[] line)
    {
        for (int i = 0; i < Trips; i++)
        {
            while (Volatile.Read(ref line[16]) != (2 * i) + 1)
            {
            }

            Volatile.Write(ref line[16], (2 * i) + 2);
        }
    }
}

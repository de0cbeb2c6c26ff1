using System.Diagnostics;

namespace Nxt.TorchSharpBenchmarks;

/// <summary>
/// The round trip of one cache line between two threads, which the two CPUs of a 2-vCPU machine
/// run: 65-106 ns on this project's Zen 4 virtual machine most of the time, and about 350 ns in
/// spells of seconds. In a spell every two-thread region pays it at each hand-over and shared
/// line (the MLP's batch-1 prediction 4.0 -> 7.0 µs in the steps mode). A reading is a hint, not
/// a verdict: one taken as a peer sets up says nothing of a spell that starts after it, and a
/// thread spinning beside the probe (libtorch's OpenMP pool) slows it as much as a far placement.
/// </summary>
internal static class CoreLatency
{
    /// <summary>Prints the round trip over a million trips (the <c>core-latency</c> mode).</summary>
    public static void Run() => Console.WriteLine($"core-to-core round trip: {RoundTripNanoseconds(1_000_000):F0} ns (1,000,000 trips)");

    /// <summary>One line for a benchmark's log, taken as each peer sets up.</summary>
    public static string Describe() => $"core-to-core round trip {RoundTripNanoseconds(200_000):F0} ns (65-106 near, about 350 far on the Zen 4 VM)";

    private static double RoundTripNanoseconds(int trips)
    {
        var line = new int[32]; // the flag at 16 sits in a line of its own, away from the array's header
        var partner = new Thread(() => Answer(line, trips)) { IsBackground = true };
        partner.Start();
        var timer = Stopwatch.StartNew();
        for (int i = 0; i < trips; i++)
        {
            Volatile.Write(ref line[16], (2 * i) + 1);
            while (Volatile.Read(ref line[16]) != (2 * i) + 2)
            {
            }
        }

        double nanoseconds = timer.Elapsed.TotalNanoseconds / trips;
        partner.Join();
        return nanoseconds;
    }

    private static void Answer(int[] line, int trips)
    {
        for (int i = 0; i < trips; i++)
        {
            while (Volatile.Read(ref line[16]) != (2 * i) + 1)
            {
            }

            Volatile.Write(ref line[16], (2 * i) + 2);
        }
    }
}

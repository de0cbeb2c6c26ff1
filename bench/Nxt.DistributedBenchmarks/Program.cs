using System.Diagnostics;
using System.Globalization;
using FashionMnistLeNet;
using FashionMnistMlp;
using Nxt;

namespace Nxt.DistributedBenchmarks;

/// <summary>
/// The data-parallel costs, measured inside an MPI job (<c>mpiexec.mpich -np N dotnet Nxt.DistributedBenchmarks.dll MODE</c>):
/// <list type="bullet">
/// <item><c>allreduce</c>: the time of one in-place sum over the workers for 1 KB to 64 MB of floats, and the bandwidth it implies.</item>
/// <item><c>step BATCH [after]</c>: the time of one training step (forward, backward, allreduce of the gradients, update) of LeNet and
/// of the tutorial MLP at BATCH samples per worker, one CPU thread per worker; <c>after</c> sums the gradients after
/// the backward pass instead of overlapping it (<see cref="KVStore.OverlapsBackward"/>).</item>
/// </list>
/// Each figure is the median of 7 rounds, after a warm-up long enough for tiered compilation to
/// settle (BenchmarkDotNet cannot run inside an MPI job); rank 0 prints.
/// </summary>
public static class Program
{
    private const int Rounds = 7;

    public static int Main(string[] args)
    {
        var kv = KVStore.Create("dist_sync");
        CpuThreads.Count = 1;
        switch (args.FirstOrDefault())
        {
            case "allreduce":
                AllReduce(kv);
                return 0;
            case "step":
                int batch = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 64;
                kv.OverlapsBackward = !args.Contains("after");
                Step(kv, "LeNet", new LeNet(), batch, [1, 28, 28]);
                Step(kv, "MLP 784-128-64-10", new FashionMlp(), batch, [784]);
                return 0;
            default:
                Console.Error.WriteLine("usage: Nxt.DistributedBenchmarks allreduce | step [BATCH] [after]");
                return 2;
        }
    }

    private static void AllReduce(KVStore kv)
    {
        Print(kv, $"allreduce over {kv.NumWorkers} worker(s): size, median time, algorithm bandwidth (size / time), bus bandwidth (x 2(n-1)/n)");
        for (long bytes = 1024; bytes <= 64L << 20; bytes *= 4)
        {
            var values = new float[bytes / sizeof(float)];
            int repeats = (int)Math.Clamp((256L << 20) / bytes, 3, 2000);
            double seconds = Median(kv, repeats, () => kv.AllReduce(values));
            double gbps = bytes / seconds / 1e9;
            Print(kv, $"| {Size(bytes)} | {seconds * 1e6:F1} µs | {gbps:F2} GB/s | {gbps * 2 * (kv.NumWorkers - 1) / Math.Max(1, kv.NumWorkers):F2} GB/s |");
        }
    }

    private static void Step(KVStore kv, string name, Module net, int batch, int[] sampleShape)
    {
        using var _ = net;
        net.Seed = 1;
        net.Bind(batch);
        net.InitParams(new Xavier());
        net.InitOptimizer(new Sgd(0.01f, momentum: 0.9f), kvStore: kv);
        int sample = sampleShape.Aggregate(1, (a, b) => a * b);
        var data = new Tensor(Enumerable.Range(0, batch * sample).Select(i => (float)((i * 37 % 101) / 101.0)).ToArray(), [batch, .. sampleShape]);
        var labels = new Tensor(Enumerable.Range(0, batch).Select(i => (float)(i % 10)).ToArray(), batch);
        var step = new DataBatch(data, labels);

        // The update's own time is what the step waits for the gradient sums after the backward pass (and the SGD update).
        var update = new Stopwatch();
        double seconds = Median(kv, 20, () =>
        {
            net.ForwardBackward(step);
            update.Start();
            net.Update();
            update.Stop();
        }, update);
        Print(kv, $"| {name} | {kv.NumWorkers} | {batch} | {seconds * 1e3:F3} ms | {update.Elapsed.TotalMilliseconds / (20 * Rounds):F3} ms |");
    }

    // Warm-up, then the median of the rounds' mean time per call, the rounds started together on every worker; PART, if given, is reset after the warm-up.
    private static double Median(KVStore kv, int repeats, Action action, Stopwatch? part = null)
    {
        // Every worker must make the same calls: they agree after each chunk whether all have warmed up 2 s.
        var warmUp = Stopwatch.StartNew();
        var done = new float[1];
        do
        {
            for (int i = 0; i < repeats; i++)
            {
                action();
            }

            done[0] = warmUp.Elapsed.TotalSeconds >= 2 ? 1 : 0;
            kv.AllReduce(done);
        }
        while (done[0] < kv.NumWorkers);

        var times = new double[Rounds];
        part?.Reset(); // it times the rounds only
        for (int r = 0; r < Rounds; r++)
        {
            kv.AllReduce(new float[1]); // a barrier: every worker starts the round together
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < repeats; i++)
            {
                action();
            }

            times[r] = clock.Elapsed.TotalSeconds / repeats;
        }

        Array.Sort(times);
        return times[Rounds / 2];
    }

    private static string Size(long bytes) => bytes >= 1 << 20 ? $"{bytes >> 20} MB" : $"{bytes >> 10} KB";

    private static void Print(KVStore kv, string line)
    {
        if (kv.Rank == 0)
        {
            Console.WriteLine(line);
        }
    }
}

using System.Globalization;

namespace Nxt.DistributedWorker;

/// <summary>
/// One worker of the distributed tests, run as <c>mpiexec.mpich -np N dotnet Nxt.DistributedWorker.dll MODE ...</c>
/// (or alone, as a job of one):
/// <list type="bullet">
/// <item><c>steps OUT GLOBALBATCH [OPTIONS]</c>: 20 SGD-with-momentum steps of a hand-written loop over batches of
/// GLOBALBATCH / workers, each worker taking its slice of the same global batch; rank 0 writes the parameters to OUT.
/// Options: <c>deep</c> trains <see cref="DeepMlp"/> (large enough that a bucket of gradients is summed while the
/// backward pass goes on); <c>after</c> turns that overlap off; <c>twice</c> runs a discarded backward pass on
/// another batch before each step's own, so the sums it started must be dropped. Rank 0 also writes to OUT.buckets
/// how many buckets started during backward passes.</item>
/// <item><c>fit OUT EPOCHS GLOBALBATCH</c>: Fashion-MNIST with dist_sync Fit and a Speedometer; rank 0 writes the test accuracy and the log to OUT,
/// and the others must log nothing.</item>
/// <item><c>mismatch</c>: rank 1 builds a wider network; every worker must stop before training.</item>
/// <item><c>kill PREFIX</c>: rank 0 saves a checkpoint after step 5, rank 1 dies at step 10; the others must not hang.</item>
/// </list>
/// </summary>
public static class Program
{
    private const int Steps = 20;

    public static int Main(string[] args)
    {
        var kv = KVStore.Create("dist_sync");
        try
        {
            return args[0] switch
            {
                "steps" => RunSteps(kv, args[1], int.Parse(args[2], CultureInfo.InvariantCulture), args[3..]),
                "fit" => RunFit(kv, args[1], int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture)),
                "mismatch" => RunMismatch(kv),
                "kill" => RunKill(kv, args[1]),
                _ => 2,
            };
        }
        catch (InvalidOperationException ex)
        {
            Console.Error.WriteLine($"worker {kv.Rank}: {ex.Message}");
            return 3;
        }
    }

    // The global batch s is rows [s·G, (s+1)·G) of one fixed data set; worker r takes its slice of it.
    private static DataBatch Slice(KVStore kv, int step, int globalBatch)
    {
        int local = globalBatch / kv.NumWorkers;
        int first = (step * globalBatch) + (kv.Rank * local);
        var data = new float[local * 12];
        var labels = new float[local];
        for (int i = 0; i < local; i++)
        {
            int sample = first + i;
            var random = new RandomSource((ulong)sample + 1);
            for (int j = 0; j < 12; j++)
            {
                data[(i * 12) + j] = (2 * random.NextFloat()) - 1;
            }

            labels[i] = sample % 4;
        }

        return new DataBatch(new Tensor(data, local, 12), new Tensor(labels, local));
    }

    private static int RunSteps(KVStore kv, string output, int globalBatch, string[] options)
    {
        using Module net = options.Contains("deep") ? new DeepMlp() : new SmallMlp();
        net.Seed = kv.Rank == 0 ? 5UL : 99UL; // rank 0's initial parameters must win
        kv.OverlapsBackward = !options.Contains("after");
        net.Bind(globalBatch / kv.NumWorkers);
        net.InitParams(new Uniform(0.5f));
        net.InitOptimizer(new Sgd(0.1f, momentum: 0.9f), kvStore: kv);
        for (int step = 0; step < Steps; step++)
        {
            if (options.Contains("twice"))
            {
                net.ForwardBackward(Slice(kv, Steps + step, globalBatch));
            }

            net.ForwardBackward(Slice(kv, step, globalBatch));
            net.Update();
        }

        if (kv.Rank == 0)
        {
            var (args, _) = net.GetParams();
            File.WriteAllLines(output, args.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => a.Key + " " + string.Join(" ", a.Value.ToArray().Select(v => v.ToString("R", CultureInfo.InvariantCulture)))));
            File.WriteAllText(output + ".buckets", net.BucketsSummedDuringBackward.ToString(CultureInfo.InvariantCulture));
        }

        return 0;
    }

    private static int RunFit(KVStore kv, string output, int epochs, int globalBatch)
    {
        var data = FashionMnist.Load();
        int count = data.TrainImages.Shape[0];
        var images = new Tensor(data.TrainImages.Span[..(count * 784)].ToArray(), count, 784);
        var labels = new Tensor(data.TrainLabels.Span[..count].ToArray(), count);
        var train = new NDArrayIter(images, labels, globalBatch / kv.NumWorkers, shuffle: true, seed: 1);
        var test = new NDArrayIter(data.TestImages.Reshape(-1, 784), data.TestLabels, 500);
        using var net = new FashionMlp { Seed = 7 };
        var log = new StringWriter();
        var speedometer = new Speedometer(globalBatch / kv.NumWorkers, frequent: 100, log: log);
        net.Fit(train, test, numEpoch: epochs, optimizer: new Sgd(0.05f, momentum: 0.9f), initializer: new Xavier(magnitude: 2.24f), log: log, kvStore: kv, batchEndCallback: speedometer.OnBatchEnd);
        double accuracy = net.Score(test);
        if (kv.Rank == 0)
        {
            File.WriteAllText(output, accuracy.ToString("R", CultureInfo.InvariantCulture) + "\n" + log);
        }
        else if (log.ToString().Length > 0)
        {
            Console.Error.WriteLine($"worker {kv.Rank} logged: {log}");
            return 4;
        }

        return 0;
    }

    private static int RunMismatch(KVStore kv)
    {
        using Module net = kv.Rank == 1 ? new WiderMlp() : new SmallMlp();
        net.Bind(4);
        net.InitParams();
        net.InitOptimizer(new Sgd(0.1f), kvStore: kv);
        Console.Error.WriteLine($"worker {kv.Rank}: trained although the networks differ");
        return 0;
    }

    private static int RunKill(KVStore kv, string prefix)
    {
        using var net = new SmallMlp { Seed = 5 };
        net.Bind(8);
        net.InitParams(new Uniform(0.5f));
        net.InitOptimizer(new Sgd(0.1f, momentum: 0.9f), kvStore: kv);
        for (int step = 0; ; step++)
        {
            if (step == 10 && kv.Rank == 1)
            {
                // The test times the job's end from this line, not from its start (start-up varies with the machine's load).
                Console.Error.WriteLine($"worker 1 killed at {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()} ms");
                Console.Error.Flush();
                Environment.FailFast("worker 1 killed on purpose by the distributed kill test");
            }

            net.ForwardBackward(Slice(kv, step % 100, 8 * kv.NumWorkers));
            net.Update();
            if (step == 5 && kv.Rank == 0)
            {
                net.SaveCheckpoint(prefix, 1);
            }
        }
    }
}

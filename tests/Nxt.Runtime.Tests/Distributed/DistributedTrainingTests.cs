using System.Globalization;
using Nxt.DistributedWorker;

namespace Nxt.Runtime.Tests.Distributed;

/// <summary>
/// Data-parallel training over MPI: jobs of the worker program (tests/Nxt.DistributedWorker)
/// under mpiexec.mpich, against the same work in one process.
/// </summary>
public class DistributedTrainingTests
{
    [MpiFact]
    public void Two_workers_at_batch_32_end_20_momentum_steps_where_one_process_at_batch_64_does()
    {
        string folder = MpiJob.TempFolder();
        string two = Path.Combine(folder, "two.txt"), one = Path.Combine(folder, "one.txt");
        var job = MpiJob.Run(2, 120, "steps", two, "64");
        Assert.True(job.ExitCode == 0, job.Output);
        job = MpiJob.Run(1, 120, "steps", one, "64");
        Assert.True(job.ExitCode == 0, job.Output);

        var expected = Parameters(one);
        var actual = Parameters(two);
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (name, values) in expected)
        {
            TestData.AssertClose(values, actual[name], 1e-5, 0, $"{name} after 20 steps");
        }
    }

    [MpiFact]
    public void Gradients_summed_during_the_backward_pass_give_the_parameters_of_summing_after_it_and_of_one_process()
    {
        string folder = MpiJob.TempFolder();
        var runs = new[] { (Workers: 2, Options: new[] { "deep" }), (2, ["deep", "after"]), (2, ["deep", "twice"]), (1, ["deep"]) };
        var parameters = new List<Dictionary<string, float[]>>();
        foreach (var (workers, options) in runs)
        {
            string file = Path.Combine(folder, $"{workers}-{string.Join('-', options)}.txt");
            var job = MpiJob.Run(workers, 120, ["steps", file, "64", .. options]);
            Assert.True(job.ExitCode == 0, job.Output);
            parameters.Add(Parameters(file));
        }

        var (overlapped, after, twice, one) = (parameters[0], parameters[1], parameters[2], parameters[3]);
        long BucketsDuringBackward(int run) => long.Parse(File.ReadAllText(Path.Combine(folder, $"{runs[run].Workers}-{string.Join('-', runs[run].Options)}.txt.buckets")), CultureInfo.InvariantCulture);
        Assert.Equal(20, BucketsDuringBackward(0));   // fc3 and fc2 (132,612 floats) in one bucket, every step
        Assert.Equal(0, BucketsDuringBackward(1));
        Assert.Equal(40, BucketsDuringBackward(2));   // the dropped passes started theirs too
        foreach (var (name, values) in overlapped)
        {
            // The same sums in other buckets: bit for bit. A dropped extra pass leaves no trace.
            Assert.Equal(after[name], values);
            Assert.Equal(twice[name], values);
            TestData.AssertClose(one[name], values, 1e-5, 0, $"{name} after 20 steps, 2 workers against one process");
        }
    }

    [MpiFact]
    public void Dist_sync_Fit_on_Fashion_MNIST_with_two_workers_reaches_the_single_process_accuracy()
    {
        Assert.True(FashionMnist.IsAvailable(), $"Fashion-MNIST is missing from {FashionMnist.DefaultDirectory}: install it with 'apt-get install dataset-fashion-mnist' (.ci/run does).");
        string folder = MpiJob.TempFolder();
        string two = Path.Combine(folder, "two.txt"), one = Path.Combine(folder, "one.txt");
        var job = MpiJob.Run(2, 300, "fit", two, "3", "100");
        Assert.True(job.ExitCode == 0, job.Output);
        job = MpiJob.Run(1, 300, "fit", one, "3", "100");
        Assert.True(job.ExitCode == 0, job.Output);

        var (twoWorkers, log) = Result(two);
        var (oneProcess, _) = Result(one);
        Assert.True(oneProcess >= 0.80, $"single process: {oneProcess}");
        Assert.True(Math.Abs(twoWorkers - oneProcess) <= 0.01, $"2 workers {twoWorkers:F4} against one process {oneProcess:F4}\n{log}");
        Assert.Contains("Epoch[2] Train-accuracy=", log);
        Assert.Contains("Epoch[2] Validation-accuracy=", log);
        Assert.Contains("Epoch[2] Batch [100]\tSpeed: ", log);
    }

    [MpiFact]
    public void Workers_whose_networks_differ_stop_before_training_naming_the_difference()
    {
        var job = MpiJob.Run(2, 60, "mismatch");
        Assert.NotEqual(0, job.ExitCode);
        Assert.DoesNotContain("trained although", job.Output);
        Assert.Contains("rank 0 has 'Parameter fc1_weight (16,12)' where this worker has 'Parameter fc1_weight (17,12)'", job.Output);
        Assert.Contains("another worker's network differs", job.Output);
    }

    [MpiFact]
    public void A_killed_worker_stops_the_others_within_30_seconds_and_the_last_checkpoint_loads()
    {
        string prefix = Path.Combine(MpiJob.TempFolder(), "killed");
        var job = MpiJob.Run(2, 90, "kill", prefix);
        long ended = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Assert.NotEqual(0, job.ExitCode);
        var killed = System.Text.RegularExpressions.Regex.Match(job.Output, @"worker 1 killed at (\d+) ms");
        Assert.True(killed.Success, job.Output);
        double afterDeath = (ended - long.Parse(killed.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)) / 1000.0;
        Assert.True(afterDeath < 30, $"the job took {afterDeath:F1} s to stop after a worker died ({job.Seconds:F1} s in all)");
        using var net = new SmallMlp();
        net.Bind(8, forTraining: false);
        net.LoadCheckpoint(prefix, 1);
        Assert.True(net.ParamsInitialized);
    }

    [Fact]
    public void A_dist_kvstore_without_mpiexec_is_a_job_of_one_worker()
    {
        var kv = KVStore.Create("dist_sync");
        Assert.Equal((0, 1), (kv.Rank, kv.NumWorkers));
        kv.Init("w", new Tensor([1f, 2f], 2));
        kv.Push("w", [new Tensor([1f, 1f], 2), new Tensor([2f, 3f], 2)]);
        var pulled = Tensor.Zeros(2);
        kv.Pull("w", pulled);
        Assert.Equal([3f, 4f], pulled.ToArray());
        Assert.Contains("never initialised", Assert.Throws<KeyNotFoundException>(() => kv.Pull("v", pulled)).Message);
        Assert.Contains("holds shape (2)", Assert.Throws<ArgumentException>(() => kv.Push("w", Tensor.Zeros(3))).Message);
        Assert.Throws<ArgumentException>(() => KVStore.Create("dist_nope"));
    }

    [Fact]
    public void Iterator_parts_split_the_samples_as_MXNet_does()
    {
        var data = new Tensor(Enumerable.Range(0, 10).Select(i => (float)i).ToArray(), 10, 1);
        var seen = new List<float>();
        for (int part = 0; part < 3; part++)
        {
            var iter = new NDArrayIter(data, null, 1, numParts: 3, partIndex: part);
            Assert.Equal(part == 2 ? 4 : 3, iter.SampleCount);
            while (iter.MoveNext())
            {
                seen.Add(iter.Current.Data.Span[0]);
            }
        }

        Assert.Equal(Enumerable.Range(0, 10).Select(i => (float)i), seen);
        Assert.Throws<ArgumentOutOfRangeException>(() => new NDArrayIter(data, null, 1, numParts: 2, partIndex: 2));
    }

    private static Dictionary<string, float[]> Parameters(string file)
        => File.ReadAllLines(file).Select(line => line.Split(' ')).ToDictionary(p => p[0], p => p.Skip(1).Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray());

    private static (double Accuracy, string Log) Result(string file)
    {
        string[] lines = File.ReadAllLines(file);
        return (double.Parse(lines[0], CultureInfo.InvariantCulture), string.Join('\n', lines.Skip(1)));
    }
}

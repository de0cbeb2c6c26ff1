using Nxt.Runtime.Tests.Networks;

namespace Nxt.Runtime.Tests.Reliability;

/// <summary>
/// Reproducibility. Changes the process-wide thread count, so it runs alone: the collection
/// below disables parallel execution with the other test classes.
/// </summary>
[Collection(nameof(ThreadCountCollection))]
public class DeterminismTests
{
    private static float[] Train(int threads)
    {
        int saved = CpuThreads.Count;
        CpuThreads.Count = threads;
        try
        {
            var iter = new NDArrayIter(new Tensor(TestData.Random(96 * 72, 1), 96, 2, 6, 6), new Tensor(Enumerable.Range(0, 96).Select(i => (float)(i % 3)).ToArray(), 96), 16, shuffle: true, seed: 4);
            using var net = new TinyResidual { Seed = 11 };
            net.Fit(iter, numEpoch: 3, optimizer: new Sgd(0.05f, momentum: 0.9f), initializer: new Xavier(), log: TextWriter.Null);
            return net.GetParams().ArgParams.OrderBy(p => p.Key, StringComparer.Ordinal).SelectMany(p => p.Value.ToArray()).ToArray();
        }
        finally
        {
            CpuThreads.Count = saved;
        }
    }

    [Fact]
    public void One_thread_and_a_fixed_seed_give_bit_identical_parameters()
    {
        var first = Train(threads: 1);
        var second = Train(threads: 1);
        Assert.Equal(first, second);
    }

    [MultiCoreFact]
    public void More_threads_agree_with_one_within_float_rounding()
    {
        var one = Train(threads: 1);
        var two = Train(threads: 2);
        // Stated tolerance: after 3 epochs (18 steps) of a conv net, every parameter within 1e-4 absolute + 1e-3 relative.
        TestData.AssertClose(one, two, 1e-4, 1e-3, "2 threads vs 1");
    }
}

/// <summary>A test that compares thread counts: skipped, saying why, on a machine with one core.</summary>
public sealed class MultiCoreFactAttribute : FactAttribute
{
    public MultiCoreFactAttribute()
    {
        if (CpuThreads.Available < 2)
        {
            Skip = $"One core: {CpuThreads.Available} thread available, nothing to compare one thread with.";
        }
    }
}

/// <summary>A theory that compares thread counts: skipped, saying why, on a machine with one core.</summary>
public sealed class MultiCoreTheoryAttribute : TheoryAttribute
{
    public MultiCoreTheoryAttribute()
    {
        if (CpuThreads.Available < 2)
        {
            Skip = $"One core: {CpuThreads.Available} thread available, nothing to compare one thread with.";
        }
    }
}

[CollectionDefinition(nameof(ThreadCountCollection), DisableParallelization = true)]
public sealed class ThreadCountCollection
{
}

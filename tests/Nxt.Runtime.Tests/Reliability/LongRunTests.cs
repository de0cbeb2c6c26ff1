using Nxt.Runtime.Tests.Networks;

namespace Nxt.Runtime.Tests.Reliability;

/// <summary>
/// Memory does not grow with training time: after the first epoch the live heap stays put. The
/// process's heap is measured, so the class runs alone (other tests allocating in parallel made
/// the measurement flaky).
/// </summary>
[Collection(nameof(ThreadCountCollection))]
public class LongRunTests
{
    [Fact]
    public void Sixty_epochs_leave_the_live_heap_where_the_first_left_it()
    {
        var iter = new NDArrayIter(
            new Tensor(TestData.Random(512 * 72, 1), 512, 2, 6, 6),
            new Tensor(Enumerable.Range(0, 512).Select(i => (float)(i % 3)).ToArray(), 512),
            32,
            shuffle: true);
        using var net = new TinyResidual();
        var liveBytes = new List<long>();
        var allocatedBytes = new List<long>();
        net.Fit(
            iter,
            evalData: iter,
            numEpoch: 60,
            optimizer: new Sgd(0.01f, momentum: 0.9f),
            log: TextWriter.Null,
            epochEndCallback: _ =>
            {
                allocatedBytes.Add(GC.GetAllocatedBytesForCurrentThread());
                liveBytes.Add(GC.GetTotalMemory(forceFullCollection: true));
            });

        // A leak needs allocations: after the first epoch, training (16 steps, a validation pass
        // and the epoch's log lines) allocates only a few small objects per epoch on its thread.
        var perEpoch = allocatedBytes.Zip(allocatedBytes.Skip(1), (before, after) => after - before).Skip(1).ToList();
        Assert.True(perEpoch.Max() < 16 * 1024, $"an epoch allocated up to {perEpoch.Max()} bytes: {string.Join(", ", perEpoch)}");

        // And the live heap of the whole process stays within runtime noise (the test runner shares it).
        long growth = liveBytes[^1] - liveBytes[0];
        Assert.True(growth < 1024 * 1024, $"the live heap grew by {growth} bytes from epoch 1 to epoch 60: {string.Join(", ", liveBytes)}");
    }
}

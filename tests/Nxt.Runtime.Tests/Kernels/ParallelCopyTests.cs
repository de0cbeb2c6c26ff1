using Nxt.Cpu;

namespace Nxt.Runtime.Tests.Kernels;

/// <summary>The batch input's copy split over the workers: every float once, nothing past the source's end.</summary>
public class ParallelCopyTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(17)] // a 64-byte group and one float
    [InlineData(ParallelCopy.MinimumFloats - 1)]
    [InlineData(50_177)] // a 64×784 batch and one float
    public void Every_split_copies_every_float_and_stops_at_the_source_end(int length)
    {
        var source = TestData.Random(length, 31);
        foreach (int parts in new[] { 1, 2, 3 })
        {
            var destination = Enumerable.Repeat(-7f, length + 33).ToArray();
            ParallelCopy.CopyInParts(source, destination.AsSpan(0, length + 33), parts);
            Assert.Equal(source, destination[..length]);
            Assert.All(destination[length..], value => Assert.Equal(-7f, value));
        }
    }

    [Fact]
    public void Copies_past_the_threshold_whether_the_workers_sleep_or_spin()
    {
        var source = TestData.Random(ParallelCopy.MinimumFloats * 3 + 5, 32);
        for (int round = 0; round < 12; round++)
        {
            Thread.Sleep(round % 3); // some rounds find the workers asleep (copied here, workers woken), some spinning (split)
            var destination = new float[source.Length];
            ParallelCopy.Copy(source, destination);
            Assert.Equal(source, destination);
        }
    }

    [Fact]
    public void A_first_split_after_copies_on_one_part_allocates_nothing()
    {
        // On a thread of its own: its per-thread work object starts unmade, as on a module's first steps.
        long allocated = -1;
        var thread = new Thread(() =>
        {
            var source = TestData.Random(ParallelCopy.MinimumFloats * 2, 33);
            var destination = new float[source.Length];
            ParallelCopy.CopyInParts(source, destination, 1); // the workers were asleep
            long before = GC.GetAllocatedBytesForCurrentThread();
            ParallelCopy.CopyInParts(source, destination, 2); // now they spin
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        });
        thread.Start();
        thread.Join();
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void A_destination_shorter_than_the_source_is_refused_with_both_lengths()
    {
        var error = Assert.Throws<ArgumentException>(() => ParallelCopy.Copy(new float[20], new float[19]));
        Assert.Contains("holds 19 floats, the source has 20", error.Message);
    }
}

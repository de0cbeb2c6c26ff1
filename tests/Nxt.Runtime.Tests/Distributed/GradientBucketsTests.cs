using Nxt.Distributed;

namespace Nxt.Runtime.Tests.Distributed;

/// <summary>Which gradient ranges a data-parallel job starts summing as the backward pass reports them final.</summary>
public class GradientBucketsTests
{
    [Fact]
    public void A_tail_starts_once_it_reaches_the_smallest_bucket_and_the_rest_is_left_for_the_update()
    {
        var buckets = new GradientBuckets(totalFloats: 1000, minFloats: 100, maxFloats: 300);
        Assert.Equal(0, buckets.Ready(950));                      // 50 final floats: too few to start
        Assert.Equal(1, buckets.Ready(880));                      // 120: one bucket
        Assert.Equal(2, buckets.Ready(400));                      // 480 more, cut into pieces of at most 300
        Assert.Equal(0, buckets.Ready(350));
        Assert.Equal([(880, 120), (580, 300), (400, 180)], buckets.Started.ToArray());
        Assert.Equal(400, buckets.Unstarted);
    }

    [Fact]
    public void Every_float_is_in_one_bucket_or_left_for_the_update_whatever_the_reports()
    {
        var random = new RandomSource(3);
        for (int trial = 0; trial < 200; trial++)
        {
            int total = 1 + (int)(random.NextFloat() * 5000);
            var buckets = new GradientBuckets(total, minFloats: 1 + (int)(random.NextFloat() * 200), maxFloats: 400);
            int from = total;
            while (from > 0)
            {
                from = Math.Max(0, from - (int)(random.NextFloat() * 300));
                buckets.Ready(from);
            }

            Assert.True(buckets.StartedCount <= buckets.Capacity);
            var counts = new int[total];
            for (int i = 0; i < buckets.Unstarted; i++)
            {
                counts[i]++;
            }

            foreach (var (start, count) in buckets.Started)
            {
                Assert.InRange(count, 1, 400);
                for (int i = start; i < start + count; i++)
                {
                    counts[i]++;
                }
            }

            Assert.All(counts, c => Assert.Equal(1, c));
            buckets.Reset();
            Assert.Equal(0, buckets.StartedCount);
        }
    }
}

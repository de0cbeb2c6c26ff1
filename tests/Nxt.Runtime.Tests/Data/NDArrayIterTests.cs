namespace Nxt.Runtime.Tests.Data;

public class NDArrayIterTests
{
    // Ten samples whose single feature is their index, so batches show which samples they hold.
    private static NDArrayIter Iter(int batchSize, LastBatchHandle handle, bool shuffle = false, ulong seed = 0)
    {
        var data = new Tensor(Enumerable.Range(0, 10).Select(i => (float)i).ToArray(), 10, 1);
        var label = new Tensor(Enumerable.Range(0, 10).Select(i => (float)(i % 3)).ToArray(), 10);
        return new NDArrayIter(data, label, batchSize, shuffle, handle, seed);
    }

    private static List<(float[] Samples, int Pad)> Epoch(NDArrayIter iter)
    {
        var batches = new List<(float[], int)>();
        while (iter.MoveNext())
        {
            batches.Add((iter.Current.Data.ToArray(), iter.Current.Pad));
        }

        iter.Reset();
        return batches;
    }

    [Fact]
    public void Pad_fills_the_last_batch_from_the_start_and_records_the_pad()
    {
        var batches = Epoch(Iter(4, LastBatchHandle.Pad));
        Assert.Equal(3, batches.Count);
        Assert.Equal([8f, 9, 0, 1], batches[2].Samples);
        Assert.Equal(2, batches[2].Pad);
        Assert.Equal(0, batches[0].Pad);
    }

    [Fact]
    public void Discard_drops_the_incomplete_batch()
    {
        var batches = Epoch(Iter(4, LastBatchHandle.Discard));
        Assert.Equal(2, batches.Count);
        Assert.Equal([4f, 5, 6, 7], batches[1].Samples);
    }

    [Fact]
    public void RollOver_puts_the_leftover_samples_first_in_the_next_epoch()
    {
        var iter = Iter(4, LastBatchHandle.RollOver);
        var first = Epoch(iter);
        Assert.Equal(2, first.Count);
        var second = Epoch(iter);
        Assert.Equal([8f, 9, 0, 1], second[0].Samples);
        Assert.Equal(3, second.Count); // 2 carried + 10 new = 12 = three full batches
        Assert.All(second, b => Assert.Equal(0, b.Pad));
    }

    [Fact]
    public void Shuffle_is_a_permutation_fixed_by_the_seed_and_new_each_epoch()
    {
        var a = Iter(5, LastBatchHandle.Pad, shuffle: true, seed: 9);
        var b = Iter(5, LastBatchHandle.Pad, shuffle: true, seed: 9);
        var epochA1 = Epoch(a).SelectMany(x => x.Samples).ToArray();
        var epochB1 = Epoch(b).SelectMany(x => x.Samples).ToArray();
        var epochA2 = Epoch(a).SelectMany(x => x.Samples).ToArray();
        Assert.Equal(epochA1, epochB1);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (float)i), epochA1.Order());
        Assert.NotEqual(Enumerable.Range(0, 10).Select(i => (float)i), epochA1);
        Assert.NotEqual(epochA1, epochA2);
    }

    [Fact]
    public void Labels_travel_with_their_samples()
    {
        var iter = Iter(3, LastBatchHandle.Pad, shuffle: true, seed: 4);
        while (iter.MoveNext())
        {
            var data = iter.Current.Data.Span;
            var label = iter.Current.Label!.Span;
            for (int i = 0; i < data.Length; i++)
            {
                Assert.Equal(data[i] % 3, label[i]);
            }
        }
    }

    [Fact]
    public void Mismatched_labels_are_rejected_with_both_shapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => new NDArrayIter(Tensor.Zeros(10, 2), Tensor.Zeros(9), 2));
        Assert.Contains("10 samples", ex.Message);
        Assert.Contains("(9)", ex.Message);
    }
}

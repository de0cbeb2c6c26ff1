namespace Nxt.Runtime.Tests.Reliability;

/// <summary>Careless inputs to the data surface get an error that names what was expected and what came.</summary>
public class CarelessInputTests
{
    [Fact]
    public void A_shape_whose_element_count_wraps_is_refused()
    {
        // 65536^4 is 2^64: a 64-bit product wraps to 0 and used to make a tensor of length 0.
        var ex = Assert.Throws<ArgumentException>(() => new Tensor([], 65536, 65536, 65536, 65536));
        Assert.Contains("(65536,65536,65536,65536)", ex.Message.Replace(" ", string.Empty, StringComparison.Ordinal));
        Assert.Contains("more elements than a tensor can hold", ex.Message);
    }

    [Fact]
    public void A_pad_outside_the_batch_is_refused_with_the_batch_size()
    {
        var data = new Tensor(new float[8], 4, 2);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new DataBatch(data, null, pad: 5));
        Assert.Contains("[0, 4]", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DataBatch(data, null, pad: -1));
        Assert.Equal(4, new DataBatch(data, null, pad: 4).Pad);
    }

    [Fact]
    public void Labels_with_another_row_count_than_the_data_are_refused()
    {
        // A (2,2) label has four values, as many as a batch of four needs, but two rows.
        var data = new Tensor(new float[8], 4, 2);
        var ex = Assert.Throws<ArgumentException>(() => new DataBatch(data, new Tensor(new float[4], 2, 2)));
        Assert.Contains("4 rows", ex.Message);
        Assert.Contains("(2,2)", ex.Message.Replace(" ", string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public void A_batch_size_past_one_array_is_refused()
    {
        var data = new Tensor(new float[20], 10, 2);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new NDArrayIter(data, null, int.MaxValue));
        Assert.Contains("more than one array can hold", ex.Message);
    }

    [Fact]
    public void Roll_over_with_a_batch_larger_than_the_data_is_refused_instead_of_training_nothing()
    {
        var data = new Tensor(new float[20], 10, 2);
        var ex = Assert.Throws<ArgumentException>(() => new NDArrayIter(data, null, 16, lastBatchHandle: LastBatchHandle.RollOver));
        Assert.Contains("first epoch without a batch", ex.Message);
        Assert.Equal(16, new NDArrayIter(data, null, 16).BatchSize); // padding still works
    }
}

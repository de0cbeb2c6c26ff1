using Nxt.Runtime.Tests.Networks;

namespace Nxt.Runtime.Tests.Reliability;

public class NumericGuardTests
{
    [Fact]
    public void A_NaN_in_the_data_is_reported_at_the_data_node_and_its_batch()
    {
        var data = TestData.Random(40 * 6, 1);
        data[(13 * 6) + 2] = float.NaN; // sample 13: batch 3 of batch size 4
        var iter = new NDArrayIter(new Tensor(data, 40, 6), new Tensor(new float[40], 40), 4);
        using var net = new TinyMlp { CheckInputs = false }; // the guard's own report, past the input check
        var ex = Assert.Throws<NumericInstabilityException>(() =>
            net.Fit(iter, numEpoch: 1, optimizer: new Sgd(0.1f), log: TextWriter.Null, numericGuard: true));
        Assert.Equal("node 'data'", ex.Location);
        Assert.Equal("forward", ex.Pass);
        Assert.Equal((0, 3), (ex.Epoch, ex.Batch));
        Assert.Contains("NaN", ex.Message);
    }

    // A relu network: with tanh or sigmoid fused into the GEMM, an overflowing pre-activation
    // is never stored, and the saturated output the guard sees stays finite.
    [Fact]
    public void An_exploding_learning_rate_stops_training_with_the_place_and_step()
    {
        var iter = new NDArrayIter(new Tensor(TestData.Random(64 * 6, 2, 50f), 64, 6), new Tensor(Enumerable.Range(0, 64).Select(i => (float)(i % 3)).ToArray(), 64), 8);
        using var net = new ReluMlp();
        var ex = Assert.Throws<NumericInstabilityException>(() =>
            net.Fit(iter, numEpoch: 50, optimizer: new Sgd(1e38f), initializer: new Uniform(1f), log: TextWriter.Null, numericGuard: true));
        Assert.True(ex.Location.Length > 0);
        Assert.True(ex.Epoch < 50);
    }

    [Fact]
    public void An_infinite_input_is_refused_before_the_forward_pass()
    {
        var data = TestData.Random(8 * 6, 3);
        data[13] = float.PositiveInfinity; // sample 2, element 1
        var iter = new NDArrayIter(new Tensor(data, 8, 6), new Tensor(new float[8], 8), 4);
        using var net = new TinyMlp();
        var ex = Assert.Throws<ArgumentException>(() => net.Fit(iter, numEpoch: 1, optimizer: new Sgd(0.1f), log: TextWriter.Null));
        Assert.Contains("sample 2, element 1", ex.Message);
        Assert.Contains("CheckInputs", ex.Message);
    }

    [Fact]
    public void Without_the_guard_and_the_input_check_a_diverging_run_still_stops()
    {
        // With the input check off, one infinite value reaches the network: the loss's output
        // becomes NaN, and Fit stops there instead of reporting accuracy over NaN parameters.
        var data = TestData.Random(8 * 6, 3);
        data[0] = float.PositiveInfinity;
        var iter = new NDArrayIter(new Tensor(data, 8, 6), new Tensor(new float[8], 8), 4);
        using var net = new TinyMlp { CheckInputs = false };
        var ex = Assert.Throws<NumericInstabilityException>(() => net.Fit(iter, numEpoch: 1, optimizer: new Sgd(0.1f), log: TextWriter.Null));
        Assert.Equal("forward", ex.Pass);
        Assert.InRange(ex.Batch, 0, 1); // at the forward pass that sees it, or the next one, after the update spread it
    }

    [Fact]
    public void Without_the_guard_parameters_that_blow_up_stop_the_run()
    {
        var iter = new NDArrayIter(new Tensor(TestData.Random(64 * 6, 4), 64, 6), new Tensor(Enumerable.Range(0, 64).Select(i => (float)(i % 3)).ToArray(), 64), 8);
        using var net = new TinyMlp();
        var ex = Assert.Throws<NumericInstabilityException>(() => net.Fit(iter, numEpoch: 3, optimizer: new Sgd(3e38f), log: TextWriter.Null));
        Assert.Contains("softmax_output", ex.Location);
    }
}

/// <summary>An MLP whose activation passes an overflow on.</summary>
[Network]
public partial class ReluMlp
{
    [Input(6)]                 Tensor data;
    [FullyConnected(8)]        Tensor fc1;
    [Activation(Act.Relu)]     Tensor relu1;
    [FullyConnected(3)]        Tensor fc2;
    [SoftmaxOutput]            Tensor softmax;
}

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
        using var net = new TinyMlp();
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
    public void Without_the_guard_training_runs_on()
    {
        var data = TestData.Random(8 * 6, 3);
        data[0] = float.PositiveInfinity;
        var iter = new NDArrayIter(new Tensor(data, 8, 6), new Tensor(new float[8], 8), 4);
        using var net = new TinyMlp();
        var history = net.Fit(iter, numEpoch: 1, optimizer: new Sgd(0.1f), log: TextWriter.Null);
        Assert.Single(history);

        // What the guard is for: one infinite input value spreads into the parameters unnoticed.
        var (args, _) = net.GetParams();
        Assert.Contains(args["fc1_weight"].ToArray(), v => !float.IsFinite(v));
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

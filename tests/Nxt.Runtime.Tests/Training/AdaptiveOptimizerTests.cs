using Nxt.Runtime.Tests.Networks;

namespace Nxt.Runtime.Tests.Training;

/// <summary>Each optimizer's update against a step computed by hand from MXNet's formulas.</summary>
public class AdaptiveOptimizerTests
{
    [Fact]
    public void Nesterov_momentum()
    {
        var sgd = new Sgd(0.1f, momentum: 0.9f, nesterov: true);
        float[] w = [1f], m = new float[1];
        sgd.Update(w, [2f], m, 0.1f, 0);          // m = 2; w -= 0.1·(2 + 0.9·2)
        Assert.Equal(2f, m[0], 6);
        Assert.Equal(1f - (0.1f * 3.8f), w[0], 6);
        sgd.Update(w, [1f], m, 0.1f, 0);          // m = 0.9·2 + 1 = 2.8; w -= 0.1·(1 + 0.9·2.8)
        Assert.Equal(2.8f, m[0], 5);
        Assert.Equal(1f - 0.38f - (0.1f * 3.52f), w[0], 5);
    }

    [Fact]
    public void Adam_first_two_steps_with_bias_correction()
    {
        var adam = new Adam(0.01f, weightDecay: 0.1f);
        float[] w = [1f];
        var state = new float[adam.StateLength(1)];
        adam.BeginUpdate();
        adam.Update(w, [0.5f], state, 0.01f, 0.1f);
        // g = 0.5 + 0.1·1 = 0.6; m = 0.06; v = 0.00036; step = 0.01·√(0.001)/0.1
        double m = 0.06, v = 0.00036, step = 0.01 * Math.Sqrt(1 - 0.999) / (1 - 0.9);
        double expected = 1 - (step * m / (Math.Sqrt(v) + 1e-8));
        Assert.Equal(expected, w[0], 5);
        adam.BeginUpdate();
        double g2 = 0.5 + (0.1 * expected);
        m = (0.9 * m) + (0.1 * g2);
        v = (0.999 * v) + (0.001 * g2 * g2);
        step = 0.01 * Math.Sqrt(1 - (0.999 * 0.999)) / (1 - (0.9 * 0.9));
        expected -= step * m / (Math.Sqrt(v) + 1e-8);
        adam.Update(w, [0.5f], state, 0.01f, 0.1f);
        Assert.Equal(expected, w[0], 5);
    }

    [Fact]
    public void AdamW_decays_the_weight_outside_the_moments()
    {
        var adamW = new AdamW(0.01f, weightDecay: 0.1f);
        float[] w = [1f];
        var state = new float[adamW.StateLength(1)];
        adamW.BeginUpdate();
        adamW.Update(w, [0.5f], state, 0.01f, 0.1f);
        double m = 0.05, v = 0.00025, step = 0.01 * Math.Sqrt(0.001) / 0.1;
        Assert.Equal(1 - ((step * m / (Math.Sqrt(v) + 1e-8)) + (0.01 * 0.1 * 1)), w[0], 5);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RmsProp_plain_and_centered(bool centered)
    {
        var rms = new RmsProp(0.01f, centered: centered);
        float[] w = [1f];
        var state = new float[rms.StateLength(1)];
        rms.Update(w, [2f], state, 0.01f, 0);
        double n = 0.1 * 4;
        double expected = centered
            ? 1 - (0.01 * 2 / Math.Sqrt(n - (0.2 * 0.2) + 1e-8))   // ḡ = 0.2, δ = -lr·g/√(n - ḡ² + ε)
            : 1 - (0.01 * 2 / Math.Sqrt(n + 1e-8));
        Assert.Equal(expected, w[0], 5);
    }

    [Fact]
    public void AdaGrad_accumulates_squared_gradients()
    {
        var ada = new AdaGrad(0.1f);
        float[] w = [1f], h = new float[1];
        ada.Update(w, [2f], h, 0.1f, 0);
        ada.Update(w, [1f], h, 0.1f, 0);
        Assert.Equal(5f, h[0], 6);
        Assert.Equal(1 - (0.1 * 2 / (2 + 1e-7)) - (0.1 * 1 / (Math.Sqrt(5) + 1e-7)), w[0], 5);
    }

    [Fact]
    public void AdaDelta_needs_no_learning_rate()
    {
        var ada = new AdaDelta();
        float[] w = [1f];
        var state = new float[ada.StateLength(1)];
        ada.Update(w, [2f], state, 1f, 0);
        double squares = 0.1 * 4, delta = Math.Sqrt(1e-5) / Math.Sqrt(squares + 1e-5) * 2;
        Assert.Equal(1 - delta, w[0], 5);
        Assert.Equal(0.1 * delta * delta, state[1], 7);
    }

    [Fact]
    public void Module_applies_multipliers_and_counts_updates_for_the_schedule()
    {
        using var net = new TinyMlp { Seed = 1 };
        net.Bind(2);
        net.InitParams(new Uniform(0.5f));
        var sgd = new Sgd(0.1f) { Schedule = new FactorSchedule(step: 1, factor: 0.5f) };
        sgd.LearningRateMultipliers["fc1_weight"] = 0f; // frozen by its learning rate
        net.InitOptimizer(sgd);
        var before = net.GetParams().ArgParams;
        var batch = new DataBatch(new Tensor(TestData.Random(12, 2), 2, 6), new Tensor([0f, 1], 2));
        net.ForwardBackward(batch);
        net.Update();
        net.ForwardBackward(batch);
        net.Update();
        Assert.Equal(2, sgd.UpdateCount);
        Assert.Equal(0.05f, sgd.CurrentLearningRate, 6);
        Assert.Equal(before["fc1_weight"].ToArray(), net.GetParams().ArgParams["fc1_weight"].ToArray());
        Assert.NotEqual(before["fc2_weight"].ToArray(), net.GetParams().ArgParams["fc2_weight"].ToArray());
    }

    [Fact]
    public void Every_optimizer_trains_a_small_network()
    {
        foreach (var optimizer in new Optimizer[] { new Sgd(0.1f, 0.9f, nesterov: true), new Adam(0.01f), new AdamW(0.01f), new RmsProp(0.01f), new RmsProp(0.01f, centered: true), new AdaGrad(0.1f), new AdaDelta() })
        {
            var labels = Enumerable.Range(0, 64).Select(i => (float)(i % 3)).ToArray();
            var data = new float[64 * 6];
            for (int i = 0; i < 64; i++)
            {
                data[(i * 6) + (int)labels[i]] = 3f; // the label is written into the features
            }

            using var net = new TinyMlp { Seed = 2 };
            var history = net.Fit(new NDArrayIter(new Tensor(data, 64, 6), new Tensor(labels, 64), 16, shuffle: true), numEpoch: 40, optimizer: optimizer, initializer: new Xavier(), log: TextWriter.Null);
            Assert.True(history[^1].TrainMetric > 0.95, $"{optimizer.GetType().Name}: training accuracy {history[^1].TrainMetric}");
        }
    }
}

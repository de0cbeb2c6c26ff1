namespace Nxt.Runtime.Tests.Training;

public class OptimizerTests
{
    [Fact]
    public void Sgd_without_momentum_steps_against_the_rescaled_gradient_plus_decay()
    {
        var sgd = new Sgd(learningRate: 0.1f, weightDecay: 0.01f) { RescaleGrad = 0.5f };
        float[] w = [1f, -2f];
        sgd.Update(w, [4f, 2f], [], sgd.LearningRate, weightDecay: 0.01f);
        // w -= lr * (rescale*g + wd*w)
        Assert.Equal(1f - (0.1f * ((0.5f * 4f) + (0.01f * 1f))), w[0], 6);
        Assert.Equal(-2f - (0.1f * ((0.5f * 2f) + (0.01f * -2f))), w[1], 6);
    }

    [Fact]
    public void Sgd_momentum_keeps_a_velocity()
    {
        var sgd = new Sgd(learningRate: 0.1f, momentum: 0.9f);
        float[] w = [1f], m = new float[sgd.StateLength(1)];
        sgd.Update(w, [1f], m, sgd.LearningRate, 0);
        Assert.Equal(-0.1f, m[0], 6);
        Assert.Equal(0.9f, w[0], 6);
        sgd.Update(w, [1f], m, sgd.LearningRate, 0);
        Assert.Equal((0.9f * -0.1f) - 0.1f, m[0], 6);
        Assert.Equal(0.9f + ((0.9f * -0.1f) - 0.1f), w[0], 6);
    }

    [Fact]
    public void Decaying_states_end_at_zero_rather_than_in_the_subnormal_range()
    {
        // 37 floats: vectorised elements and a tail. With the gradient gone, a velocity of 1e-3
        // decays by 0.9 a step and would cross float's subnormal range (below 1.2e-38) near
        // step 800; Adam's second moment (0.999 a step) would get there after some 53,000 steps.
        foreach (var optimizer in new Optimizer[] { new Sgd(0.1f, momentum: 0.9f), new Sgd(0.1f, momentum: 0.9f, nesterov: true), new Adam(0.01f) })
        {
            var w = Enumerable.Repeat(1f, 37).ToArray();
            var state = new float[optimizer.StateLength(w.Length)];
            var g = Enumerable.Repeat(0.01f, 37).ToArray();
            optimizer.BeginUpdate();
            optimizer.Update(w, g, state, optimizer.LearningRate, 0f);
            Assert.Contains(state, s => s != 0f);
            var zero = new float[37];
            for (int step = 0; step < 60_000; step++)
            {
                optimizer.BeginUpdate();
                optimizer.Update(w, zero, state, optimizer.LearningRate, 0f);
                Assert.DoesNotContain(state, float.IsSubnormal);
            }

            Assert.All(state, s => Assert.Equal(0f, s));
        }
    }

    [Fact]
    public void Clipping_bounds_each_rescaled_gradient_element()
    {
        var sgd = new Sgd(learningRate: 1f) { ClipGradient = 0.5f };
        float[] w = [0f, 0f, 0f];
        sgd.Update(w, [3f, -3f, 0.25f], [], sgd.LearningRate, 0);
        Assert.Equal([-0.5f, 0.5f, -0.25f], w);
    }

    [Fact]
    public void Vectorised_and_tail_elements_update_alike()
    {
        var sgd = new Sgd(learningRate: 0.05f, momentum: 0.5f) { RescaleGrad = 0.25f };
        var w = TestData.Random(37, 1);
        var g = TestData.Random(37, 2);
        var expected = w.Select((v, i) => v + (-0.05f * (0.25f * g[i]))).ToArray();
        sgd.Update(w, g, new float[37], sgd.LearningRate, 0);
        TestData.AssertClose(expected, w, 1e-6, 1e-6, "SGD first step");
    }

    [Fact]
    public void Weight_decay_applies_to_weights_and_gammas_only_as_in_MXNet()
    {
        var sgd = new Sgd();
        Assert.Equal(1f, sgd.WeightDecayMultiplier("fc1_weight"));
        Assert.Equal(1f, sgd.WeightDecayMultiplier("bn1_gamma"));
        Assert.Equal(0f, sgd.WeightDecayMultiplier("fc1_bias"));
        Assert.Equal(0f, sgd.WeightDecayMultiplier("bn1_beta"));
        sgd.WeightDecayMultipliers["fc1_bias"] = 0.5f;
        sgd.LearningRateMultipliers["fc1_weight"] = 0.1f;
        Assert.Equal(0.5f, sgd.WeightDecayMultiplier("fc1_bias"));
        Assert.Equal(0.1f, sgd.LearningRateMultiplier("fc1_weight"));
    }

    [Fact]
    public void Invalid_settings_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(learningRate: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(momentum: 1f));
    }

    [Fact]
    public void Initializers_follow_MXNet_naming_rules_and_scales()
    {
        var random = new RandomSource(1);
        var weight = new float[400];
        new Uniform(0.01f).Initialize("fc1_weight", weight, [20, 20], random);
        Assert.All(weight, v => Assert.InRange(v, -0.01f, 0.01f));
        Assert.True(weight.Distinct().Count() > 300);

        var bias = Enumerable.Repeat(5f, 4).ToArray();
        new Uniform().Initialize("fc1_bias", bias, [4], random);
        Assert.All(bias, v => Assert.Equal(0f, v));
        var gamma = new float[4];
        new Xavier().Initialize("bn_gamma", gamma, [4], random);
        Assert.All(gamma, v => Assert.Equal(1f, v));

        // Xavier uniform, avg: scale = sqrt(3 / ((fan_in + fan_out) / 2)) = sqrt(3 / 150)
        var xavier = new float[100 * 200];
        new Xavier().Initialize("w_weight", xavier, [100, 200], random);
        float scale = MathF.Sqrt(3f / 150f);
        Assert.All(xavier, v => Assert.InRange(v, -scale, scale));
        Assert.InRange(xavier.Max(), 0.95f * scale, scale);

        var normal = new float[20000];
        new Normal(0.5f).Initialize("w_weight", normal, [100, 200], random);
        double std = Math.Sqrt(normal.Select(v => (double)v * v).Average());
        Assert.InRange(std, 0.48, 0.52);
    }
}

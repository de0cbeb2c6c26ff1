namespace Nxt.Runtime.Tests.Networks;

public class HeadTests
{
    private const int Batch = 3;

    private static DataBatch Batch5(Tensor? label) => new(new Tensor(TestData.Random(Batch * 5, 60), Batch, 5), label);

    private static T Bound<T>(T net)
        where T : Module
    {
        net.Seed = 4;
        net.Bind(Batch);
        net.InitParams(new Uniform(0.5f));
        return net;
    }

    [Fact]
    public void Linear_regression_gradient_is_that_of_the_scaled_squared_error()
    {
        var label = new Tensor(TestData.Random(Batch * 3, 61), Batch, 3);
        Assert.Equal(["data", "fc_weight", "fc_bias", "output_label"], RegressionNet.ArgumentNames);
        Assert.Equal([Batch, 3], RegressionNet.InferShape(Batch)["output_label"]);
        GradientCheck.AllParameters(Bound(new RegressionNet()), Batch5(label), (outputs, b) =>
            2.0 / 3 * 0.5 * outputs[0].ToArray().Select((o, i) => Math.Pow(o - b.Label!.Span[i], 2)).Sum());
    }

    [Fact]
    public void Logistic_regression_gradient_is_that_of_binary_cross_entropy()
    {
        var label = new Tensor(TestData.Random(Batch * 3, 62).Select(v => (v + 1) / 2).ToArray(), Batch, 3);
        GradientCheck.AllParameters(Bound(new LogisticNet()), Batch5(label), (outputs, b) =>
            -1.0 / 3 * outputs[0].ToArray().Select((p, i) => (b.Label!.Span[i] * Math.Log(p)) + ((1 - b.Label!.Span[i]) * Math.Log(1 - p))).Sum());
    }

    [Fact]
    public void MakeLoss_minimises_its_input_scaled_by_grad_scale()
    {
        Assert.DoesNotContain(MakeLossNet.ArgumentNames, n => n.EndsWith("_label", StringComparison.Ordinal));
        GradientCheck.AllParameters(Bound(new MakeLossNet()), Batch5(null), (outputs, _) => 0.5 * outputs[0].ToArray().Sum());
    }

    [Fact]
    public void Ignored_labels_get_no_gradient_and_valid_normalisation_divides_by_the_rest()
    {
        var label = new Tensor([0f, 1f, 2f], Batch); // row 1 is ignored: 2 valid rows
        GradientCheck.AllParameters(Bound(new IgnoreNet()), Batch5(label), (outputs, b) =>
        {
            var p = outputs[0].Span;
            return -3.0 / 2 * (Math.Log(p[0]) + Math.Log(p[(2 * 3) + 2]));
        });
    }

    [Fact]
    public void BlockGrad_stops_the_gradient_of_everything_above_it()
    {
        using var net = Bound(new BlockGradNet());
        GradientCheck.AllParameters(net, Batch5(new Tensor([0f, 1, 2], Batch)), (outputs, b) => GradientCheck.CrossEntropy(outputs, b), only: ["head_weight", "head_bias"]);
        // The frozen layer does change the loss, but BlockGrad sends it no gradient.
        Assert.All(net.GetGradient("frozen_weight").ToArray(), g => Assert.Equal(0f, g));
        Assert.Contains(net.GetGradient("head_weight").ToArray(), g => g != 0f);
    }

    [Fact]
    public void An_inference_only_network_predicts_but_refuses_to_train()
    {
        Assert.Equal(["data", "fc_weight", "fc_bias"], InferenceNet.ArgumentNames);
        Assert.Equal(["probabilities_output"], InferenceNet.OutputNames);
        using var net = new InferenceNet();
        var ex = Assert.Throws<InvalidOperationException>(() => net.Bind(4));
        Assert.Contains("inference graph", ex.Message);
        net.Bind(4, forTraining: false);
        net.InitParams(new Xavier());
        var probabilities = net.Predict(new Tensor(TestData.Random(20, 63), 4, 5));
        for (int r = 0; r < 4; r++)
        {
            Assert.Equal(1.0, probabilities.Span.Slice(r * 3, 3).ToArray().Sum(), 5);
        }
    }

    [Fact]
    public void Marked_nodes_are_extra_outputs_after_the_loss()
    {
        Assert.Equal(["softmax_output", "features_output"], GroupNet.OutputNames);
        using var net = Bound(new GroupNet());
        net.Forward(Batch5(new Tensor([0f, 1, 2], Batch)));
        var outputs = net.GetOutputs();
        Assert.Equal(2, outputs.Count);
        Assert.Equal([Batch, 4], outputs[1].Shape.ToArray());
    }
}

using Nxt.Runtime.Tests.Networks;

namespace Nxt.Runtime.Tests.Training;

/// <summary>Per-parameter gradient requirements: freezing layers for fine-tuning.</summary>
public class FreezeTests
{
    private static DataBatch Batch() => new(new Tensor(TestData.Random(4 * 6, 1), 4, 6), new Tensor([0f, 1, 2, 1], 4));

    private static TinyMlp Bound(IReadOnlyDictionary<string, GradReq>? reqs)
    {
        var net = new TinyMlp { Seed = 9 };
        net.Bind(4, gradReqs: reqs);
        net.InitParams(new Uniform(0.5f));
        net.InitOptimizer(new Sgd(0.5f));
        return net;
    }

    [Fact]
    public void Frozen_layers_get_no_gradient_and_no_update_and_the_rest_is_unchanged()
    {
        using var all = Bound(null);
        using var frozen = Bound(new Dictionary<string, GradReq> { ["fc1_weight"] = GradReq.Null, ["fc1_bias"] = GradReq.Null, ["fc2_weight"] = GradReq.Null, ["fc2_bias"] = GradReq.Null });
        var before = frozen.GetParams().ArgParams;
        all.ForwardBackward(Batch());
        frozen.ForwardBackward(Batch());
        frozen.Update();

        Assert.Equal(all.GetGradient("fc3_weight").ToArray(), frozen.GetGradient("fc3_weight").ToArray());
        Assert.All(frozen.GetGradient("fc1_weight").ToArray(), g => Assert.Equal(0f, g));
        Assert.All(frozen.GetGradient("fc2_bias").ToArray(), g => Assert.Equal(0f, g));
        var after = frozen.GetParams().ArgParams;
        Assert.Equal(before["fc1_weight"].ToArray(), after["fc1_weight"].ToArray());
        Assert.NotEqual(before["fc3_weight"].ToArray(), after["fc3_weight"].ToArray());
        Assert.Equal([GradReq.Null, GradReq.Null, GradReq.Null, GradReq.Null, GradReq.Write, GradReq.Write], frozen.ParameterGradReqs);
    }

    [Fact]
    public void A_frozen_middle_layer_still_passes_the_gradient_to_the_layers_below()
    {
        using var all = Bound(null);
        using var frozen = Bound(new Dictionary<string, GradReq> { ["fc2_weight"] = GradReq.Null });
        all.ForwardBackward(Batch());
        frozen.ForwardBackward(Batch());
        Assert.Equal(all.GetGradient("fc1_weight").ToArray(), frozen.GetGradient("fc1_weight").ToArray());
        Assert.All(frozen.GetGradient("fc2_weight").ToArray(), g => Assert.Equal(0f, g));
    }

    [Fact]
    public void Add_and_write_can_be_mixed_per_parameter()
    {
        using var net = Bound(new Dictionary<string, GradReq> { ["fc3_bias"] = GradReq.Add });
        net.ForwardBackward(Batch());
        var bias = net.GetGradient("fc3_bias").ToArray();
        var weight = net.GetGradient("fc3_weight").ToArray();
        net.ForwardBackward(Batch());
        TestData.AssertClose(bias.Select(g => 2 * g).ToArray(), net.GetGradient("fc3_bias").Span, 1e-6, 1e-5, "accumulated bias");
        Assert.Equal(weight, net.GetGradient("fc3_weight").ToArray());
    }

    [Fact]
    public void An_unknown_parameter_name_is_rejected_with_the_known_ones()
    {
        using var net = new TinyMlp();
        var ex = Assert.Throws<ArgumentException>(() => net.Bind(4, gradReqs: new Dictionary<string, GradReq> { ["fc9_weight"] = GradReq.Null }));
        Assert.Contains("fc9_weight", ex.Message);
        Assert.Contains("fc1_weight", ex.Message);
    }

    [Fact]
    public void Fit_keeps_the_layers_frozen_when_it_binds_again()
    {
        using var net = new TinyMlp { Seed = 2 };
        net.Bind(2, gradReqs: new Dictionary<string, GradReq> { ["fc1_weight"] = GradReq.Null });
        net.InitParams(new Uniform(0.5f));
        var before = net.GetParams().ArgParams["fc1_weight"].ToArray();
        var data = new NDArrayIter(new Tensor(TestData.Random(8 * 6, 3), 8, 6), new Tensor([0f, 1, 2, 0, 1, 2, 0, 1], 8), batchSize: 4);
        net.Fit(data, numEpoch: 2, optimizer: new Sgd(0.5f), log: TextWriter.Null);
        Assert.Equal(before, net.GetParams().ArgParams["fc1_weight"].ToArray());
    }
}

using Nxt.Runtime.Tests.Networks;

namespace Nxt.Runtime.Tests.Training;

public class ModuleErrorTests
{
    private static DataBatch Batch(int rows, int features = 6) =>
        new(new Tensor(TestData.Random(rows * features, 1), rows, features), new Tensor(new float[rows], rows));

    [Fact]
    public void Forward_before_Bind_says_to_bind()
    {
        using var net = new TinyMlp();
        var ex = Assert.Throws<InvalidOperationException>(() => net.Forward(Batch(2)));
        Assert.Contains("Bind", ex.Message);
    }

    [Fact]
    public void Forward_before_InitParams_says_how_to_initialise()
    {
        using var net = new TinyMlp();
        net.Bind(2);
        var ex = Assert.Throws<InvalidOperationException>(() => net.Forward(Batch(2)));
        Assert.Contains("InitParams", ex.Message);
    }

    [Fact]
    public void A_batch_of_the_wrong_shape_names_both_shapes()
    {
        using var net = new TinyMlp();
        net.Bind(2);
        net.InitParams();
        var ex = Assert.Throws<ArgumentException>(() => net.Forward(Batch(3)));
        Assert.Contains("(2,6)", ex.Message);
        Assert.Contains("(3,6)", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => net.Forward(Batch(2, features: 5)));
        Assert.Contains("(2,5)", ex.Message);
    }

    [Fact]
    public void A_label_outside_the_classes_is_rejected_with_its_row()
    {
        using var net = new TinyMlp();
        net.Bind(2);
        net.InitParams();
        var batch = new DataBatch(new Tensor(new float[12], 2, 6), new Tensor([1f, 3f], 2));
        var ex = Assert.Throws<ArgumentException>(() => net.Forward(batch));
        Assert.Contains("sample 1", ex.Message);
        Assert.Contains("0..2", ex.Message);
    }

    [Fact]
    public void Update_before_InitOptimizer_and_Backward_without_training_forward_fail_clearly()
    {
        using var net = new TinyMlp();
        net.Bind(2);
        net.InitParams();
        Assert.Contains("InitOptimizer", Assert.Throws<InvalidOperationException>(() => net.Update()).Message);
        net.Forward(Batch(2), isTrain: false);
        Assert.Contains("isTrain: true", Assert.Throws<InvalidOperationException>(() => net.Backward()).Message);
    }

    [Fact]
    public void A_disposed_module_refuses_work()
    {
        var net = new TinyMlp();
        net.Bind(2);
        net.Dispose();
        Assert.Throws<ObjectDisposedException>(() => net.Bind(2));
    }

    [Fact]
    public void Frozen_parameters_are_neither_computed_nor_updated()
    {
        using var net = new TinyMlp { Seed = 5 };
        net.Bind(2, gradReq: GradReq.Null);
        net.InitParams();
        net.InitOptimizer(new Sgd(0.5f));
        var before = net.GetParams().ArgParams["fc1_weight"].ToArray();
        net.ForwardBackward(Batch(2));
        net.Update();
        Assert.Equal(before, net.GetParams().ArgParams["fc1_weight"].ToArray());
        Assert.All(net.GetGradient("fc1_weight").ToArray(), g => Assert.Equal(0f, g));
    }

    [Fact]
    public void GradReq_Add_accumulates_over_backward_passes()
    {
        using var net = new TinyMlp { Seed = 5 };
        net.Bind(2, gradReq: GradReq.Add);
        net.InitParams();
        net.ForwardBackward(Batch(2));
        var once = net.GetGradient("fc2_weight").ToArray();
        net.ForwardBackward(Batch(2));
        TestData.AssertClose(once.Select(g => 2 * g).ToArray(), net.GetGradient("fc2_weight").Span, 1e-6, 1e-5, "accumulated gradient");
    }
}

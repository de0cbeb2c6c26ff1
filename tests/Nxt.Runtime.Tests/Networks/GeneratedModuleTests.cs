using Nxt.Cpu;
using Nxt.Kernels;

namespace Nxt.Runtime.Tests.Networks;

public class GeneratedModuleTests
{
    [Fact]
    public void ArgumentNames_follow_MXNet_order()
    {
        Assert.Equal(["data", "fc1_weight", "fc1_bias", "fc2_weight", "fc2_bias", "fc3_weight", "fc3_bias", "softmax_label"], TinyMlp.ArgumentNames);
        Assert.Equal(["softmax_output"], TinyMlp.OutputNames);
        Assert.Empty(TinyMlp.AuxiliaryStateNames);
        Assert.Equal(["data", "proj_weight", "proj_bias", "head_weight", "softmax_label"], ShapedNet.ArgumentNames);
    }

    [Fact]
    public void InferShape_gives_every_shape_for_a_batch_size()
    {
        var shapes = ShapedNet.InferShape(7);
        Assert.Equal([7, 3, 4], shapes["data"]);
        Assert.Equal([5, 4], shapes["proj_weight"]);
        Assert.Equal([3, 15], shapes["head_weight"]);
        Assert.Equal([7], shapes["softmax_label"]);
        Assert.Equal([7, 3], shapes["softmax_output"]);
        Assert.Throws<ArgumentOutOfRangeException>(() => ShapedNet.InferShape(0));
    }

    [Fact]
    public void Node_fields_are_live_views_of_the_bound_buffers()
    {
        using var net = new ExposedTinyMlp();
        net.Bind(2, forTraining: false);
        net.InitParams();
        var data = new Tensor(TestData.Random(12, 1), 2, 6);
        net.Forward(new DataBatch(data, null));
        Assert.Equal([2, 5], net.Fc1.Shape.ToArray());
        Assert.Equal(data.ToArray(), net.Data.ToArray());
        Assert.Equal(net.GetOutputs()[0].ToArray(), net.Softmax.ToArray());
        Assert.Equal(net.Fc1.ToArray().Select(MathF.Tanh).ToArray(), net.Tanh1.ToArray());
    }

    [Fact]
    public void A_node_fused_away_has_a_shape_and_says_why_it_cannot_be_read()
    {
        using var net = new TinyMlp();
        net.Bind(2);
        net.InitParams();
        net.Forward(new DataBatch(new Tensor(TestData.Random(12, 1), 2, 6), new Tensor(new float[2], 2)));
        var fc1 = net.GetType().GetField("fc1", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(net) as Tensor;
        Assert.Equal([2, 5], fc1!.Shape.ToArray());
        var ex = Assert.Throws<InvalidOperationException>(() => fc1.ToArray());
        Assert.Equal("fc1 is fused into the kernel 'fc1 + tanh1' and never stored: mark it [Output] to keep it, or declare the network [Network(Fuse = false)]", ex.Message);
    }

    [Fact]
    public void Summary_and_json_describe_the_network()
    {
        string summary = TinyMlp.Summary();
        Assert.Contains("fc1 (FullyConnected)", summary);
        Assert.Contains("(N,5)", summary);
        Assert.Contains($"Total params: {TinyMlp.ParameterCount}", summary);
        Assert.Equal((6 * 5) + 5 + (5 * 4) + 4 + (4 * 3) + 3, TinyMlp.ParameterCount);
        string json = TinyMlp.ToJson();
        Assert.Contains("\"op\": \"FullyConnected\"", json);
        Assert.Contains("\"act_type\": \"tanh\"", json);
        Assert.Contains("\"name\": \"softmax_label\"", json);
    }

    [Fact]
    public void Memory_plan_shares_views_and_skips_gradients_no_parameter_needs()
    {
        // ShapedNet forward: data 12, proj 15, flat (view), act 15, drop 15 + mask 15, head 3, softmax 3;
        // softrelu's backward reads its input, so proj stays; nothing reads act after the dropout,
        // which writes in place of it.
        Assert.Equal(12 + 15 + 15 + 15 + 3 + 3, ShapedNet.ActivationFloatsPerSample);
        // Backward: proj 15 (flat shares it), act 15, drop 15, head 3, none for data or the loss
        // output; drop's gradient is dead before proj's is written, and head's before act's.
        Assert.Equal(15 + 15, ShapedNet.GradientFloatsPerSample);
        // One buffer per value (views and the mask included) and per gradient (flat's too).
        Assert.Equal((12 + 15 + 15 + 15 + 15 + 15 + 3 + 3 + (15 + 15 + 15 + 15 + 3)) * 4, ShapedNet.NaiveBytesPerSample);
        Assert.Equal((ShapedNet.ActivationFloatsPerSample + ShapedNet.GradientFloatsPerSample) * 4, ShapedNet.PlannedBytesPerSample);
    }
}

/// <summary>A network whose node fields a test can read: fc1 is an output, so it is stored, not fused.</summary>
[Network]
public partial class ExposedTinyMlp
{
    [Input(6)]                 Tensor data;
    [FullyConnected(5), Output] Tensor fc1;
    [Activation(Act.Tanh)]     Tensor tanh1;
    [FullyConnected(3)]        Tensor fc2;
    [SoftmaxOutput]            Tensor softmax;

    public Tensor Data => data;
    public Tensor Fc1 => fc1;
    public Tensor Tanh1 => tanh1;
    public Tensor Softmax => softmax;
}

public class WorkspacePlanTests
{
    [Fact]
    public void The_planned_workspace_per_thread_is_what_each_convolution_needs()
    {
        // TinyInception's convolutions: 'down' (6 filters 3x3 over the 6 joined channels, stride 2, 7x7 -> 3x3) and 'branch2' (2 filters over 4 channels in 2 groups).
        var down = new ConvGeometry(6, 7, 7, 6, 3, 3, 2, 2, 0, 0, 1, 1, 1, 3, 3);
        var branch2 = new ConvGeometry(4, 7, 7, 2, 3, 3, 1, 1, 1, 1, 1, 1, 2, 7, 7);
        int planned = TinyInception.WorkspaceFloatsPerThread;
        Assert.Equal(Math.Max(ConvolutionKernels.WorkspacePerThread(down), ConvolutionKernels.WorkspacePerThread(branch2)), planned);
    }
}

public class DotTests
{
    [Fact]
    public void ToDot_has_a_box_per_node_and_an_edge_per_input()
    {
        string dot = TinyResidual.ToDot();
        Assert.StartsWith("digraph TinyResidual {", dot);
        Assert.Contains("\"conv1\" [label=\"conv1\\nConvolution(kernel=(3, 3), num_filter=3, pad=(1, 1))\\n(N,3,6,6)\"", dot);
        Assert.Contains("\"relu1\" -> \"sum\";", dot);
        Assert.Contains("\"conv2\" -> \"sum\";", dot);
        Assert.Equal(9, dot.Split(" -> ").Length - 1); // 8 edges along the chain of 9 nodes, and the skip into sum
        Assert.EndsWith("}", dot);
    }
}

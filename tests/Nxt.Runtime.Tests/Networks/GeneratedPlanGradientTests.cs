namespace Nxt.Runtime.Tests.Networks;

/// <summary>
/// The generated backward plan against finite differences of the loss the forward plan
/// computes, for every parameter element: Σ_rows -grad_scale · log softmax[label].
/// </summary>
public class GeneratedPlanGradientTests
{
    private const int Batch = 3;

    [Fact]
    public void TinyMlp_parameter_gradients_match_finite_differences() => CheckAllParameters(new TinyMlp(), 6, 3, gradScale: 1);

    [Fact]
    public void ShapedNet_parameter_gradients_match_finite_differences()
    {
        // Dropout is random in training; a fixed seed gives the same mask on every forward pass
        // only if the generator is reseeded, so the check binds anew before each evaluation.
        CheckAllParameters(new ShapedNet(), 12, 3, gradScale: 2, rebindEachPass: true);
    }

    [Fact]
    public void BranchNet_side_branch_gets_no_gradient_and_the_rest_match()
    {
        using var net = new BranchNet();
        CheckAllParameters(net, 4, 3, gradScale: 1);
        Assert.All(net.GetGradient("side_weight").ToArray(), g => Assert.Equal(0f, g));
    }

    [Fact]
    public void Residual_conv_net_with_batch_norm_gradients_match_finite_differences() => CheckAllParameters(new TinyResidual(), 2 * 6 * 6, 3, gradScale: 1);

    [Fact]
    public void Branching_conv_net_with_concat_and_sums_gradients_match_finite_differences() => CheckAllParameters(new TinyInception(), 4 * 7 * 7, 3, gradScale: 1);

    [Fact]
    public void Nested_repeated_blocks_gradients_match_finite_differences() => CheckAllParameters(new BlockNet(), 3 * 4 * 4, 3, gradScale: 1);

    [Fact]
    public void BatchNorm_after_a_dense_layer_gradients_match_finite_differences() => CheckAllParameters(new DenseBatchNormNet(), 5, 3, gradScale: 1);

    [Fact]
    public void Every_elementwise_variant_gradients_match_finite_differences() => CheckAllParameters(new ElementwiseZoo(), 6, 3, gradScale: 1);

    [Fact]
    public void Lstm_and_its_last_step_gradients_match_finite_differences() => CheckAllParameters(new LstmNet(), 6 * 3, 3, gradScale: 1);

    [Fact]
    public void Gru_tanh_and_relu_rnn_gradients_match_finite_differences()
    {
        var shapes = RecurrentZoo.InferShape(1);
        Assert.Equal([3 * 5, 3], shapes["gru_l0_i2h_weight"]);
        Assert.Equal([3 * 5, 5], shapes["gru_l0_h2h_weight"]);
        Assert.Equal([4, 5], shapes["plain_l0_i2h_weight"]);
        Assert.Equal([3], shapes["rectified_l0_h2h_bias"]);
        CheckAllParameters(new RecurrentZoo(), 4 * 3, 3, gradScale: 1);
    }

    [Fact]
    public void Stacked_and_bidirectional_rnn_gradients_match_finite_differences()
    {
        var shapes = StackedRecurrent.InferShape(1);
        using var net = new StackedRecurrent();
        Assert.Equal([1, 4, 8], net.Description.Nodes.Single(n => n.Name == "lstm").ShapeFor(1));
        Assert.Equal([4 * 4, 2 * 4], shapes["lstm_r1_i2h_weight"]);
        Assert.Equal([3 * 3, 8], shapes["gru_r0_i2h_weight"]);
        Assert.Equal([2, 2], shapes["plain_l1_h2h_weight"]);
        CheckAllParameters(net, 4 * 3, 3, gradScale: 1);
    }

    [Fact]
    public void Bilinear_up_sampling_gradients_match_finite_differences()
    {
        Assert.Equal([3, 1, 5, 5], BilinearUpNet.InferShape(1)["up_weight"]);
        CheckAllParameters(new BilinearUpNet(), 2 * 3 * 3, 3, gradScale: 1);
    }

    [Fact]
    public void Slices_transposes_and_new_axes_gradients_match_finite_differences() => CheckAllParameters(new AxisZoo(), 4 * 6, 3, gradScale: 1);

    [Fact]
    public void Layer_norm_gradients_match_finite_differences()
    {
        Assert.Equal(["data", "proj_weight", "proj_bias", "norm_gamma", "norm_beta", "fc_weight", "fc_bias", "softmax_label"], LayerNormNet.ArgumentNames);
        CheckAllParameters(new LayerNormNet(), 3 * 6, 3, gradScale: 1);
    }

    [Fact]
    public void Deconvolution_gradients_match_finite_differences()
    {
        Assert.Equal(["data", "down_weight", "down_bias", "up_weight", "up_bias", "wide_weight", "fc_weight", "fc_bias", "softmax_label"], DeconvNet.ArgumentNames);
        var shapes = DeconvNet.InferShape(1);
        Assert.Equal([4, 4, 3, 3], shapes["up_weight"]);
        Assert.Equal([4, 1, 2, 3], shapes["wide_weight"]);
        Assert.Equal([3, 2 * 5 * 7], shapes["fc_weight"]); // the target shape (5, 7)
        Assert.Contains("up + act", DeconvNet.Summary()); // the tanh runs in the deconvolution's epilogue, and its gradient below is the fused one
        CheckAllParameters(new DeconvNet(), 2 * 4 * 4, 3, gradScale: 1);
    }

    [Fact]
    public void Nearest_up_sampling_gradients_match_finite_differences()
    {
        Assert.Equal([3, 2 * 2 * 2], UpSamplingNet.InferShape(1)["fc_weight"]);
        CheckAllParameters(new UpSamplingNet(), 2 * 3 * 3, 3, gradScale: 1);
    }

    [Fact]
    public void Instance_norm_gradients_match_finite_differences()
    {
        Assert.Equal([3], InstanceNormNet.InferShape(1)["norm_gamma"]);
        CheckAllParameters(new InstanceNormNet(), 2 * 3 * 3, 3, gradScale: 1);
    }

    [Fact]
    public void Broadcast_operations_gradients_match_finite_differences() => CheckAllParameters(new BroadcastZoo(), 2 * 3 * 3, 3, gradScale: 1);

    [Fact]
    public void Batch_dot_products_with_either_operand_transposed_gradients_match_finite_differences()
    {
        Assert.Equal([3, (4 * 2) + (5 * 4)], AttentionNet.InferShape(1)["fc_weight"]);
        CheckAllParameters(new AttentionNet(), 4 * 3, 3, gradScale: 1);
    }

    [Fact]
    public void Constant_edge_and_reflected_borders_gradients_match_finite_differences()
    {
        Assert.Equal([3, (3 * 6 * 8) + (3 * 6 * 9)], PadZoo.InferShape(1)["fc_weight"]);
        CheckAllParameters(new PadZoo(), 2 * 3 * 3, 3, gradScale: 1);
    }

    [Fact]
    public void Sums_and_means_over_adjacent_axes_gradients_match_finite_differences()
    {
        Assert.Equal([3, 3 + 3], SpatialReduce.InferShape(1)["fc_weight"]);
        CheckAllParameters(new SpatialReduce(), 2 * 3 * 4, 3, gradScale: 1);
    }

    [Fact]
    public void Dot_products_with_learned_matrices_gradients_match_finite_differences()
    {
        Assert.Equal([3, 2], DotNet.InferShape(1)["fc_weight"]);
        CheckAllParameters(new DotNet(), 4 * 3, 3, gradScale: 1);
    }

    [Fact]
    public void Python_slices_gradients_match_finite_differences()
    {
        Assert.Equal([3, (2 * 2 * 2) + (2 * 4 * 5)], SliceZoo.InferShape(1)["fc_weight"]);
        CheckAllParameters(new SliceZoo(), 3 * 4 * 5, 3, gradScale: 1);
    }

    [Fact]
    public void Sums_and_means_over_an_axis_gradients_match_finite_differences() => CheckAllParameters(new ReduceZoo(), 3 * 4, 3, gradScale: 1);

    [Fact]
    public void Rectangular_windows_gradients_match_finite_differences()
    {
        using var net = new FactorizedConvNet();
        Assert.Equal([7, 4, 3, 3], net.Description.Nodes.Single(n => n.Name == "pool").ShapeFor(7));
        Assert.Equal([3, 2, 1, 7], net.Description.Parameters.Single(p => p.Name == "conv1x7_weight").ShapeFor(0));
        CheckAllParameters(net, 2 * 9 * 11, 3, gradScale: 1);
    }

    [Fact]
    public void Custom_operators_gradients_match_finite_differences()
    {
        Assert.Equal([7, 3, 1], new CustomNet().Description.Nodes.Single(n => n.Name == "rows").ShapeFor(7));
        CheckAllParameters(new CustomNet(), 12, 3, gradScale: 1);
    }

    [Fact]
    public void A_custom_layer_of_two_inputs_and_parameters_gradients_match_finite_differences()
    {
        Assert.Equal(["data", "left_weight", "left_bias", "right_weight", "right_bias", "product_scale", "product_bias", "fc_weight", "fc_bias", "softmax_label"], CustomLayerNet.ArgumentNames);
        CheckAllParameters(new CustomLayerNet(), 5, 3, gradScale: 1);
    }

    [Fact]
    public void A_custom_loss_with_a_label_gradients_match_those_of_softmax_output()
    {
        Assert.Equal(["softmax_label"], CustomSoftmaxNet.LabelNames);
        Assert.Equal(["data", "fc1_weight", "fc1_bias", "fc2_weight", "fc2_bias", "softmax_label"], CustomSoftmaxNet.ArgumentNames);
        CheckAllParameters(new CustomSoftmaxNet(), 6, 3, gradScale: 1);
    }

    private static void CheckAllParameters(Module net, int features, int classes, float gradScale, bool rebindEachPass = false)
    {
        net.Seed = 3;
        net.Bind(Batch);
        net.InitParams(new Uniform(0.5f));
        var batch = new DataBatch(
            new Tensor(TestData.Random(Batch * features, 50), [.. net.Description.Data.ShapeFor(Batch)]),
            new Tensor([0f, 2, 1], Batch));
        Assert.Equal(classes, net.Description.Outputs[0].SampleShape[^1]);
        GradientCheck.AllParameters(net, batch, (outputs, b) => GradientCheck.CrossEntropy(outputs, b, gradScale), rebindEachPass);
    }
}

namespace Nxt.Generators.Tests;

/// <summary>The image operators that grow or renormalise images: bad arguments are NXT0004 at the argument, bad shapes NXT0001.</summary>
public class ImageOperatorTests
{
    [Theory]
    [InlineData("[Deconvolution(0, Kernel = 2)]", "0", "Deconvolution 'op' has num_filter 0: it must be at least 1")]
    [InlineData("[Deconvolution(4, Kernel = 3, Stride = 2, Adj = 2)]", "Adj = 2", "Deconvolution 'op' has adj (2,2) and stride (2,2): each adjustment must be at least 0 and less than its stride")]
    [InlineData("[Deconvolution(4, Kernel = 3, NumGroup = 3)]", "NumGroup = 3", "Deconvolution 'op' has num_filter 4 and num_group 3: num_filter must be a positive multiple of num_group")]
    [InlineData("[Deconvolution(4, Kernel = 3, TargetShape = new[] { 8 })]", "TargetShape = new[] { 8 }", "Deconvolution 'op' has target_shape (8): it must be the output's (height, width), both at least 1")]
    [InlineData("[Deconvolution(4, Kernel = 3, Stride = 2, TargetShape = new[] { 20, 9 })]", "TargetShape = new[] { 20, 9 }", "Deconvolution 'op' has target_shape (20,9), but from 'data' (N,2,4,4) it reaches at most 9 along the height without padding")]
    [InlineData("[Deconvolution(4, Kernel = 3, TargetShape = new[] { 5, 6 })]", "TargetShape = new[] { 5, 6 }", "Deconvolution 'op' has target_shape (5,6): the height 5 needs an adjustment of 1, which its stride 1 does not allow (a size of 6 less an even number would)")]
    [InlineData("[Deconvolution(4, Kernel = 2, Pad = 3)]", "Pad = 3", "Deconvolution 'op' has pad (3,3), which leaves an output -1 along the height from 'data' (N,2,4,4)")]
    [InlineData("[UpSampling(0)]", "0", "UpSampling 'op' has scale 0: it must be at least 1")]
    [InlineData("[UpSampling(2, SampleType = UpSamplingSampleType.Bilinear, NumFilter = -1)]", "NumFilter = -1", "UpSampling 'op' is bilinear, which needs NumFilter: the input's channel count (MXNet num_filter), one filter each")]
    [InlineData("[InstanceNorm(Eps = 0)]", "Eps = 0", "InstanceNorm 'op' has eps 0: it must be positive and finite in single precision")]
    [InlineData("[Pad(0, 0, 1, 1, 1, 1, 1, 1)]", "0, 0, 1, 1, 1, 1, 1, 1", "Pad 'op' has pad_width (0,0,1,1,1,1,1,1): Nxt pads images (N,C,H,W), so it takes (0, 0, 0, 0, top, bottom, left, right), each at least 0")]
    [InlineData("[Pad(0, 0, 0, 0, 4, 0, 0, 0, Mode = PadMode.Reflect)]", "0, 0, 0, 0, 4, 0, 0, 0", "Pad 'op' reflects 'data' (N,2,4,4) by (0,0,0,0,4,0,0,0): a reflected border must be narrower than the image along its axis")]
    [InlineData("[Mean(1, 3)]", "1, 3", "Mean 'op' has axes (1, 3): Nxt reduces adjacent axes (Transpose the others next to each other first)")]
    [InlineData("[Sum(0)]", "0", "Sum 'op' has axis 0: axis 0 is the batch, which a module keeps; reduce a sample's axes (1 or more)")]
    public Task Bad_arguments_are_errors_at_the_argument(string attribute, string at, string message)
        => Harness.AssertSingleError("using Nxt; [Network] public partial class Net { [Input(2, 4, 4)] Tensor data; " + attribute + " Tensor op; }", "NXT0004", message, at);

    [Fact]
    public Task A_bilinear_up_sampling_of_other_than_its_input_s_channels_is_NXT0001()
        => Harness.AssertSingleError(
            "using Nxt; [Network] public partial class Net { [Input(2, 4, 4)] Tensor data; [UpSampling(2, SampleType = UpSamplingSampleType.Bilinear, NumFilter = 3)] Tensor up; }",
            "NXT0001", "UpSampling 'up' is bilinear with num_filter 3, but 'data' (N,2,4,4) has 2 channels: it filters each channel alone, so they must be equal", "NumFilter = 3");

    [Fact]
    public Task A_deconvolution_over_a_value_that_is_not_an_image_is_NXT0001()
        => Harness.AssertSingleError(
            "using Nxt; [Network] public partial class Net { [Input(6)] Tensor data; [Deconvolution(4, Kernel = 2)] Tensor up; }",
            "NXT0001", "Deconvolution 'up' expects images (N,C,H,W), but 'data' is (N,6)", "Deconvolution(4, Kernel = 2)");

    [Fact]
    public Task An_instance_norm_over_values_without_an_axis_after_the_channels_is_NXT0001()
        => Harness.AssertSingleError(
            "using Nxt; [Network] public partial class Net { [Input(6)] Tensor data; [InstanceNorm] Tensor norm; }",
            "NXT0001", "InstanceNorm 'norm' normalises each channel's values of a sample, so it expects (N,C,...) with at least one axis after the channels, but 'data' is (N,6)", "InstanceNorm");

    [Theory]
    [InlineData("[BroadcastMul(\"data\", \"flat\")]", "\"flat\"", "broadcast_mul 'op' needs operands of one rank, but 'data' (N,2,4,4) and 'flat' (N,32) differ: give the smaller axes of size 1 (Reshape or ExpandDims)")]
    [InlineData("[BroadcastAdd(\"data\", \"wide\")]", "\"wide\"", "broadcast_add 'op' cannot broadcast 'data' (N,2,4,4) and 'wide' (N,2,4,2): axis 3 is 4 against 2, and neither is 1")]
    public Task Operands_that_do_not_broadcast_are_NXT0001_at_the_operand(string attribute, string at, string message)
        => Harness.AssertSingleError(
            "using Nxt; [Network] public partial class Net { [Input(2, 4, 4)] Tensor data; [Flatten] Tensor flat; [Pooling(Pool.Max, Kernel = 1, StrideW = 2, From = \"data\")] Tensor wide; " + attribute + " Tensor op; }",
            "NXT0001", message, at);
}

namespace Nxt.Runtime.Tests.Networks;

public class BlockTests
{
    [Fact]
    public void Inlined_nodes_take_MXNet_prefixed_names()
    {
        Assert.Equal(
            [
                "data",
                "stage1_body_unit1_conv1_weight", "stage1_body_unit1_bn1_gamma", "stage1_body_unit1_bn1_beta",
                "stage1_body_unit2_conv1_weight", "stage1_body_unit2_bn1_gamma", "stage1_body_unit2_bn1_beta",
                "fc_weight", "fc_bias", "softmax_label",
            ],
            BlockNet.ArgumentNames);
        Assert.Contains("stage1_body_unit2_bn1_moving_var", BlockNet.AuxiliaryStateNames);
        using var net = new BlockNet();
        Assert.Equal([5, 3, 2, 2], net.Description.Nodes.Single(n => n.Name == "stage1").ShapeFor(5));
    }

    [Fact]
    public void The_block_member_is_the_output_of_the_last_unit()
    {
        using var net = new BlockNet();
        net.Bind(2, forTraining: false);
        net.InitParams();
        net.Forward(new DataBatch(new Tensor(TestData.Random(2 * 48, 3), 2, 3, 4, 4), null));
        Assert.Equal([2, 3, 2, 2], net.Stage1.Shape.ToArray());
        Assert.Contains(net.Stage1.ToArray(), v => v != 0);
    }
}

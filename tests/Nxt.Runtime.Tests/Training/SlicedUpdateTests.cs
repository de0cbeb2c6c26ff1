namespace Nxt.Runtime.Tests.Training;

public class SlicedUpdateTests
{
    public static TheoryData<string> ElementwiseOptimizers() => new() { "sgd", "momentum", "nesterov", "clipped", "adagrad" };

    [Theory]
    [MemberData(nameof(ElementwiseOptimizers))]
    public void A_parameter_updated_in_slices_over_the_workers_is_bit_identical_to_one_update(string name)
    {
        Optimizer Make() => name switch
        {
            "sgd" => new Sgd(0.1f),
            "momentum" => new Sgd(0.1f, momentum: 0.9f),
            "nesterov" => new Sgd(0.1f, momentum: 0.9f, nesterov: true),
            "clipped" => new Sgd(0.1f, momentum: 0.9f) { ClipGradient = 0.3f },
            _ => new AdaGrad(0.1f),
        };

        const int offset = 5, length = 100_003; // past the parallel threshold; not a whole number of vectors
        var gradients = TestData.Random(offset + length + 7, 2);
        var expectedWeights = TestData.Random(gradients.Length, 1);
        var actualWeights = (float[])expectedWeights.Clone();
        var whole = Make();
        Assert.True(whole.UpdatesElementwise);
        int stateLength = whole.StateLength(length);
        var expectedState = TestData.Random(3 + stateLength, 3).Select(MathF.Abs).ToArray(); // AdaGrad's history is a sum of squares
        var actualState = (float[])expectedState.Clone();
        var sliced = new SlicedUpdate();
        for (int step = 0; step < 3; step++)
        {
            whole.Update(expectedWeights.AsSpan(offset, length), gradients.AsSpan(offset, length), expectedState.AsSpan(3, stateLength), 0.1f, 0.01f);
            sliced.Run(Make(), actualWeights, gradients, offset, length, actualState, 3, 0.1f, 0.01f);
        }

        Assert.Equal(expectedWeights, actualWeights);
        Assert.Equal(expectedState, actualState);
    }

    [Fact]
    public void Optimizers_whose_state_is_not_one_float_per_element_are_not_sliced()
    {
        Assert.False(new Adam().UpdatesElementwise);
        Assert.False(new RmsProp(0.01f, centered: true).UpdatesElementwise);
        Assert.False(new AdaDelta().UpdatesElementwise);
    }
}

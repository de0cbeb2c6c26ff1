namespace Nxt.Runtime.Tests.Networks;

/// <summary>MXNet SequenceMask with lengths: values, gradients, and the device against the CPU.</summary>
public class SequenceMaskTests
{
    [Fact]
    public void Steps_from_each_sample_s_length_on_hold_the_value()
    {
        using var net = new MaskOnly();
        // A length is cast toward zero as MXNet casts it; negative keeps nothing, past T everything.
        var lengths = new[] { 2f, 0f, 9f, 3.9f, -1f };
        var data = TestData.Random(lengths.Length * 5 * 4, 8);
        net.Bind(lengths.Length, forTraining: false);
        net.Forward(new DataBatch([new Tensor(data, lengths.Length, 5, 4), new Tensor(lengths, lengths.Length, 1)], null), isTrain: false);
        var masked = net.GetOutputs()[0];
        Assert.Equal([lengths.Length, 5, 4], masked.Shape.ToArray());
        int[] kept = [2, 0, 5, 3, 0];
        for (int r = 0; r < lengths.Length; r++)
        {
            for (int t = 0; t < 5; t++)
            {
                for (int k = 0; k < 4; k++)
                {
                    Assert.Equal(t < kept[r] ? data[(((r * 5) + t) * 4) + k] : -1f, masked[r, t, k]);
                }
            }
        }
    }

    [Fact]
    public void Gradients_match_finite_differences_and_skip_the_masked_steps()
    {
        using var net = new MaskedSequence { Seed = 3 };
        net.Bind(3);
        net.InitParams(new Uniform(0.5f));
        var batch = MaskedSequence.Batch(1, 4, 3);
        GradientCheck.AllParameters(net, batch, (outputs, b) => GradientCheck.CrossEntropy(outputs, b));
    }

    [Fact]
    public void A_device_steps_as_the_cpu_does()
        => Gpu.DeviceComparison.TrainingStepsMatch(() => new MaskedSequence(), Gpu.TestDevice.Accelerated, () => new Sgd(0.05f, momentum: 0.9f), batchSize: 4, batch: MaskedSequence.Batch(2, 5, 0, 3));
}

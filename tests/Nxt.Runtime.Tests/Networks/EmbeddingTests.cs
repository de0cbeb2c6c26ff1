namespace Nxt.Runtime.Tests.Networks;

/// <summary>MXNet's Embedding: rows gathered by token id, the weight's gradient scattered back, ids checked.</summary>
public class EmbeddingTests
{
    [Fact]
    public void The_output_is_the_ids_shape_with_output_dim_appended_and_each_row_is_the_id_s()
    {
        Assert.Equal(["ids", "embed_weight", "fc_weight", "fc_bias", "softmax_label"], EmbeddingNet.ArgumentNames);
        using var net = new EmbeddingOnly { Seed = 1 };
        Assert.Equal([7, 2, 3, 2], net.Description.Outputs[0].ShapeFor(7));
        net.Bind(4, forTraining: false);
        net.InitParams(new Uniform(0.5f));
        var ids = Enumerable.Range(0, 24).Select(i => (float)((i * 5) % 6)).ToArray();
        net.Forward(new DataBatch(new Tensor(ids, 4, 2, 3), null), isTrain: false);

        var weight = net.GetParams().ArgParams["embed_weight"].ToArray();
        var embedded = net.GetOutputs()[0].ToArray();
        for (int i = 0; i < ids.Length; i++)
        {
            Assert.Equal(weight.AsSpan((int)ids[i] * 2, 2).ToArray(), embedded.AsSpan(i * 2, 2).ToArray());
        }
    }

    [Fact]
    public void The_weight_gradient_matches_finite_differences_with_repeated_ids()
    {
        using var net = new EmbeddingNet { Seed = 3 };
        net.Bind(4);
        net.InitParams(new Uniform(0.5f));
        var batch = EmbeddingNet.Batch(4, 5);
        Assert.True(batch.Data.ToArray().Distinct().Count() < 20, "the batch should repeat some ids");
        net.ForwardBackward(batch);
        var analytic = net.GetGradient("embed_weight").ToArray();

        var (args, aux) = net.GetParams();
        var weight = args["embed_weight"].ToArray();
        var numeric = TestData.NumericGradient(weight, () =>
        {
            args["embed_weight"] = new Tensor(weight, 10, 4);
            net.SetParams(args, aux);
            net.Forward(batch, isTrain: true);
            return Loss(net.GetOutputs()[0].ToArray(), batch.Label!.ToArray());
        });
        TestData.AssertClose(numeric, analytic, 2e-3, 2e-2, "embed_weight");

        // Rows no id names get nothing.
        var used = batch.Data.ToArray().Select(v => (int)v).ToHashSet();
        foreach (int row in Enumerable.Range(0, 10).Where(r => !used.Contains(r)))
        {
            Assert.All(analytic.AsSpan(row * 4, 4).ToArray(), g => Assert.Equal(0f, g));
        }
    }

    [Theory]
    [InlineData(12f, "sample 1 has the token id 12 at position 2; ids must be whole numbers in [0, 10)")]
    [InlineData(-1f, "sample 1 has the token id -1 at position 2")]
    [InlineData(2.5f, "sample 1 has the token id 2.5 at position 2")]
    public void An_id_out_of_range_or_not_whole_names_the_sample_on_the_cpu_and_the_device(float bad, string expected)
    {
        var batch = EmbeddingNet.Batch(3, 4);
        batch.Data.Span[7] = bad;
        foreach (var device in new[] { Device.Cpu, Gpu.TestDevice.Accelerated })
        {
            using var net = new EmbeddingNet();
            net.Bind(3, forTraining: false, device: device);
            net.InitParams();
            var error = Assert.Throws<ArgumentException>(() => net.Forward(batch, isTrain: false));
            Assert.Contains(expected, error.Message);
        }
    }

    [Fact]
    public void Training_steps_on_the_device_match_the_cpu()
        => Gpu.DeviceComparison.TrainingStepsMatch(() => new EmbeddingNet(), Gpu.TestDevice.Accelerated, () => new Sgd(0.05f, momentum: 0.9f), batch: EmbeddingNet.Batch(4, 6));

    [Fact]
    public void It_learns_whether_token_7_occurs_anywhere()
    {
        var train = EmbeddingNet.Batch(2000, 7);
        var test = EmbeddingNet.Batch(500, 8);
        using var net = new EmbeddingNet { Seed = 9 };
        net.Fit(new NDArrayIter(train.Data, train.Label!, 50, shuffle: true, seed: 1), numEpoch: 10, optimizer: new Sgd(0.1f, momentum: 0.9f), initializer: new Xavier(), log: TextWriter.Null);
        double accuracy = net.Score(new NDArrayIter(test.Data, test.Label!, 100));
        Assert.True(accuracy >= 0.95, $"test accuracy {accuracy:F4}");
    }

    // Σ_rows -log softmax[label], the loss whose gradient the backward pass computes.
    private static double Loss(float[] probabilities, float[] labels)
    {
        double loss = 0;
        for (int r = 0; r < labels.Length; r++)
        {
            loss -= Math.Log(probabilities[(r * 3) + (int)labels[r]]);
        }

        return loss;
    }
}

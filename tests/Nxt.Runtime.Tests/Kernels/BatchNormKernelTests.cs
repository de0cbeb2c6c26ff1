using Nxt.Cpu;

namespace Nxt.Runtime.Tests.Kernels;

public class BatchNormKernelTests
{
    private const int Batch = 3, Channels = 2, Spatial = 5;
    private const float Eps = 1e-3f;

    [Fact]
    public void Training_normalises_each_channel_by_its_batch_statistics_and_moves_the_averages()
    {
        var x = TestData.Random(Batch * Channels * Spatial, 1, 3f);
        float[] gamma = [1.5f, 0.5f], beta = [0.1f, -0.2f];
        float[] movingMean = [0f, 0f], movingVar = [1f, 1f];
        var y = new float[x.Length];
        BatchNormKernels.Forward(x, y, gamma, beta, movingMean, movingVar, new float[2 * Channels], Batch, Channels, Spatial, Eps, 0.9f, fixGamma: false, useBatchStats: true);
        for (int c = 0; c < Channels; c++)
        {
            var values = ChannelValues(x, c);
            double mean = values.Average(), variance = values.Select(v => (v - mean) * (v - mean)).Average();
            var expected = ChannelValues(x, c).Select(v => (float)((gamma[c] * (v - mean) / Math.Sqrt(variance + Eps)) + beta[c])).ToArray();
            TestData.AssertClose(expected, ChannelValues(y, c), 1e-5, 1e-4, $"channel {c}");
            Assert.Equal(0.1 * mean, movingMean[c], 5);
            Assert.Equal(0.9 + (0.1 * variance), movingVar[c], 4);
        }
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void Gradients_match_finite_differences(bool fixGamma, bool batchStats)
    {
        var x = TestData.Random(Batch * Channels * Spatial, 2, 2f);
        float[] gamma = [1.3f, 0.7f], beta = [0.2f, 0.4f];
        float[] movingMean = [0.1f, -0.1f], movingVar = [0.8f, 1.2f];
        var dy = TestData.Random(x.Length, 3);
        double Loss()
        {
            var y = new float[x.Length];
            BatchNormKernels.Forward(x, y, gamma, beta, movingMean.ToArray(), movingVar.ToArray(), new float[2 * Channels], Batch, Channels, Spatial, Eps, 0.9f, fixGamma, batchStats);
            return TestData.Dot(y, dy);
        }

        var saved = new float[2 * Channels];
        BatchNormKernels.Forward(x, new float[x.Length], gamma, beta, movingMean.ToArray(), movingVar.ToArray(), saved, Batch, Channels, Spatial, Eps, 0.9f, fixGamma, batchStats);
        var dx = new float[x.Length];
        var dGamma = new float[Channels];
        var dBeta = new float[Channels];
        BatchNormKernels.Backward(x, dy, gamma, saved, dx, dGamma, dBeta, Batch, Channels, Spatial, fixGamma, batchStats, true, false, true, false, true, false);
        TestData.AssertClose(TestData.NumericGradient(x, Loss, 1e-3f), dx, 3e-3, 2e-2, "dL/dx");
        TestData.AssertClose(fixGamma ? new float[Channels] : TestData.NumericGradient(gamma, Loss, 1e-3f), dGamma, 3e-3, 2e-2, "dL/dgamma");
        TestData.AssertClose(TestData.NumericGradient(beta, Loss, 1e-3f), dBeta, 3e-3, 2e-2, "dL/dbeta");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)] // inference: the moving statistics, a normalisation pass only
    public void Every_split_of_the_samples_or_the_channels_gives_one_part_bit_for_bit(bool batchStats)
    {
        const int batch = 4, channels = 5, spatial = 37;
        var x = TestData.Random(batch * channels * spatial, 4, 2f);
        var residual = TestData.Random(x.Length, 5);
        var dy = TestData.Random(x.Length, 6);
        float[] gamma = [1.2f, 0.8f, 1f, 0.5f, 2f], beta = [0.1f, -0.1f, 0f, 0.3f, -0.2f];
        (float[] Y, float[] Moving, float[] Saved, float[] Dx, float[] DGamma, float[] DBeta) Run(int parts, BatchNormKernels.Split split)
        {
            float[] y = new float[x.Length], saved = new float[2 * channels];
            float[] movingMean = Enumerable.Repeat(0.2f, channels).ToArray(), movingVar = Enumerable.Repeat(1.1f, channels).ToArray();
            BatchNormKernels.ForwardInParts(x, y, gamma, beta, movingMean, movingVar, saved, batch, channels, spatial, Eps, 0.9f,
                fixGamma: false, batchStats, residual, Epilogue.Relu, parts, split);
            // Accumulating into non-zero gradients checks that each part adds to its own channels or samples only.
            float[] dx = Enumerable.Repeat(0.5f, x.Length).ToArray(), dGamma = Enumerable.Repeat(1f, channels).ToArray(), dBeta = new float[channels];
            var flags = new BatchNormKernels.BackwardFlags(FixGamma: false, UsedBatchStats: batchStats, InputGradient: true, AccumulateInput: true,
                GammaGradient: true, AccumulateGamma: true, BetaGradient: true, AccumulateBeta: false);
            BatchNormKernels.BackwardInParts(x, dy, gamma, saved, dx, dGamma, dBeta, batch, channels, spatial, flags, parts, split);
            return (y, [.. movingMean, .. movingVar], saved, dx, dGamma, dBeta);
        }

        var whole = Run(1, BatchNormKernels.Split.Channels);
        foreach (var split in new[] { BatchNormKernels.Split.Channels, BatchNormKernels.Split.Samples })
        {
            foreach (int parts in new[] { 2, 3, 5 })
            {
                var run = Run(parts, split);
                Assert.Equal(whole.Y, run.Y);
                Assert.Equal(whole.Moving, run.Moving);
                Assert.Equal(whole.Saved, run.Saved);
                Assert.Equal(whole.Dx, run.Dx);
                Assert.Equal(whole.DGamma, run.DGamma);
                Assert.Equal(whole.DBeta, run.DBeta);
            }
        }
    }

    [Fact]
    public void A_batch_large_enough_for_every_core_matches_the_definition()
    {
        // 4 x 6 x 1,500 values: past the size at which the channels are split over the workers.
        const int batch = 4, channels = 6, spatial = 1500;
        var x = TestData.Random(batch * channels * spatial, 7, 3f);
        var residual = TestData.Random(x.Length, 8);
        var gamma = TestData.Random(channels, 9);
        var beta = TestData.Random(channels, 10);
        var y = new float[x.Length];
        var saved = new float[2 * channels];
        BatchNormKernels.Forward(x, y, gamma, beta, new float[channels], Enumerable.Repeat(1f, channels).ToArray(), saved,
            batch, channels, spatial, Eps, 0.9f, fixGamma: false, useBatchStats: true, residual, Epilogue.Relu);
        for (int c = 0; c < channels; c++)
        {
            double sum = 0, squares = 0;
            for (int n = 0; n < batch; n++)
            {
                for (int i = 0; i < spatial; i++)
                {
                    sum += x[(((n * channels) + c) * spatial) + i];
                }
            }

            double mean = sum / (batch * spatial);
            for (int n = 0; n < batch; n++)
            {
                for (int i = 0; i < spatial; i++)
                {
                    double d = x[(((n * channels) + c) * spatial) + i] - mean;
                    squares += d * d;
                }
            }

            double invStd = 1 / Math.Sqrt((squares / (batch * spatial)) + Eps);
            for (int n = 0; n < batch; n++)
            {
                int offset = ((n * channels) + c) * spatial;
                var expected = Enumerable.Range(offset, spatial).Select(i => (float)Math.Max(0, (gamma[c] * (x[i] - mean) * invStd) + beta[c] + residual[i])).ToArray();
                TestData.AssertClose(expected, y.AsSpan(offset, spatial), 1e-5, 1e-4, $"channel {c}, sample {n}");
            }
        }
    }

    [Fact]
    public void A_short_output_is_refused_with_the_shape_and_the_lengths()
    {
        var x = new float[Batch * Channels * Spatial];
        var error = Assert.Throws<ArgumentException>(() => BatchNormKernels.Forward(x, new float[x.Length - 1], [1f, 1f], [0f, 0f], new float[2], new float[2],
            new float[2 * Channels], Batch, Channels, Spatial, Eps, 0.9f, fixGamma: true, useBatchStats: true));
        Assert.Contains($"({Batch}, {Channels}, {Spatial})", error.Message);
        Assert.Contains($"y {x.Length - 1}", error.Message);
    }

    private static float[] ChannelValues(float[] values, int c)
        => Enumerable.Range(0, Batch).SelectMany(n => values.Skip(((n * Channels) + c) * Spatial).Take(Spatial)).ToArray();
}

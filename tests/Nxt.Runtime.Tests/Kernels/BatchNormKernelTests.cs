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

    private static float[] ChannelValues(float[] values, int c)
        => Enumerable.Range(0, Batch).SelectMany(n => values.Skip(((n * Channels) + c) * Spatial).Take(Spatial)).ToArray();
}

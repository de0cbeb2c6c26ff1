using Nxt.Cpu;

namespace Nxt.Runtime.Tests.Kernels;

public class DropoutKernelTests
{
    [Fact]
    public void Training_keeps_about_1_minus_p_and_scales_the_kept_by_1_over_1_minus_p()
    {
        const float p = 0.3f;
        var x = Enumerable.Repeat(2f, 20000).ToArray();
        var mask = new float[x.Length];
        var y = new float[x.Length];
        DropoutKernels.ForwardTraining(x, mask, y, p, new RandomSource(1));
        float scale = 1f / (1f - p);
        Assert.All(mask, m => Assert.True(m == 0f || m == scale, $"mask value {m}"));
        double kept = mask.Count(m => m != 0) / (double)mask.Length;
        Assert.InRange(kept, 0.68, 0.72);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(x[i] * mask[i], y[i]);
        }

        Assert.InRange(y.Average(), 1.9, 2.1); // inverted dropout keeps the expectation
    }

    [Fact]
    public void Backward_matches_finite_differences_under_a_fixed_mask()
    {
        var x = TestData.Random(33, 40);
        var mask = new float[x.Length];
        var y = new float[x.Length];
        DropoutKernels.ForwardTraining(x, mask, y, 0.5f, new RandomSource(2));
        var dy = TestData.Random(x.Length, 41);
        double Loss()
        {
            var z = new float[x.Length];
            ElementwiseKernels.Multiply(x, mask, z, accumulate: false);
            return TestData.Dot(z, dy);
        }

        var dx = new float[x.Length];
        DropoutKernels.Backward(dy, mask, dx, accumulate: false);
        TestData.AssertClose(TestData.NumericGradient(x, Loss), dx, 2e-3, 1e-2, "dropout gradient");
    }
}

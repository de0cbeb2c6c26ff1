using Nxt.Cpu;
using Nxt.Kernels;

namespace Nxt.Runtime.Tests.Kernels;

public class PoolingKernelTests
{
    public static TheoryData<PoolGeometry, bool> Cases()
    {
        static PoolGeometry G(int c, int h, int w, int k, int s, int p, bool full)
        {
            int Out(int size) => (full ? (size + (2 * p) - k + s - 1) / s : (size + (2 * p) - k) / s) + 1;
            return new PoolGeometry(c, h, w, k, k, s, s, p, p, Out(h), Out(w));
        }

        return new TheoryData<PoolGeometry, bool>
        {
            { G(2, 6, 6, 2, 2, 0, false), true },
            { G(3, 7, 5, 3, 2, 1, false), true },   // pad, count_include_pad
            { G(3, 7, 5, 3, 2, 1, false), false },  // pad, valid pixels only
            { G(1, 7, 7, 2, 2, 0, true), true },    // full convention: the last window hangs over
            { G(2, 5, 5, 5, 1, 0, false), true },   // global-sized window
            { G(3, 24, 24, 2, 2, 0, false), true }, // LeNet's: 12 outputs a row, one vector of 8 and four more
            { G(2, 9, 37, 2, 2, 0, false), true },  // odd sizes: 18 outputs a row, the last column and row unused
            { G(1, 4, 64, 2, 2, 0, false), true },  // 32 outputs a row: whole vectors only
            { G(1, 2, 1060, 2, 2, 0, false), true }, // 530 outputs a row: two passes of 256, two vectors, two more
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Max_and_average_match_a_naive_reference(PoolGeometry g, bool countIncludePad)
    {
        const int batch = 2;
        var x = TestData.Random(batch * g.Channels * g.Height * g.Width, 1);
        var y = new float[batch * g.Channels * g.OutHeight * g.OutWidth];
        PoolingKernels.MaxForward(x, y, batch, g);
        TestData.AssertClose(Naive(x, batch, g, max: true, countIncludePad), y, 1e-6, 1e-6, "max pooling");
        PoolingKernels.AvgForward(x, y, batch, g, countIncludePad);
        TestData.AssertClose(Naive(x, batch, g, max: false, countIncludePad), y, 1e-6, 1e-5, "average pooling");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gradients_match_finite_differences(PoolGeometry g, bool countIncludePad)
    {
        const int batch = 2;
        var x = TestData.Random(batch * g.Channels * g.Height * g.Width, 2);
        var dy = TestData.Random(batch * g.Channels * g.OutHeight * g.OutWidth, 3);
        var dx = new float[x.Length];
        PoolingKernels.MaxBackward(x, dy, dx, batch, g, accumulate: false);
        TestData.AssertClose(TestData.NumericGradient(x, () => TestData.Dot(Naive(x, batch, g, true, countIncludePad), dy), 1e-4f), dx, 5e-3, 1e-2, "max pooling gradient");
        PoolingKernels.AvgBackward(dy, dx, batch, g, countIncludePad, accumulate: false);
        TestData.AssertClose(TestData.NumericGradient(x, () => TestData.Dot(Naive(x, batch, g, false, countIncludePad), dy)), dx, 2e-3, 1e-2, "average pooling gradient");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Max_gradient_through_a_relu_equals_the_pool_then_the_relu_backward(PoolGeometry g, bool countIncludePad)
    {
        _ = countIncludePad; // the cases' second column is the average's
        const int batch = 2;
        // A relu's output: a third of the pixels zero, so whole windows are zero (their maximum not positive) and others tie at zero.
        var x = TestData.Random(batch * g.Channels * g.Height * g.Width, 6).Select(v => MathF.Max(0f, MathF.Round(v * 3f) / 3f)).ToArray();
        var dy = TestData.Random(batch * g.Channels * g.OutHeight * g.OutWidth, 7);
        foreach (bool accumulate in new[] { false, true })
        {
            var start = TestData.Random(x.Length, 8);
            var routed = new float[x.Length];
            PoolingKernels.MaxBackward(x, dy, routed, batch, g, accumulate: false);
            var expected = (float[])start.Clone();
            ActivationKernels.ReluBackward(x, routed, expected, accumulate);
            if (!accumulate)
            {
                Assert.Contains(expected, v => v == 0f);
            }

            var fused = (float[])start.Clone();
            PoolingKernels.MaxBackwardThroughRelu(x, dy, fused, batch, g, accumulate);
            if (accumulate)
            {
                // Overlapping windows add their shares onto dx one by one, not summed first: equal up to rounding.
                TestData.AssertClose(expected, fused, 1e-6, 1e-6, $"max pool through a relu, adding, {g}");
            }
            else
            {
                Assert.Equal(expected, fused);
            }
        }
    }

    [Theory]
    [InlineData(24, 24)] // LeNet's: a vector of eight windows and four more a row
    [InlineData(9, 37)]  // odd sizes: the last column and row in no window
    public void Max_gradient_goes_to_the_first_maximum_when_pixels_tie(int height, int width)
    {
        // Values from {0, 1, 2}: most windows hold ties, as after a relu; row-major order breaks them.
        var g = new PoolGeometry(2, height, width, 2, 2, 2, 2, 0, 0, height / 2, width / 2);
        const int batch = 2;
        var x = TestData.Random(batch * g.Channels * height * width, 4).Select(v => MathF.Floor(Math.Abs(v) * 3f)).ToArray();
        var dy = TestData.Random(batch * g.Channels * g.OutHeight * g.OutWidth, 5);
        var expected = new float[x.Length];
        for (int plane = 0; plane < batch * g.Channels; plane++)
        {
            for (int oh = 0; oh < g.OutHeight; oh++)
            {
                for (int ow = 0; ow < g.OutWidth; ow++)
                {
                    int first = (plane * height * width) + (2 * oh * width) + (2 * ow);
                    int best = first;
                    foreach (int pixel in new[] { first + 1, first + width, first + width + 1 })
                    {
                        best = x[pixel] > x[best] ? pixel : best;
                    }

                    expected[best] += dy[(((plane * g.OutHeight) + oh) * g.OutWidth) + ow];
                }
            }
        }

        // Whatever the buffer held is replaced (an even plane's windows write every pixel, with no
        // clear before them), then added to.
        var dx = Enumerable.Repeat(7f, x.Length).ToArray();
        PoolingKernels.MaxBackward(x, dy, dx, batch, g, accumulate: false);
        Assert.Equal(expected, dx);
        PoolingKernels.MaxBackward(x, dy, dx, batch, g, accumulate: true);
        Assert.Equal(expected.Select(v => 2 * v), dx);
    }

    private static float[] Naive(float[] x, int batch, PoolGeometry g, bool max, bool countIncludePad)
    {
        var y = new float[batch * g.Channels * g.OutHeight * g.OutWidth];
        for (int plane = 0; plane < batch * g.Channels; plane++)
        {
            for (int oh = 0; oh < g.OutHeight; oh++)
            {
                for (int ow = 0; ow < g.OutWidth; ow++)
                {
                    double best = double.NegativeInfinity, sum = 0;
                    int inside = 0, padded = 0;
                    for (int kh = 0; kh < g.KernelH; kh++)
                    {
                        for (int kw = 0; kw < g.KernelW; kw++)
                        {
                            int h = (oh * g.StrideH) - g.PadH + kh, w = (ow * g.StrideW) - g.PadW + kw;
                            if (h < g.Height + g.PadH && w < g.Width + g.PadW)
                            {
                                padded++;
                            }

                            if (h < 0 || w < 0 || h >= g.Height || w >= g.Width)
                            {
                                continue;
                            }

                            float v = x[(plane * g.Height * g.Width) + (h * g.Width) + w];
                            best = Math.Max(best, v);
                            sum += v;
                            inside++;
                        }
                    }

                    int count = countIncludePad ? padded : inside;
                    y[(plane * g.OutHeight * g.OutWidth) + (oh * g.OutWidth) + ow] = max ? (float)best : (float)(sum / count);
                }
            }
        }

        return y;
    }
}

using Nxt.Cpu;
using Nxt.Kernels;

namespace Nxt.Runtime.Tests.Kernels;

public class ConvolutionKernelTests
{
    public static TheoryData<ConvGeometry> Geometries()
    {
        static ConvGeometry G(int c, int h, int w, int f, int k, int s, int p, int d, int groups)
        {
            int oh = ((h + (2 * p) - (d * (k - 1)) - 1) / s) + 1, ow = ((w + (2 * p) - (d * (k - 1)) - 1) / s) + 1;
            return new ConvGeometry(c, h, w, f, k, k, s, s, p, p, d, d, groups, oh, ow);
        }

        return new TheoryData<ConvGeometry>
        {
            G(1, 7, 7, 2, 3, 1, 0, 1, 1),   // plain
            G(3, 9, 8, 4, 3, 2, 1, 1, 1),   // stride and pad, non-square input
            G(2, 9, 9, 3, 3, 1, 2, 2, 1),   // dilation with pad
            G(4, 6, 5, 6, 1, 1, 0, 1, 2),   // 1x1, two groups
            G(6, 7, 7, 3, 3, 2, 1, 1, 3),   // three groups, stride, pad
            G(1, 5, 5, 1, 5, 1, 0, 1, 1),   // kernel the size of the input
            G(2, 21, 23, 3, 5, 1, 0, 1, 1), // an odd row count, rows wider than a vector
            G(1, 20, 24, 4, 5, 1, 0, 1, 1), // LeNet's first layer on a smaller image
            G(3, 8, 8, 6, 3, 1, 1, 1, 1),   // 64 pixels a plane: a chunk's GEMM writes the planes in place
            G(4, 8, 8, 10, 3, 1, 1, 1, 2),  // the same per group
        };
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Forward_matches_a_naive_convolution(ConvGeometry g)
    {
        const int batch = 3;
        var (x, w, b) = Inputs(g, batch);
        var y = new float[batch * g.Filters * g.OutHeight * g.OutWidth];
        ConvolutionKernels.Forward(x, w, b, y, Workspace(g), batch, g);
        TestData.AssertClose(Naive(x, w, b, batch, g), y, 1e-4, 1e-4, $"conv {g}");
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Gradients_match_finite_differences(ConvGeometry g)
    {
        const int batch = 2;
        var (x, w, b) = Inputs(g, batch);
        var dy = TestData.Random(batch * g.Filters * g.OutHeight * g.OutWidth, 3);
        double Loss() => TestData.Dot(Naive(x, w, b, batch, g), dy);

        var dx = new float[x.Length];
        var dw = new float[w.Length];
        var db = new float[b.Length];
        ConvolutionKernels.BackwardData(dy, w, dx, Workspace(g), batch, g, accumulate: false);
        ConvolutionKernels.BackwardWeight(x, dy, dw, db, Workspace(g), batch, g, accumulateWeight: false, accumulateBias: false);
        TestData.AssertClose(TestData.NumericGradient(x, Loss), dx, 2e-3, 1e-2, "dL/dx");
        TestData.AssertClose(TestData.NumericGradient(w, Loss), dw, 2e-3, 1e-2, "dL/dW");
        TestData.AssertClose(TestData.NumericGradient(b, Loss), db, 2e-3, 1e-2, "dL/db");
    }

    /// <summary>
    /// Geometries whose GEMMs take the microkernel (enough filters, and for the weight gradient more
    /// patch rows than dot products take): patch rows and chunk widths over one k block, output
    /// rows that straddle tiles, tiles cut short. Checked against direct sums, not finite
    /// differences, which would take minutes at these sizes.
    /// </summary>
    public static TheoryData<ConvGeometry> MicrokernelGeometries()
    {
        static ConvGeometry G(int c, int h, int w, int f, int k, int s, int p, int d, int groups)
        {
            int oh = ((h + (2 * p) - (d * (k - 1)) - 1) / s) + 1, ow = ((w + (2 * p) - (d * (k - 1)) - 1) / s) + 1;
            return new ConvGeometry(c, h, w, f, k, k, s, s, p, p, d, d, groups, oh, ow);
        }

        return new TheoryData<ConvGeometry>
        {
            G(12, 9, 10, 16, 5, 1, 2, 1, 1),  // 300 patch rows, 9x10 out, padding on every side
            G(30, 11, 13, 9, 3, 2, 1, 1, 1),  // stride 2, 270 patch rows, a filter tile cut short
            G(64, 10, 10, 12, 3, 1, 2, 2, 2), // dilation 2, two groups of 288 patch rows
            G(20, 12, 12, 50, 5, 1, 0, 1, 1), // LeNet's second layer: 8x8 planes written in place
            G(3, 70, 70, 32, 3, 1, 1, 1, 1),  // an RGB first layer: a sample's output in bands of rows, the last short; dW by filters
            G(6, 66, 66, 64, 3, 1, 1, 1, 2),  // the same per group
        };
    }

    [Fact]
    public void A_fused_forward_in_bands_applies_the_bias_residual_and_activation_to_every_band()
    {
        // 32 filters of 70x70: past the output a sample keeps in cache, so each sample goes in bands of rows.
        var g = new ConvGeometry(3, 70, 70, 32, 3, 3, 1, 1, 1, 1, 1, 1, 1, 70, 70);
        Assert.InRange(ConvolutionKernels.BandRows(g), 1, g.OutHeight - 1);
        const int batch = 3;
        var (x, w, b) = Inputs(g, batch);
        var residual = TestData.Random(batch * g.Filters * g.OutPixels, 5);
        var y = new float[residual.Length];
        ConvolutionKernels.Forward(x, w, b, residual, y, Workspace(g), batch, g, Epilogue.Relu);
        var expected = Naive(x, w, b, batch, g).Select((v, i) => MathF.Max(0f, v + residual[i])).ToArray();
        TestData.AssertClose(expected, y, 1e-4, 1e-4, "conv + residual + relu");
    }

    [Theory]
    [MemberData(nameof(MicrokernelGeometries))]
    public void Microkernel_geometries_match_the_naive_convolution_and_its_gradients(ConvGeometry g)
    {
        const int batch = 5;
        var (x, w, b) = Inputs(g, batch);
        var y = new float[batch * g.Filters * g.OutHeight * g.OutWidth];
        ConvolutionKernels.Forward(x, w, b, y, Workspace(g), batch, g);
        TestData.AssertClose(Naive(x, w, b, batch, g), y, 1e-4, 1e-4, $"conv {g}");

        var dy = TestData.Random(y.Length, 3);
        var dx = new float[x.Length];
        var dw = new float[w.Length];
        var db = new float[b.Length];
        ConvolutionKernels.BackwardData(dy, w, dx, Workspace(g), batch, g, accumulate: false);
        ConvolutionKernels.BackwardWeight(x, dy, dw, db, Workspace(g), batch, g, accumulateWeight: false, accumulateBias: false);
        var (wantDx, wantDw) = NaiveGradients(x, w, dy, batch, g);
        TestData.AssertClose(wantDx, dx, 1e-4, 1e-4, "dL/dx");
        TestData.AssertClose(wantDw, dw, 1e-4, 1e-4, "dL/dW");
    }

    [Theory]
    [MemberData(nameof(MicrokernelGeometries))]
    public void The_weight_gradient_without_a_bias_gradient_is_the_same(ConvGeometry g)
    {
        const int batch = 3;
        var (x, _, _) = Inputs(g, batch);
        var dy = TestData.Random(batch * g.Filters * g.OutPixels, 4);
        float[] withBias = new float[g.WeightLength], withoutBias = new float[g.WeightLength];
        ConvolutionKernels.BackwardWeight(x, dy, withBias, new float[g.Filters], Workspace(g), batch, g, accumulateWeight: false, accumulateBias: false);
        ConvolutionKernels.BackwardWeight(x, dy, withoutBias, default, Workspace(g), batch, g, accumulateWeight: false, accumulateBias: false);
        Assert.Equal(withBias, withoutBias);
    }

    [Fact]
    public void Accumulating_gradients_add_to_what_is_there()
    {
        var g = new ConvGeometry(2, 6, 6, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1, 6, 6);
        var (x, w, _) = Inputs(g, 2);
        var dy = TestData.Random(2 * 3 * 36, 4);
        var dw = new float[w.Length];
        var db = new float[3];
        ConvolutionKernels.BackwardWeight(x, dy, dw, db, Workspace(g), 2, g, accumulateWeight: false, accumulateBias: false);
        var once = dw.ToArray();
        ConvolutionKernels.BackwardWeight(x, dy, dw, db, Workspace(g), 2, g, accumulateWeight: true, accumulateBias: true);
        TestData.AssertClose(once.Select(v => 2 * v).ToArray(), dw, 1e-5, 1e-5, "dW twice");
    }

    private static float[] Workspace(ConvGeometry g) => new float[ConvolutionKernels.WorkspacePerThread(g) * Nxt.Cpu.CpuWorkers.Parallelism];

    private static (float[] X, float[] W, float[] B) Inputs(ConvGeometry g, int batch)
        => (TestData.Random(batch * g.Channels * g.Height * g.Width, 1),
            TestData.Random(g.Filters * (g.Channels / g.Groups) * g.KernelH * g.KernelW, 2),
            TestData.Random(g.Filters, 5));

    // dL/dx and dL/dW of L = Σ y·dy, summed in double over every tap.
    private static (float[] Dx, float[] Dw) NaiveGradients(float[] x, float[] w, float[] dy, int batch, ConvGeometry g)
    {
        var dx = new double[x.Length];
        var dw = new double[w.Length];
        ForEachTap(batch, g, (xi, wi, yi) =>
        {
            dx[xi] += (double)dy[yi] * w[wi];
            dw[wi] += (double)dy[yi] * x[xi];
        });
        return (dx.Select(v => (float)v).ToArray(), dw.Select(v => (float)v).ToArray());
    }

    private static float[] Naive(float[] x, float[] w, float[] b, int batch, ConvGeometry g)
    {
        int pixels = g.OutHeight * g.OutWidth;
        var sums = new double[batch * g.Filters * pixels];
        for (int i = 0; i < sums.Length; i++)
        {
            sums[i] = b[i / pixels % g.Filters];
        }

        ForEachTap(batch, g, (xi, wi, yi) => sums[yi] += (double)x[xi] * w[wi]);
        return sums.Select(v => (float)v).ToArray();
    }

    // Every (input, weight, output) index triple the convolution multiplies: each sample, filter
    // and output pixel with each tap of its window that lies inside the input.
    private static void ForEachTap(int batch, ConvGeometry g, Action<int, int, int> tap)
    {
        int cg = g.Channels / g.Groups, fg = g.Filters / g.Groups;
        for (int n = 0; n < batch; n++)
        {
            for (int f = 0; f < g.Filters; f++)
            {
                for (int oh = 0; oh < g.OutHeight; oh++)
                {
                    for (int ow = 0; ow < g.OutWidth; ow++)
                    {
                        int yi = (((n * g.Filters) + f) * g.OutHeight * g.OutWidth) + (oh * g.OutWidth) + ow;
                        for (int c = 0; c < cg; c++)
                        {
                            for (int kh = 0; kh < g.KernelH; kh++)
                            {
                                for (int kw = 0; kw < g.KernelW; kw++)
                                {
                                    int ih = (oh * g.StrideH) - g.PadH + (kh * g.DilateH), iw = (ow * g.StrideW) - g.PadW + (kw * g.DilateW);
                                    if (ih >= 0 && ih < g.Height && iw >= 0 && iw < g.Width)
                                    {
                                        int xi = (((n * g.Channels) + ((f / fg) * cg) + c) * g.Height * g.Width) + (ih * g.Width) + iw;
                                        tap(xi, (((f * cg) + c) * g.KernelH * g.KernelW) + (kh * g.KernelW) + kw, yi);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

using Nxt.Cpu;
using Nxt.Kernels;

namespace Nxt.Runtime.Tests.Kernels;

/// <summary>
/// The implicit-GEMM packing: every block a GEMM may ask for, packed from the images, must equal
/// the same block of the im2col matrix packed as the GEMM packs a stored B.
/// </summary>
public unsafe class ReceptiveFieldPanelsTests
{
    public static TheoryData<ConvGeometry, int, int, int, int> Blocks()
    {
        static ConvGeometry G(int c, int h, int w, int f, int k, int s, int p, int d)
        {
            int oh = ((h + (2 * p) - (d * (k - 1)) - 1) / s) + 1, ow = ((w + (2 * p) - (d * (k - 1)) - 1) / s) + 1;
            return new ConvGeometry(c, h, w, f, k, k, s, s, p, p, d, d, 1, oh, ow);
        }

        var lenet2 = G(20, 12, 12, 50, 5, 1, 0, 1);   // 8x8 out: four output rows a 32-column strip
        var padded = G(3, 9, 10, 8, 5, 1, 2, 1);      // 9x10 out, windows over the padding on every side
        var strided = G(2, 11, 13, 4, 3, 2, 1, 1);    // stride 2 with padding
        var dilated = G(2, 10, 9, 4, 3, 1, 2, 2);     // dilation 2 with padding
        return new TheoryData<ConvGeometry, int, int, int, int>
        {
            // (geometry, pc, kc, jc, nc): k and n ranges of the block, in the untransposed matrix's terms
            { lenet2, 0, 500, 0, 192 },
            { lenet2, 256, 244, 32, 100 },
            { padded, 0, 75, 0, 270 },
            { padded, 7, 30, 13, 61 },
            { strided, 0, 18, 0, 126 },
            { strided, 5, 9, 41, 85 },
            { dilated, 0, 18, 0, 189 },
            { dilated, 1, 17, 3, 150 },
        };
    }

    [Theory]
    [MemberData(nameof(Blocks))]
    public void Packed_columns_equal_the_im2col_matrix_packed(ConvGeometry g, int pc, int kc, int jc, int nc)
    {
        var (x, columns, width) = Chunk(g);
        var panel = Pack(g, x, transposed: false, pc, kc, jc, nc);
        AssertPanel(panel, kc, nc, (p, j) => columns[((pc + p) * width) + jc + j], "columns");
    }

    [Theory]
    [MemberData(nameof(Blocks))]
    public void Packed_transposed_columns_equal_the_im2col_matrix_transposed_and_packed(ConvGeometry g, int pc, int kc, int jc, int nc)
    {
        // Transposed, k runs over the pixels and n over the patch rows: the block's ranges swap.
        var (x, columns, width) = Chunk(g);
        int pixelStart = jc, pixels = Math.Min(nc, 256), rowStart = pc, rows = kc;
        var panel = Pack(g, x, transposed: true, pixelStart, pixels, rowStart, rows);
        AssertPanel(panel, pixels, rows, (p, j) => columns[((rowStart + j) * width) + pixelStart + p], "transposed columns");
    }

    private const int Samples = 3;

    // Three samples' images and their im2col matrices side by side, as a convolution chunk lays them out.
    private static (float[] X, float[] Columns, int Width) Chunk(ConvGeometry g)
    {
        var x = TestData.Random(Samples * g.InputLength, 7);
        int width = Samples * g.OutPixels;
        var columns = new float[g.PatchLength * width];
        for (int i = 0; i < Samples; i++)
        {
            ConvolutionKernels.Im2Col(x.AsSpan(i * g.InputLength), columns.AsSpan(i * g.OutPixels), g, width);
        }

        return (x, columns, width);
    }

    private static float[] Pack(ConvGeometry g, float[] x, bool transposed, int pc, int kc, int jc, int nc)
    {
        int strips = (nc + Gemm.NR - 1) / Gemm.NR;
        var panel = new float[strips * kc * Gemm.NR];
        Array.Fill(panel, float.NaN);
        var fields = new ReceptiveFieldPanels();
        fixed (float* images = x)
        fixed (float* dst = panel)
        {
            fields.Set(images, g.InputLength, g, transposed);
            fields.Pack(pc, kc, jc, nc, dst);
        }

        return panel;
    }

    // Strip s holds columns [s·NR, (s+1)·NR), row p's NR of them together; columns past nc are zero.
    private static void AssertPanel(float[] panel, int kc, int nc, Func<int, int, float> expected, string what)
    {
        int nr = Gemm.NR;
        for (int strip = 0; strip * nr < nc; strip++)
        {
            for (int p = 0; p < kc; p++)
            {
                for (int col = 0; col < nr; col++)
                {
                    int j = (strip * nr) + col;
                    float want = j < nc ? expected(p, j) : 0f;
                    float got = panel[(strip * kc * nr) + (p * nr) + col];
                    Assert.True(want == got, $"{what}: k {p}, n {j} (strip {strip}) is {got}, the im2col matrix has {want}.");
                }
            }
        }
    }
}

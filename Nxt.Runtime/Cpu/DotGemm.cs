using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Nxt.Cpu;

/// <summary>
/// <c>C = A · Bᵀ</c> with both operands contiguous along k (a dense layer's forward: inputs
/// times the <c>(units, inputs)</c> weight) as blocks of 4×4 dot products: sixteen 512-bit
/// accumulators run along k, fed straight from A's and B's rows, and are summed across lanes
/// once at the end. It serves products with a few columns (a classifier's 10 units, a
/// convolution's 20 filters in its weight gradient), where the packed GEMM's 32-column strips
/// would be mostly padding. Wider products once took it too (64×128×784 at 92 GFLOP/s when the
/// packed GEMM's scalar transposing pack held it to 50-60); since that pack runs in vectors the
/// packed GEMM wins there (one AVX-512 core: 0.10 against 0.17 ms for 64×128×784, 4.9 against
/// 7-11 ms for 27×128×50,176; even at 128×16×1,024, 0.060 against 0.066).
/// </summary>
internal static unsafe class DotGemm
{
    [ThreadStatic]
    private static DotWork? t_work;

    /// <summary>Whether this path suits the product: AVX-512, a long k, and too few columns to fill the packed GEMM's strips.</summary>
    public static bool Suits(int m, int n, int k) => Vector512.IsHardwareAccelerated && k >= 128 && m >= 4 && m <= 128 && n >= 4 && n <= MaxColumns;

    // 64×10×500 (LeNet's classifier) 0.012 against 0.015 ms packed, 25×20×4,608 0.075 against 0.087;
    // 128×16×1,024 already 0.066 against 0.060 (one AVX-512 core).
    private const int MaxColumns = 20;

    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k, bool accumulate, long parallelThreshold)
    {
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            var work = t_work ??= new DotWork();
            work.Set(pa, pb, pc, m, n, k, accumulate);
            int parts = (long)m * n * k < parallelThreshold ? 1 : Math.Min(CpuWorkers.Parallelism, (m + 3) / 4);
            CpuWorkers.Run(work, parts);
            work.Clear();
        }
    }

    // Over a long k (a convolution's weight gradient sums over every pixel of its samples: 4,608
    // a chunk for LeNet's first) the operands' rows are walked a block of k at a time, so the
    // block's rows of B stay in cache while every row of A passes over them; each tile is summed
    // across its lanes and added to C once a block. Without it each 4×4 tile streamed eight whole
    // rows from memory (27×128×50,176, the tutorial conv's: 24 GFLOP/s on one core, 49 blocked).
    private static void Rows(float* a, float* b, float* c, int n, int k, int rowStart, int rowEnd, bool accumulate)
    {
        int block = KBlock(n, k);
        for (int p = 0; p < k; p += block)
        {
            int length = Math.Min(block, k - p);
            RowsOfBlock(a + p, b + p, c, n, k, length, rowStart, rowEnd, accumulate || p > 0);
        }
    }

    /// <summary>The k block: all of a k up to <see cref="WholeK"/>, else as much as keeps n rows of B within <see cref="BlockBytes"/>, in whole vectors.</summary>
    private static int KBlock(int n, int k)
        => k <= WholeK ? k : Math.Max(MinBlock, BlockBytes / sizeof(float) / n / 16 * 16);

    // Up to this k (a dense layer's inputs) a tile walks k whole, as it did before blocking: one sum across lanes.
    private const int WholeK = 4096;

    // The block's rows of B: a quarter of a megabyte stays in any x86 core's L2 (512 KB on Zen 3).
    private const int BlockBytes = 256 * 1024;

    // Below this each tile's sums across lanes would cost more than its multiply-adds.
    private const int MinBlock = 512;

    // Rows [rowStart, rowEnd) of C (+)= A · Bᵀ over k-columns [0, length) of A and B, whose rows are ld apart.
    private static void RowsOfBlock(float* a, float* b, float* c, int n, int ld, int length, int rowStart, int rowEnd, bool accumulate)
    {
        for (int i = rowStart; i < rowEnd; i += 4)
        {
            int rows = Math.Min(4, rowEnd - i);
            for (int j = 0; j < n; j += 4)
            {
                int cols = Math.Min(4, n - j);
                float* tile = c + ((long)i * n) + j;
                if (rows == 4 && cols == 4)
                {
                    Block(a + ((long)i * ld), b + ((long)j * ld), tile, n, ld, length, accumulate);
                    continue;
                }

                if (rows < 4)
                {
                    // The last rows of A: each against every row of B, eight FMA chains at a time
                    // (one dot product's single chain would wait on the FMA's latency).
                    for (int r = 0; r < rows; r++)
                    {
                        RowProduct.OverStride(a + ((long)(i + r) * ld), b, c + ((long)(i + r) * n), n, ld, length, accumulate);
                    }

                    break;
                }

                for (int r = 0; r < rows; r++)
                {
                    for (int col = 0; col < cols; col++)
                    {
                        float dot = Dot(a + ((long)(i + r) * ld), b + ((long)(j + col) * ld), length);
                        tile[((long)r * n) + col] = accumulate ? tile[((long)r * n) + col] + dot : dot;
                    }
                }
            }
        }
    }

    private static float Dot(float* x, float* y, int k)
    {
        var sum = Vector512<float>.Zero;
        int p = 0;
        for (; p + 16 <= k; p += 16)
        {
            sum = Vector512.FusedMultiplyAdd(Vector512.Load(x + p), Vector512.Load(y + p), sum);
        }

        float total = Vector512.Sum(sum);
        for (; p < k; p++)
        {
            total += x[p] * y[p];
        }

        return total;
    }

    // A 4×4 block of C over k columns of rows ld apart: per k step four rows of A and, one at a time, four rows of B.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block(float* a, float* b, float* c, int ldc, int ld, int k, bool accumulate)
    {
        Vector512<float> c00 = default, c01 = default, c02 = default, c03 = default, c10 = default, c11 = default, c12 = default, c13 = default;
        Vector512<float> c20 = default, c21 = default, c22 = default, c23 = default, c30 = default, c31 = default, c32 = default, c33 = default;
        float* a0 = a, a1 = a + ld, a2 = a + (2 * ld), a3 = a + (3 * ld);
        float* b0 = b, b1 = b + ld, b2 = b + (2 * ld), b3 = b + (3 * ld);
        int p = 0;
        for (; p + 16 <= k; p += 16)
        {
            var x0 = Vector512.Load(a0 + p);
            var x1 = Vector512.Load(a1 + p);
            var x2 = Vector512.Load(a2 + p);
            var x3 = Vector512.Load(a3 + p);
            var y = Vector512.Load(b0 + p);
            c00 = Vector512.FusedMultiplyAdd(x0, y, c00);
            c10 = Vector512.FusedMultiplyAdd(x1, y, c10);
            c20 = Vector512.FusedMultiplyAdd(x2, y, c20);
            c30 = Vector512.FusedMultiplyAdd(x3, y, c30);
            y = Vector512.Load(b1 + p);
            c01 = Vector512.FusedMultiplyAdd(x0, y, c01);
            c11 = Vector512.FusedMultiplyAdd(x1, y, c11);
            c21 = Vector512.FusedMultiplyAdd(x2, y, c21);
            c31 = Vector512.FusedMultiplyAdd(x3, y, c31);
            y = Vector512.Load(b2 + p);
            c02 = Vector512.FusedMultiplyAdd(x0, y, c02);
            c12 = Vector512.FusedMultiplyAdd(x1, y, c12);
            c22 = Vector512.FusedMultiplyAdd(x2, y, c22);
            c32 = Vector512.FusedMultiplyAdd(x3, y, c32);
            y = Vector512.Load(b3 + p);
            c03 = Vector512.FusedMultiplyAdd(x0, y, c03);
            c13 = Vector512.FusedMultiplyAdd(x1, y, c13);
            c23 = Vector512.FusedMultiplyAdd(x2, y, c23);
            c33 = Vector512.FusedMultiplyAdd(x3, y, c33);
        }

        Store(c, accumulate, Vector512.Sum(c00), Vector512.Sum(c01), Vector512.Sum(c02), Vector512.Sum(c03), a0, b0, b1, b2, b3, p, k);
        Store(c + ldc, accumulate, Vector512.Sum(c10), Vector512.Sum(c11), Vector512.Sum(c12), Vector512.Sum(c13), a1, b0, b1, b2, b3, p, k);
        Store(c + (2 * ldc), accumulate, Vector512.Sum(c20), Vector512.Sum(c21), Vector512.Sum(c22), Vector512.Sum(c23), a2, b0, b1, b2, b3, p, k);
        Store(c + (3 * ldc), accumulate, Vector512.Sum(c30), Vector512.Sum(c31), Vector512.Sum(c32), Vector512.Sum(c33), a3, b0, b1, b2, b3, p, k);
    }

    /// <summary>One row of a block of four dot products: the vector sums plus the k tail past the last full vector.</summary>
    internal static void Store(float* row, bool accumulate, float s0, float s1, float s2, float s3, float* a, float* b0, float* b1, float* b2, float* b3, int tail, int k)
    {
        for (int p = tail; p < k; p++)
        {
            s0 += a[p] * b0[p];
            s1 += a[p] * b1[p];
            s2 += a[p] * b2[p];
            s3 += a[p] * b3[p];
        }

        row[0] = accumulate ? row[0] + s0 : s0;
        row[1] = accumulate ? row[1] + s1 : s1;
        row[2] = accumulate ? row[2] + s2 : s2;
        row[3] = accumulate ? row[3] + s3 : s3;
    }

    /// <summary>The product's rows in parts of whole 4-row blocks.</summary>
    private sealed class DotWork : ProductWork
    {
        public override void Run(int part, int partCount)
        {
            (int first, int last) = CpuWorkers.PartRange(M, 4, part, partCount);
            Rows(A, B, C, N, K, first, last, Accumulate);
        }
    }
}

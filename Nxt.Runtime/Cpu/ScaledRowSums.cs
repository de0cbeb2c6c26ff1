using System;

namespace Nxt.Cpu;

/// <summary>
/// <c>C (m×n) (+)= op(A) · B</c> for a product with a handful of rows (B stored k×n): each row of C
/// is a sum of B's rows scaled by A's entries. That is the weight gradient of a dense layer with a
/// few units (<c>dW = dyᵀ · x</c>) and the input gradient at a small batch (<c>dx = dy · W</c>).
/// C is taken in column blocks of a few KB, each finished over all of k while it sits in L1, and
/// a wide product's blocks are shared out over the workers. Each element of C sees the same
/// multiply-adds in the same order in any split, so every split gives the same bits.
/// </summary>
internal static unsafe class ScaledRowSums
{
    // 4 KB of a row of C a block, a whole number of vectors of every width, so that a block's
    // vector loop and scalar tail cover the same elements as one pass over the whole row would.
    private const int BlockLength = 1024;

    // Below this much of B to read, one core streams it from cache faster than a second core
    // can be handed half.
    private const long ParallelFloats = 1L << 20;

    [ThreadStatic]
    private static ScaledRowWork? t_work;

    /// <summary>C (+)= op(A) · B; A stored m×k, or k×m when <paramref name="transposeA"/>.</summary>
    public static void Multiply(float* a, bool transposeA, float* b, float* c, int m, int n, int k, bool accumulate)
        => MultiplyInParts(a, transposeA, b, c, m, n, k, accumulate, (long)k * n >= ParallelFloats ? CpuWorkers.Parallelism : 1);

    /// <summary><see cref="Multiply"/> over at most <paramref name="parts"/> parts of whole column blocks: every split gives the same bits.</summary>
    internal static void MultiplyInParts(float* a, bool transposeA, float* b, float* c, int m, int n, int k, bool accumulate, int parts)
    {
        int blocks = (n + BlockLength - 1) / BlockLength;
        var work = t_work ??= new ScaledRowWork();
        work.Set(a, b, c, m, n, k, accumulate);
        work.TransposeA = transposeA;
        CpuWorkers.Run(work, Math.Min(parts, blocks));
        work.Clear();
    }

    // Columns [first, last) of every row of C, a block at a time.
    private static void Columns(float* a, bool transposeA, float* b, float* c, int m, int n, int k, int first, int last, bool accumulate)
    {
        for (int start = first; start < last; start += BlockLength)
        {
            int length = Math.Min(BlockLength, last - start);
            for (int i = 0; i < m; i++)
            {
                var row = new Span<float>(c + ((long)i * n) + start, length);
                if (!accumulate)
                {
                    row.Clear();
                }

                for (int p = 0; p < k; p++)
                {
                    float scale = transposeA ? a[((long)p * m) + i] : a[((long)i * k) + p];
                    Gemm.ScaledAdd(row, scale, new ReadOnlySpan<float>(b + ((long)p * n) + start, length));
                }
            }
        }
    }

    /// <summary>The product in parts of whole column blocks.</summary>
    private sealed class ScaledRowWork : ProductWork
    {
        public bool TransposeA { get; set; }

        public override void Run(int part, int partCount)
        {
            (int first, int last) = CpuWorkers.PartRange(N, BlockLength, part, partCount);
            Columns(A, TransposeA, B, C, M, N, K, first, last, Accumulate);
        }
    }
}

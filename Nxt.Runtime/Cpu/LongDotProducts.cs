using System;
using System.Runtime.InteropServices;

namespace Nxt.Cpu;

/// <summary>
/// <c>C (m×n) (+)= A · Bᵀ</c> for a product with a handful of columns and a long k: a dense
/// layer with one to three units over a large input (the MXNet tutorial's 2-unit head reads
/// 1.6M features a sample). Such a product is a few dot products as long as the whole input, too
/// few columns to split between cores, so k is cut into fixed blocks: each block's m×n partial
/// dot products are computed with the block's rows of A and B in cache (each operand read from
/// memory once, where whole-length dot products read B once per row of A), the blocks shared out
/// over the workers, and the partials summed in block order. The blocks do not depend on how many
/// workers run, so every split gives the same bits.
/// </summary>
internal static unsafe class LongDotProducts
{
    // 16 KB of each row a block: a tutorial-sized block (8 rows of A, 2 of B) stays in L2.
    private const int BlockLength = 4096;

    // Below this much of A and B to read, one core streams it from cache faster than a second
    // core can be handed half (the operands then fit the caller's L2).
    private const long ParallelFloats = 1L << 20;

    [ThreadStatic]
    private static LongDotWork? t_work;

    [ThreadStatic]
    private static float* t_partials;

    [ThreadStatic]
    private static long t_partialsLength;

    /// <summary>Whether the product is long enough for blocks: more than one block of k.</summary>
    public static bool Suits(int k) => k > BlockLength;

    /// <summary>C (+)= A · Bᵀ, A m×k and B n×k, both contiguous along k.</summary>
    public static void Multiply(float* a, float* b, float* c, int m, int n, int k, bool accumulate)
    {
        bool large = (long)(m + n) * k >= ParallelFloats;
        MultiplyInParts(a, b, c, m, n, k, accumulate, large ? CpuWorkers.Parallelism : 1);
    }

    /// <summary><see cref="Multiply"/> over at most <paramref name="parts"/> parts of whole blocks: every split gives the same bits.</summary>
    internal static void MultiplyInParts(float* a, float* b, float* c, int m, int n, int k, bool accumulate, int parts)
    {
        int blocks = (k + BlockLength - 1) / BlockLength;
        long partialsLength = (long)blocks * m * n;
        if (partialsLength > t_partialsLength)
        {
            // Native and kept per thread, like the GEMM's packing buffers: the first call of a
            // shape allocates, later calls (every training step) do not.
            t_partials = (float*)NativeMemory.Realloc(t_partials, (nuint)(partialsLength * sizeof(float)));
            t_partialsLength = partialsLength;
        }

        var work = t_work ??= new LongDotWork();
        work.Set(a, b, c, m, n, k, accumulate);
        work.Partials = t_partials;
        CpuWorkers.Run(work, Math.Min(parts, blocks));
        work.Partials = null;
        work.Clear();
        SumBlocks(t_partials, c, m * n, blocks, accumulate);
    }

    // C (+)= the sum of each block's partials, block 0 first.
    private static void SumBlocks(float* partials, float* c, int count, int blocks, bool accumulate)
    {
        for (int e = 0; e < count; e++)
        {
            float sum = partials[e];
            for (int block = 1; block < blocks; block++)
            {
                sum += partials[((long)block * count) + e];
            }

            c[e] = accumulate ? c[e] + sum : sum;
        }
    }

    /// <summary>The blocks [first, last) of k, in parts of whole blocks.</summary>
    private sealed class LongDotWork : ProductWork
    {
        public float* Partials { get; set; }

        public override void Run(int part, int partCount)
        {
            int blocks = (K + BlockLength - 1) / BlockLength;
            (int first, int last) = CpuWorkers.PartRange(blocks, 1, part, partCount);
            for (int block = first; block < last; block++)
            {
                int start = block * BlockLength;
                int length = Math.Min(BlockLength, K - start);
                float* partial = Partials + ((long)block * M * N);
                for (int i = 0; i < M; i++)
                {
                    var aRow = new ReadOnlySpan<float>(A + ((long)i * K) + start, length);
                    for (int j = 0; j < N; j++)
                    {
                        partial[(i * N) + j] = Gemm.Dot(aRow, new ReadOnlySpan<float>(B + ((long)j * K) + start, length));
                    }
                }
            }
        }
    }
}

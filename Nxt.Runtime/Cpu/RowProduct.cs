using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Nxt.Cpu;

/// <summary>
/// <c>C (+)= A · Bᵀ</c> for a few rows of A (a dense layer's forward at batch 1 to 4): each row
/// against four rows of B at a time, each with two 256-bit accumulators, so eight independent FMA
/// chains hide the FMA's latency and each load of A serves four rows of B. Such a layer is bound
/// by streaming its weights from cache, so a large one is split over the CPU workers by rows of B:
/// each core then streams half the weights from its own L2. Where the split has lately run slower
/// than one core (some of a virtual machine's vCPU placements), the caller runs it alone (<see cref="SplitChoice"/>).
/// </summary>
internal static unsafe class RowProduct
{
    [ThreadStatic]
    private static RowWork? t_work;

    [ThreadStatic]
    private static bool t_inferencePass;

    [ThreadStatic]
    private static SplitChoice t_choice;

    // When a product worth splitting last found the workers asleep (Stopwatch ticks): a second one
    // soon after wakes them.
    private static long s_lastLargeCall;

    /// <summary>
    /// Whether the calling thread runs an inference pass (the module sets it around a forward with
    /// isTrain false), the only one split over the workers. There the weights are only read, so each
    /// core keeps its half in its own cache from one call to the next. In a training step the
    /// backward and the update write every weight and its gradient on the caller's core, and a split
    /// forward moved half of them between the cores twice a step: MLP training at batch 1 went from
    /// 49 to 66 µs on Zen 4 with the split, against 7.4 -> 3.7 µs for the prediction.
    /// </summary>
    public static bool InferencePass
    {
        get => t_inferencePass;
        set => t_inferencePass = value;
    }

    /// <summary>Whether a row can take this path: 256-bit vectors and a k of a few vectors.</summary>
    public static bool Suits(int k) => Vector256.IsHardwareAccelerated && k >= 64;

    // 128 KB of weights: about a microsecond on one core, several times what handing half to a
    // spinning worker costs. The MLP's 784×128 first layer is above it, its 128×64 second below.
    private const long ParallelMultiplyAdds = 32 * 1024;

    // A worker spins some 50-70 µs after its last part; calls closer than this find it spinning
    // once one of them has woken it.
    private static readonly long s_streamGap = Stopwatch.Frequency / 20_000;

    /// <summary>Rows [0, m) of C (m×n) (+)= A (m×k) · Bᵀ, B stored n×k; both dense.</summary>
    public static void Multiply(float* a, int m, float* b, float* c, int n, int k, bool accumulate)
    {
        int parts = PartsFor(m, n, k);
        if (parts <= 1)
        {
            MultiplyInParts(a, m, b, c, n, k, accumulate, 1);
            return;
        }

        // Split or alone, whichever has lately been faster on this thread (see SplitChoice).
        ref var choice = ref t_choice;
        bool split = choice.Next(out bool timed);
        long start = timed ? Stopwatch.GetTimestamp() : 0;
        MultiplyInParts(a, m, b, c, n, k, accumulate, split ? parts : 1);
        if (timed)
        {
            choice.Record(split, Stopwatch.GetTimestamp() - start, (long)m * n * k);
        }
    }

    /// <summary><see cref="Multiply"/> over <paramref name="parts"/> parts of whole groups of four rows of B: every split gives the same bits.</summary>
    internal static void MultiplyInParts(float* a, int m, float* b, float* c, int n, int k, bool accumulate, int parts)
    {
        // Made on the first call, split or not (the split depends on the workers' state; see ParallelCopy).
        var work = t_work ??= new RowWork();
        if (parts <= 1)
        {
            Rows(a, m, b, c, n, k, 0, n, accumulate);
            return;
        }

        work.Set(a, b, c, m, n, k, accumulate);
        CpuWorkers.Run(work, parts);
        work.Clear();
    }

    // One part unless an inference pass's product is large and the workers are spinning: a
    // part handed to a sleeping worker waits tens of microseconds for it, several times the
    // whole product. A second large product soon after the first (batch-1 predictions in a
    // loop) wakes them without waiting, so the third finds them spinning; a lone call never
    // pays for a wake-up.
    private static int PartsFor(int m, int n, int k)
    {
        if (!t_inferencePass || (long)m * n * k < ParallelMultiplyAdds || CpuWorkers.Parallelism == 1 || n < 8)
        {
            return 1;
        }

        if (CpuWorkers.WorkersAwake)
        {
            return Math.Min(CpuWorkers.Parallelism, n / 4);
        }

        long now = Stopwatch.GetTimestamp();
        if (now - s_lastLargeCall < s_streamGap)
        {
            CpuWorkers.Wake();
        }

        s_lastLargeCall = now;
        return 1;
    }

    // Columns [first, last) of rows [0, m) of C.
    private static void Rows(float* a, int m, float* b, float* c, int n, int k, int first, int last, bool accumulate)
    {
        for (int i = 0; i < m; i++)
        {
            OverStride(a + ((long)i * k), b + ((long)first * k), c + ((long)i * n) + first, last - first, k, k, accumulate);
        }
    }

    /// <summary>
    /// <c>c (+)= a · Bᵀ</c> for one row <paramref name="a"/> over k columns of B's n rows, which lie
    /// ld apart. 256-bit vectors on AVX-512 machines too: the loop is bound by bringing B from L2,
    /// and B lies wherever the GC put the parameters, where a 512-bit load off a 64-byte boundary
    /// touches two cache lines every time (784×128 on one Zen 4 core: 3.98-4.14 µs in 256-bit
    /// vectors, 4.30-4.64 in 512-bit ones with B misaligned; 3.6 µs either way aligned).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void OverStride(float* a, float* b, float* c, int n, int ld, int k, bool accumulate)
    {
        int j = 0;
        for (; j + 4 <= n; j += 4)
        {
            float* b0 = b + ((long)j * ld), b1 = b0 + ld, b2 = b1 + ld, b3 = b2 + ld;
            Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default, t0 = default, t1 = default, t2 = default, t3 = default;
            int p = 0;
            for (; p + 16 <= k; p += 16)
            {
                var x = Vector256.Load(a + p);
                var x2 = Vector256.Load(a + p + 8);
                s0 = Vector256.FusedMultiplyAdd(x, Vector256.Load(b0 + p), s0);
                t0 = Vector256.FusedMultiplyAdd(x2, Vector256.Load(b0 + p + 8), t0);
                s1 = Vector256.FusedMultiplyAdd(x, Vector256.Load(b1 + p), s1);
                t1 = Vector256.FusedMultiplyAdd(x2, Vector256.Load(b1 + p + 8), t1);
                s2 = Vector256.FusedMultiplyAdd(x, Vector256.Load(b2 + p), s2);
                t2 = Vector256.FusedMultiplyAdd(x2, Vector256.Load(b2 + p + 8), t2);
                s3 = Vector256.FusedMultiplyAdd(x, Vector256.Load(b3 + p), s3);
                t3 = Vector256.FusedMultiplyAdd(x2, Vector256.Load(b3 + p + 8), t3);
            }

            for (; p + 8 <= k; p += 8)
            {
                var x = Vector256.Load(a + p);
                s0 = Vector256.FusedMultiplyAdd(x, Vector256.Load(b0 + p), s0);
                s1 = Vector256.FusedMultiplyAdd(x, Vector256.Load(b1 + p), s1);
                s2 = Vector256.FusedMultiplyAdd(x, Vector256.Load(b2 + p), s2);
                s3 = Vector256.FusedMultiplyAdd(x, Vector256.Load(b3 + p), s3);
            }

            DotGemm.Store(c + j, accumulate, Vector256.Sum(s0 + t0), Vector256.Sum(s1 + t1), Vector256.Sum(s2 + t2), Vector256.Sum(s3 + t3), a, b0, b1, b2, b3, p, k);
        }

        Remaining(a, b, c, j, n, ld, k, accumulate);
    }

    // The last n mod 4 rows of B, one dot product each.
    private static void Remaining(float* a, float* b, float* c, int j, int n, int ld, int k, bool accumulate)
    {
        for (; j < n; j++)
        {
            float* row = b + ((long)j * ld);
            var sum = System.Numerics.Vector<float>.Zero;
            int p = 0;
            for (; p + System.Numerics.Vector<float>.Count <= k; p += System.Numerics.Vector<float>.Count)
            {
                sum = System.Numerics.Vector.FusedMultiplyAdd(System.Numerics.Vector.Load(a + p), System.Numerics.Vector.Load(row + p), sum);
            }

            float dot = System.Numerics.Vector.Sum(sum);
            for (; p < k; p++)
            {
                dot += a[p] * row[p];
            }

            c[j] = accumulate ? c[j] + dot : dot;
        }
    }

    /// <summary>The product in parts of whole groups of four rows of B (columns of C).</summary>
    private sealed class RowWork : ProductWork
    {
        public override void Run(int part, int partCount)
        {
            (int first, int last) = CpuWorkers.PartRange(N, 4, part, partCount);
            Rows(A, M, B, C, N, K, first, last, Accumulate);
        }
    }
}

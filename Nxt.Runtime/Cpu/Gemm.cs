using System;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Nxt.Cpu;

/// <summary>
/// Single-precision matrix multiply for row-major matrices:
/// <c>C = op(A) · op(B)</c>, or <c>C += op(A) · op(B)</c> when accumulating, where
/// <c>op(A)</c> is <c>m×k</c> and <c>op(B)</c> is <c>k×n</c>.
/// Goto/BLIS structure: B is packed into <c>KC×NC</c> panels and A into <c>MC×KC</c> blocks of
/// <c>MR</c>-row strips, so that a register-tiled <c>MR×NR</c> microkernel streams both from
/// cache. An operand that few tiles would share (at most 64 rows of A, or 64 columns of B) is
/// read where it lies instead of packed. Large products are split over the CPU workers by rows or columns.
/// </summary>
public static unsafe class Gemm
{
    private const int KC = 256;
    private const int MC = 120;
    private const int NC = 1024;

    // With this few rows of A, packing B costs more than the multiply: stream B instead.
    private const int SmallRows = 4;

    // Up to this many rows of A, each packed B strip would serve few microkernel tiles: a stored
    // B is read in place instead (a convolution's im2col matrix under its filters).
    private const int RowsReadingBInPlace = 64;

    // Up to this many columns of B (two AVX-512 strips, four AVX2 ones), each packed A strip would
    // serve few tiles: a stored A is read in place instead (a convolution's columns under the
    // transposed output gradient in its weight gradient, dWᵀ = columns · dyᵀ).
    private const int ColumnsReadingAInPlace = 64;

    // Below this many multiply-adds, waking another core costs more than it saves.
    private const long ParallelThreshold = 1L << 20;

    private static readonly bool s_useVector512 = Vector512.IsHardwareAccelerated;

    // The microkernel's rows: AVX-512's 32 registers hold an 8x32 tile (16 accumulators), which
    // divides the usual batch sizes (an RNN step's 32 rows took 6 strips of 6, the last mostly
    // padding); AVX2's 16 hold 6x16 (12 accumulators, two B vectors, a broadcast).
    private static readonly int MR = s_useVector512 ? 8 : 6;

    /// <summary>The microkernel's column width: two vectors of the widest accelerated type.</summary>
    internal static readonly int NR = s_useVector512 ? 2 * Vector512<float>.Count : 2 * System.Numerics.Vector<float>.Count;

    [ThreadStatic]
    private static GemmWork? t_work;

    [ThreadStatic]
    private static float* t_packA;

    [ThreadStatic]
    private static float* t_packB;

    /// <summary>Which microkernel runs on this machine (for benchmarks and logs).</summary>
    public static string KernelName => s_useVector512 ? $"AVX-512 {MR}x{NR}" : $"Vector<float> {MR}x{NR}";

    /// <summary>
    /// <c>C (m×n) = op(A) · op(B)</c>, or <c>+=</c> when <paramref name="accumulate"/>.
    /// A is stored <c>m×k</c> (<c>k×m</c> when <paramref name="transposeA"/>); B is stored
    /// <c>k×n</c> (<c>n×k</c> when <paramref name="transposeB"/>); all dense, row-major.
    /// </summary>
    public static void Multiply(
        ReadOnlySpan<float> a, bool transposeA,
        ReadOnlySpan<float> b, bool transposeB,
        Span<float> c, int m, int n, int k, bool accumulate = false)
    {
        if (m < 0 || n < 0 || k < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(m), $"GEMM sizes must be non-negative, got m={m}, n={n}, k={k}.");
        }

        if (a.Length < (long)m * k || b.Length < (long)k * n || c.Length < (long)m * n)
        {
            throw new ArgumentException(
                $"GEMM m={m}, n={n}, k={k} needs A of {(long)m * k}, B of {(long)k * n} and C of {(long)m * n} elements; got {a.Length}, {b.Length} and {c.Length}.");
        }

        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0)
        {
            if (!accumulate)
            {
                c[..(m * n)].Clear();
            }

            return;
        }

        if (!TakesPanels(m, n, k, transposeA, transposeB))
        {
            MultiplyWithoutPanels(a, transposeA, b, transposeB, c, m, n, k, accumulate);
            return;
        }

        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            var work = t_work ??= new GemmWork();
            work.Set(pa, transposeA ? m : k, transposeA, pb, transposeB ? k : n, transposeB, pc, n, m, n, k, accumulate);
            RunOnPanels(work);
        }
    }

    // Whether a product goes through packed panels and the microkernel; the others stream their operands.
    private static bool TakesPanels(int m, int n, int k, bool transposeA, bool transposeB)
        => m > SmallRows && !(transposeB && !transposeA && (DotGemm.Suits(m, n, k) || n <= SmallRows));

    // The products TakesPanels turns away: a few rows, or A·Bᵀ that suits dot products.
    private static void MultiplyWithoutPanels(ReadOnlySpan<float> a, bool transposeA, ReadOnlySpan<float> b, bool transposeB, Span<float> c, int m, int n, int k, bool accumulate)
    {
        if (m <= SmallRows)
        {
            MultiplySmallRows(a, transposeA, b, transposeB, c, m, n, k, accumulate);
        }
        else if (DotGemm.Suits(m, n, k))
        {
            DotGemm.Multiply(a, b, c, m, n, k, accumulate, ParallelThreshold);
        }
        else
        {
            // A dense layer with a handful of units (the tutorial's 1.6M-input, 2-unit head): a
            // microkernel tile would be mostly padding, dot products stream both operands once
            // (a long k in blocks over the workers).
            fixed (float* pa = a)
            fixed (float* pb = b)
            fixed (float* pc = c)
            {
                if (LongDotProducts.Suits(k))
                {
                    LongDotProducts.Multiply(pa, pb, pc, m, n, k, accumulate);
                }
                else
                {
                    MultiplyByDots(pa, false, pb, pc, m, n, k, accumulate);
                }
            }
        }
    }

    // Runs the set-up work over the workers, the longer side split so each part keeps whole microkernel tiles.
    private static void RunOnPanels(GemmWork work)
    {
        long flops = (long)work.M * work.N * work.K;
        int parts = flops < ParallelThreshold ? 1 : CpuWorkers.Parallelism;
        parts = work.SplitColumns ? Math.Min(parts, (work.N + NR - 1) / NR) : Math.Min(parts, (work.M + MR - 1) / MR);
        CpuWorkers.Run(work, parts);
        work.Clear();
    }

    /// <summary>The floats <see cref="Pack"/> writes for an <c>op(B)</c> of <c>k×n</c>.</summary>
    public static int PackedLength(int n, int k) => k * RoundUpToStrip(n);

    /// <summary>
    /// <c>op(B)</c> (<c>k×n</c>, stored as <see cref="Multiply"/> takes it) packed once into
    /// <paramref name="packed"/>, as <see cref="Multiply"/> would pack it on every call, for
    /// <see cref="MultiplyPacked"/>: an RNN multiplies by the same recurrent weight at every step.
    /// </summary>
    public static void Pack(ReadOnlySpan<float> b, bool transposeB, Span<float> packed, int n, int k)
    {
        if (b.Length < (long)k * n || packed.Length < PackedLength(n, k))
        {
            throw new ArgumentException($"Packing a {k}x{n} operand needs {(long)k * n} floats into {PackedLength(n, k)}; got {b.Length} into {packed.Length}.");
        }

        fixed (float* pb = b)
        fixed (float* dst = packed)
        {
            var work = t_work ??= new GemmWork();
            work.Set(null, 0, false, pb, transposeB ? k : n, transposeB, null, n, 0, n, k, false);
            for (int pc = 0; pc < k; pc += KC)
            {
                PackB(work, pc, Math.Min(KC, k - pc), 0, n, dst + ((long)pc * RoundUpToStrip(n)), NR);
            }

            work.Clear();
        }
    }

    /// <summary>
    /// <see cref="Multiply"/> with <c>op(B)</c> already packed by <see cref="Pack"/>; <paramref name="b"/>
    /// is still given, for the products too small to take the packed path.
    /// </summary>
    public static void MultiplyPacked(ReadOnlySpan<float> a, ReadOnlySpan<float> b, bool transposeB, ReadOnlySpan<float> packed, Span<float> c, int m, int n, int k, bool accumulate = false)
    {
        if (k == 0 || n == 0 || !TakesPanels(m, n, k, false, transposeB))
        {
            Multiply(a, false, b, transposeB, c, m, n, k, accumulate);
            return;
        }

        if (a.Length < (long)m * k || packed.Length < PackedLength(n, k) || c.Length < (long)m * n)
        {
            throw new ArgumentException($"GEMM m={m}, n={n}, k={k} needs A of {(long)m * k}, packed B of {PackedLength(n, k)} and C of {(long)m * n} elements; got {a.Length}, {packed.Length} and {c.Length}.");
        }

        fixed (float* pa = a)
        fixed (float* pp = packed)
        fixed (float* pc = c)
        {
            var work = t_work ??= new GemmWork();
            work.Set(pa, k, false, null, 0, transposeB, pc, n, m, n, k, accumulate);
            work.PackedB = pp;
            RunOnPanels(work);
        }
    }

    /// <summary>
    /// Whether <see cref="MultiplyIntoSegments"/> takes an <c>m×n</c> product by <c>k</c> whose columns
    /// go in segments of <paramref name="segment"/>: the panel path, and whole microkernel tiles per
    /// segment, or one segment of any width (its edge tile ends where the matrix does).
    /// </summary>
    internal static bool SuitsSegments(int m, int n, int k, int segment)
        => (segment % NR == 0 || segment == n) && n % segment == 0 && TakesPanels(m, n, k, false, false);

    /// <summary>
    /// <c>C = A · B</c> (A <c>m×k</c>, B <c>k×n</c> with rows <paramref name="ldb"/> apart) where C's
    /// columns lie in segments of <paramref name="segment"/>: column <c>j</c> of row <c>i</c> is at
    /// <c>(j / segment) · segmentStride + i · ldc + j % segment</c>. A convolution's chunk of samples
    /// (their columns side by side in B) writes each sample's output planes in place this way.
    /// Only for shapes <see cref="SuitsSegments"/> accepts.
    /// </summary>
    internal static void MultiplyIntoSegments(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int ldb, float* c, int ldc, int segment, long segmentStride, int m, int n, int k)
    {
        if (!SuitsSegments(m, n, k, segment) || a.Length < (long)m * k || b.Length < ((long)(k - 1) * ldb) + n)
        {
            throw new ArgumentException($"A segmented GEMM m={m}, n={n}, k={k} in segments of {segment} needs whole {NR}-column tiles and A of {(long)m * k}, B of {((long)(k - 1) * ldb) + n}; got {a.Length} and {b.Length}.");
        }

        fixed (float* pa = a)
        fixed (float* pb = b)
        {
            var work = t_work ??= new GemmWork();
            work.Set(pa, k, false, pb, ldb, false, c, ldc, m, n, k, accumulate: false);
            work.Segment(segment, segmentStride);
            RunOnPanels(work);
        }
    }

    private static int RoundUpToStrip(int n) => (n + NR - 1) / NR * NR;

    // Batch-1 and small-batch layers: each row of C is dot products with B's rows (Bᵀ stored
    // row-major, the FullyConnected forward: in k blocks when C has a handful of columns, else by
    // rows of B) or a sum of B's rows scaled by A (the data gradient, and with A transposed the
    // weight gradient of a layer with a handful of units).
    private static void MultiplySmallRows(ReadOnlySpan<float> a, bool transposeA, ReadOnlySpan<float> b, bool transposeB, Span<float> c, int m, int n, int k, bool accumulate)
    {
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            if (!transposeB)
            {
                ScaledRowSums.Multiply(pa, transposeA, pb, pc, m, n, k, accumulate);
            }
            else if (!transposeA && n <= SmallRows && LongDotProducts.Suits(k))
            {
                LongDotProducts.Multiply(pa, pb, pc, m, n, k, accumulate);
            }
            else if (!transposeA && RowProduct.Suits(k))
            {
                RowProduct.Multiply(pa, m, pb, pc, n, k, accumulate);
            }
            else
            {
                MultiplyByDots(pa, transposeA, pb, pc, m, n, k, accumulate);
            }
        }
    }

    // C (+)= op(A) · Bᵀ as one dot product an element (A transposed: strided loads of A).
    private static void MultiplyByDots(float* a, bool transposeA, float* b, float* c, int m, int n, int k, bool accumulate)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float dot;
                if (transposeA)
                {
                    dot = 0;
                    for (int p = 0; p < k; p++)
                    {
                        dot += a[((long)p * m) + i] * b[((long)j * k) + p];
                    }
                }
                else
                {
                    dot = Dot(new ReadOnlySpan<float>(a + ((long)i * k), k), new ReadOnlySpan<float>(b + ((long)j * k), k));
                }

                c[((long)i * n) + j] = accumulate ? c[((long)i * n) + j] + dot : dot;
            }
        }
    }

    /// <summary>The dot product of two equally long rows, in two vector accumulators.</summary>
    internal static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        var vx = MemoryMarshal.Cast<float, System.Numerics.Vector<float>>(x);
        var vy = MemoryMarshal.Cast<float, System.Numerics.Vector<float>>(y);
        var sum0 = System.Numerics.Vector<float>.Zero;
        var sum1 = System.Numerics.Vector<float>.Zero;
        int i = 0;
        for (; i + 1 < vx.Length; i += 2)
        {
            sum0 = System.Numerics.Vector.MultiplyAddEstimate(vx[i], vy[i], sum0);
            sum1 = System.Numerics.Vector.MultiplyAddEstimate(vx[i + 1], vy[i + 1], sum1);
        }

        if (i < vx.Length)
        {
            sum0 = System.Numerics.Vector.MultiplyAddEstimate(vx[i], vy[i], sum0);
        }

        float total = System.Numerics.Vector.Sum(sum0 + sum1);
        for (int t = vx.Length * System.Numerics.Vector<float>.Count; t < x.Length; t++)
        {
            total += x[t] * y[t];
        }

        return total;
    }

    /// <summary><c>y += alpha · x</c>: vectors, then a scalar tail.</summary>
    internal static void ScaledAdd(Span<float> y, float alpha, ReadOnlySpan<float> x)
    {
        var vy = MemoryMarshal.Cast<float, System.Numerics.Vector<float>>(y);
        var vx = MemoryMarshal.Cast<float, System.Numerics.Vector<float>>(x);
        var va = new System.Numerics.Vector<float>(alpha);
        for (int i = 0; i < vy.Length; i++)
        {
            vy[i] = System.Numerics.Vector.MultiplyAddEstimate(va, vx[i], vy[i]);
        }

        for (int t = vy.Length * System.Numerics.Vector<float>.Count; t < y.Length; t++)
        {
            y[t] += alpha * x[t];
        }
    }

    private static void MultiplyBlock(GemmWork w, int rowStart, int rowEnd, int colStart, int colEnd)
    {
        if (t_packA == null)
        {
            t_packA = (float*)NativeMemory.AlignedAlloc((nuint)(MC * KC * sizeof(float)), 64);
            t_packB = (float*)NativeMemory.AlignedAlloc((nuint)(KC * ((NC + 63) / 64 * 64) * sizeof(float)), 64);
        }

        float* packA = t_packA, packB = t_packB;
        int nr = NR;
        bool aInPlace = w.ReadsAInPlace, bInPlace = w.ReadsBInPlace;
        for (int jc = colStart; jc < colEnd; jc += NC)
        {
            int nc = Math.Min(NC, colEnd - jc);
            for (int pc = 0; pc < w.K; pc += KC)
            {
                int kc = Math.Min(KC, w.K - pc);
                bool accumulate = w.Accumulate || pc > 0;
                float* panel = packB;
                if (w.PackedB is not null)
                {
                    // Packed once by Pack: block pc holds every strip of kc rows; jc is a whole strip.
                    panel = w.PackedB + ((long)pc * RoundUpToStrip(w.N)) + ((long)(jc / nr) * kc * nr);
                }
                else if (!bInPlace)
                {
                    PackB(w, pc, kc, jc, nc, packB, nr);
                }

                for (int ic = rowStart; ic < rowEnd; ic += MC)
                {
                    int mc = Math.Min(MC, rowEnd - ic);
                    if (!aInPlace)
                    {
                        PackA(w, ic, mc, pc, kc, packA);
                    }

                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        int ncols = Math.Min(nr, nc - jr);
                        var b = StripOfB(w, bInPlace, panel, pc, kc, jc + jr, jr, ncols);
                        for (int ir = 0; ir < mc; ir += MR)
                        {
                            int nrows = Math.Min(MR, mc - ir);
                            float* cTile = w.CAt(ic + ir, jc + jr);
                            if (aInPlace && nrows == MR)
                            {
                                RunTile(kc, new AStrip(w.ARow(ic + ir) + pc, w.Lda), b, cTile, w.Ldc, nrows, ncols, accumulate);
                                continue;
                            }

                            // A packed, or the last rows of an A read in place: packed on their own (reading
                            // MR rows in place would run past A's end).
                            if (aInPlace)
                            {
                                PackA(w, ic + ir, nrows, pc, kc, packA + (ir * kc));
                            }

                            RunTile(kc, new AStrip(packA + (ir * kc), 0), b, cTile, w.Ldc, nrows, ncols, accumulate);
                        }
                    }
                }
            }
        }
    }

    // B's strip of columns [col, col+ncols) over rows [pc, pc+kc): in the panel, or read in place
    // where whole; a last, narrower strip of a B read in place is packed on its own.
    private static BStrip StripOfB(GemmWork w, bool inPlace, float* panel, int pc, int kc, int col, int jr, int ncols)
    {
        if (!inPlace)
        {
            return new BStrip(panel + (jr * kc), NR);
        }

        if (ncols == NR)
        {
            return new BStrip(w.BRow(pc) + col, w.Ldb);
        }

        PackB(w, pc, kc, col, ncols, t_packB, NR);
        return new BStrip(t_packB, NR);
    }

    /// <summary>An MR-row strip of A: packed (k-major, MR floats a k) when <see cref="Lda"/> is 0, else MR rows Lda apart, each contiguous along k.</summary>
    private readonly struct AStrip(float* start, int lda)
    {
        public float* Start => start;

        public int Lda => lda;
    }

    /// <summary>An NR-column strip of B: row p's NR floats at Start + p·Ldb (NR when packed).</summary>
    private readonly struct BStrip(float* start, int ldb)
    {
        public float* Start => start;

        public int Ldb => ldb;
    }

    // op(A)[ic..ic+mc, pc..pc+kc] as MR-row strips, k-major inside a strip, zero-padded rows.
    private static void PackA(GemmWork w, int ic, int mc, int pc, int kc, float* dst)
    {
        if (w.TransposeA)
        {
            PackTransposedA(w, ic, mc, pc, kc, dst);
            return;
        }

        // Each row of A is contiguous along k: a strip is MR rows transposed.
        for (int ir = 0; ir < mc; ir += MR)
        {
            TransposedPanels.Pack(w.ARow(ic + ir) + pc, w.Lda, Math.Min(MR, mc - ir), kc, dst, MR);
            dst += kc * MR;
        }
    }

    // Aᵀ stored (a weight gradient's dyᵀ): stored row pc+p is op(A)'s column, contiguous over the
    // rows, so it is read once, MR floats into each strip, rather than one float per stored row.
    private static void PackTransposedA(GemmWork w, int ic, int mc, int pc, int kc, float* dst)
    {
        int strips = (mc + MR - 1) / MR;
        for (int p = 0; p < kc; p++)
        {
            float* src = w.AColumn(pc + p) + ic;
            for (int strip = 0; strip < strips; strip++)
            {
                float* slot = dst + ((long)strip * kc * MR) + (p * MR);
                int first = strip * MR, rows = Math.Min(MR, mc - first);
                ColumnRun.Copy(src + first, slot, rows);
                ColumnRun.Clear(slot + rows, MR - rows);
            }
        }
    }

    // op(B)[pc..pc+kc, jc..jc+nc] as NR-column strips, k-major inside a strip, zero-padded columns.
    private static void PackB(GemmWork w, int pc, int kc, int jc, int nc, float* dst, int nr)
    {
        for (int jr = 0; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            if (w.TransposeB)
            {
                // Bᵀ stored row-major (a FullyConnected weight): each column of op(B) is a contiguous
                // row, so a strip is nr of them transposed.
                TransposedPanels.Pack(w.BColumn(jc + jr) + pc, w.Ldb, cols, kc, dst, nr);
                dst += kc * nr;
                continue;
            }

            // Inline vector copies: a call into memmove per 16 or 32 floats cost as much as the copy.
            for (int p = 0; p < kc; p++, dst += nr)
            {
                ColumnRun.Copy(w.BRow(pc + p) + jc + jr, dst, cols);
                ColumnRun.Clear(dst + cols, nr - cols);
            }
        }
    }

    private static void RunTile(int kc, AStrip a, BStrip b, float* c, int ldc, int rows, int cols, bool accumulate)
    {
        if (rows == MR && cols == NR)
        {
            Microkernel(kc, a, b, c, ldc, accumulate);
            return;
        }

        // Edge tile: compute the full tile into a scratch block, then copy the valid part.
        float* tile = stackalloc float[MR * 2 * Vector512<float>.Count];
        Microkernel(kc, a, b, tile, NR, accumulate: false);
        for (int r = 0; r < rows; r++)
        {
            float* src = tile + (r * NR);
            float* dst = c + ((long)r * ldc);
            if (accumulate)
            {
                ColumnRun.Add(src, dst, cols);
            }
            else
            {
                ColumnRun.Copy(src, dst, cols);
            }
        }
    }

    private static void Microkernel(int kc, AStrip a, BStrip b, float* c, int ldc, bool accumulate)
    {
        if (s_useVector512)
        {
            if (a.Lda == 0)
            {
                Microkernel512(kc, a.Start, b.Start, b.Ldb, c, ldc, accumulate);
            }
            else
            {
                MicrokernelRows512(kc, a.Start, a.Lda, b.Start, b.Ldb, c, ldc, accumulate);
            }
        }
        else if (a.Lda == 0)
        {
            MicrokernelPortable(kc, a.Start, b.Start, b.Ldb, c, ldc, accumulate);
        }
        else
        {
            MicrokernelRowsPortable(kc, a.Start, a.Lda, b.Start, b.Ldb, c, ldc, accumulate);
        }
    }

    // 8×32 tile in sixteen 512-bit accumulators: per k step two B loads, eight broadcasts, sixteen FMAs.
    private static void Microkernel512(int kc, float* pa, float* pb, int ldb, float* c, int ldc, bool accumulate)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default, c50 = default, c51 = default, c60 = default, c61 = default, c70 = default, c71 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(pb);
            Vector512<float> b1 = Vector512.Load(pb + 16);
            Vector512<float> a = Vector512.Create(pa[0]);
            c00 = Vector512.MultiplyAddEstimate(a, b0, c00);
            c01 = Vector512.MultiplyAddEstimate(a, b1, c01);
            a = Vector512.Create(pa[1]);
            c10 = Vector512.MultiplyAddEstimate(a, b0, c10);
            c11 = Vector512.MultiplyAddEstimate(a, b1, c11);
            a = Vector512.Create(pa[2]);
            c20 = Vector512.MultiplyAddEstimate(a, b0, c20);
            c21 = Vector512.MultiplyAddEstimate(a, b1, c21);
            a = Vector512.Create(pa[3]);
            c30 = Vector512.MultiplyAddEstimate(a, b0, c30);
            c31 = Vector512.MultiplyAddEstimate(a, b1, c31);
            a = Vector512.Create(pa[4]);
            c40 = Vector512.MultiplyAddEstimate(a, b0, c40);
            c41 = Vector512.MultiplyAddEstimate(a, b1, c41);
            a = Vector512.Create(pa[5]);
            c50 = Vector512.MultiplyAddEstimate(a, b0, c50);
            c51 = Vector512.MultiplyAddEstimate(a, b1, c51);
            a = Vector512.Create(pa[6]);
            c60 = Vector512.MultiplyAddEstimate(a, b0, c60);
            c61 = Vector512.MultiplyAddEstimate(a, b1, c61);
            a = Vector512.Create(pa[7]);
            c70 = Vector512.MultiplyAddEstimate(a, b0, c70);
            c71 = Vector512.MultiplyAddEstimate(a, b1, c71);
            pa += 8;
            pb += ldb;
        }

        Store512(c, c00, c01, accumulate);
        Store512(c + ldc, c10, c11, accumulate);
        Store512(c + (2 * ldc), c20, c21, accumulate);
        Store512(c + (3 * ldc), c30, c31, accumulate);
        Store512(c + (4 * ldc), c40, c41, accumulate);
        Store512(c + (5 * ldc), c50, c51, accumulate);
        Store512(c + (6 * ldc), c60, c61, accumulate);
        Store512(c + (7 * ldc), c70, c71, accumulate);
    }

    private static void Store512(float* row, Vector512<float> lo, Vector512<float> hi, bool accumulate)
    {
        if (accumulate)
        {
            lo += Vector512.Load(row);
            hi += Vector512.Load(row + 16);
        }

        lo.Store(row);
        hi.Store(row + 16);
    }

    // The same 6×(2·W) tile with Vector<float> (AVX2: 6×16; ARM64 NEON: 6×8).
    private static void MicrokernelPortable(int kc, float* pa, float* pb, int ldb, float* c, int ldc, bool accumulate)
    {
        int w = System.Numerics.Vector<float>.Count;
        var c00 = System.Numerics.Vector<float>.Zero; var c01 = c00; var c10 = c00; var c11 = c00;
        var c20 = c00; var c21 = c00; var c30 = c00; var c31 = c00; var c40 = c00; var c41 = c00; var c50 = c00; var c51 = c00;
        for (int p = 0; p < kc; p++)
        {
            var b0 = System.Numerics.Vector.Load(pb);
            var b1 = System.Numerics.Vector.Load(pb + w);
            var a = new System.Numerics.Vector<float>(pa[0]);
            c00 = System.Numerics.Vector.MultiplyAddEstimate(a, b0, c00);
            c01 = System.Numerics.Vector.MultiplyAddEstimate(a, b1, c01);
            a = new System.Numerics.Vector<float>(pa[1]);
            c10 = System.Numerics.Vector.MultiplyAddEstimate(a, b0, c10);
            c11 = System.Numerics.Vector.MultiplyAddEstimate(a, b1, c11);
            a = new System.Numerics.Vector<float>(pa[2]);
            c20 = System.Numerics.Vector.MultiplyAddEstimate(a, b0, c20);
            c21 = System.Numerics.Vector.MultiplyAddEstimate(a, b1, c21);
            a = new System.Numerics.Vector<float>(pa[3]);
            c30 = System.Numerics.Vector.MultiplyAddEstimate(a, b0, c30);
            c31 = System.Numerics.Vector.MultiplyAddEstimate(a, b1, c31);
            a = new System.Numerics.Vector<float>(pa[4]);
            c40 = System.Numerics.Vector.MultiplyAddEstimate(a, b0, c40);
            c41 = System.Numerics.Vector.MultiplyAddEstimate(a, b1, c41);
            a = new System.Numerics.Vector<float>(pa[5]);
            c50 = System.Numerics.Vector.MultiplyAddEstimate(a, b0, c50);
            c51 = System.Numerics.Vector.MultiplyAddEstimate(a, b1, c51);
            pa += 6;
            pb += ldb;
        }

        StorePortable(c, c00, c01, w, accumulate);
        StorePortable(c + ldc, c10, c11, w, accumulate);
        StorePortable(c + (2 * ldc), c20, c21, w, accumulate);
        StorePortable(c + (3 * ldc), c30, c31, w, accumulate);
        StorePortable(c + (4 * ldc), c40, c41, w, accumulate);
        StorePortable(c + (5 * ldc), c50, c51, w, accumulate);
    }

    // Microkernel512 with A's eight rows read in place (lda apart, contiguous along k): the
    // broadcasts load from eight streams instead of one packed strip.
    private static void MicrokernelRows512(int kc, float* a, int lda, float* pb, int ldb, float* c, int ldc, bool accumulate)
    {
        float* a0 = a, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda, a4 = a3 + lda, a5 = a4 + lda, a6 = a5 + lda, a7 = a6 + lda;
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default, c50 = default, c51 = default, c60 = default, c61 = default, c70 = default, c71 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(pb);
            Vector512<float> b1 = Vector512.Load(pb + 16);
            Vector512<float> x = Vector512.Create(a0[p]);
            c00 = Vector512.MultiplyAddEstimate(x, b0, c00);
            c01 = Vector512.MultiplyAddEstimate(x, b1, c01);
            x = Vector512.Create(a1[p]);
            c10 = Vector512.MultiplyAddEstimate(x, b0, c10);
            c11 = Vector512.MultiplyAddEstimate(x, b1, c11);
            x = Vector512.Create(a2[p]);
            c20 = Vector512.MultiplyAddEstimate(x, b0, c20);
            c21 = Vector512.MultiplyAddEstimate(x, b1, c21);
            x = Vector512.Create(a3[p]);
            c30 = Vector512.MultiplyAddEstimate(x, b0, c30);
            c31 = Vector512.MultiplyAddEstimate(x, b1, c31);
            x = Vector512.Create(a4[p]);
            c40 = Vector512.MultiplyAddEstimate(x, b0, c40);
            c41 = Vector512.MultiplyAddEstimate(x, b1, c41);
            x = Vector512.Create(a5[p]);
            c50 = Vector512.MultiplyAddEstimate(x, b0, c50);
            c51 = Vector512.MultiplyAddEstimate(x, b1, c51);
            x = Vector512.Create(a6[p]);
            c60 = Vector512.MultiplyAddEstimate(x, b0, c60);
            c61 = Vector512.MultiplyAddEstimate(x, b1, c61);
            x = Vector512.Create(a7[p]);
            c70 = Vector512.MultiplyAddEstimate(x, b0, c70);
            c71 = Vector512.MultiplyAddEstimate(x, b1, c71);
            pb += ldb;
        }

        Store512(c, c00, c01, accumulate);
        Store512(c + ldc, c10, c11, accumulate);
        Store512(c + (2 * ldc), c20, c21, accumulate);
        Store512(c + (3 * ldc), c30, c31, accumulate);
        Store512(c + (4 * ldc), c40, c41, accumulate);
        Store512(c + (5 * ldc), c50, c51, accumulate);
        Store512(c + (6 * ldc), c60, c61, accumulate);
        Store512(c + (7 * ldc), c70, c71, accumulate);
    }

    // MicrokernelPortable with A's six rows read in place.
    private static void MicrokernelRowsPortable(int kc, float* a, int lda, float* pb, int ldb, float* c, int ldc, bool accumulate)
    {
        int w = System.Numerics.Vector<float>.Count;
        float* a0 = a, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda, a4 = a3 + lda, a5 = a4 + lda;
        var c00 = System.Numerics.Vector<float>.Zero; var c01 = c00; var c10 = c00; var c11 = c00;
        var c20 = c00; var c21 = c00; var c30 = c00; var c31 = c00; var c40 = c00; var c41 = c00; var c50 = c00; var c51 = c00;
        for (int p = 0; p < kc; p++)
        {
            var b0 = System.Numerics.Vector.Load(pb);
            var b1 = System.Numerics.Vector.Load(pb + w);
            var x = new System.Numerics.Vector<float>(a0[p]);
            c00 = System.Numerics.Vector.MultiplyAddEstimate(x, b0, c00);
            c01 = System.Numerics.Vector.MultiplyAddEstimate(x, b1, c01);
            x = new System.Numerics.Vector<float>(a1[p]);
            c10 = System.Numerics.Vector.MultiplyAddEstimate(x, b0, c10);
            c11 = System.Numerics.Vector.MultiplyAddEstimate(x, b1, c11);
            x = new System.Numerics.Vector<float>(a2[p]);
            c20 = System.Numerics.Vector.MultiplyAddEstimate(x, b0, c20);
            c21 = System.Numerics.Vector.MultiplyAddEstimate(x, b1, c21);
            x = new System.Numerics.Vector<float>(a3[p]);
            c30 = System.Numerics.Vector.MultiplyAddEstimate(x, b0, c30);
            c31 = System.Numerics.Vector.MultiplyAddEstimate(x, b1, c31);
            x = new System.Numerics.Vector<float>(a4[p]);
            c40 = System.Numerics.Vector.MultiplyAddEstimate(x, b0, c40);
            c41 = System.Numerics.Vector.MultiplyAddEstimate(x, b1, c41);
            x = new System.Numerics.Vector<float>(a5[p]);
            c50 = System.Numerics.Vector.MultiplyAddEstimate(x, b0, c50);
            c51 = System.Numerics.Vector.MultiplyAddEstimate(x, b1, c51);
            pb += ldb;
        }

        StorePortable(c, c00, c01, w, accumulate);
        StorePortable(c + ldc, c10, c11, w, accumulate);
        StorePortable(c + (2 * ldc), c20, c21, w, accumulate);
        StorePortable(c + (3 * ldc), c30, c31, w, accumulate);
        StorePortable(c + (4 * ldc), c40, c41, w, accumulate);
        StorePortable(c + (5 * ldc), c50, c51, w, accumulate);
    }

    private static void StorePortable(float* row, System.Numerics.Vector<float> lo, System.Numerics.Vector<float> hi, int w, bool accumulate)
    {
        if (accumulate)
        {
            lo += System.Numerics.Vector.Load(row);
            hi += System.Numerics.Vector.Load(row + w);
        }

        System.Numerics.Vector.Store(lo, row);
        System.Numerics.Vector.Store(hi, row + w);
    }

    /// <summary>One GEMM call's arguments, reused per calling thread so dispatch allocates nothing.</summary>
    private sealed class GemmWork : IParallelWork
    {
        private float* _a;
        private float* _b;
        private int _lda;
        private int _ldb;
        private bool _transposeA;

        public float* C { get; private set; }

        public int Ldc { get; private set; }

        public int M { get; private set; }

        public int N { get; private set; }

        public int K { get; private set; }

        public bool Accumulate { get; private set; }

        public bool TransposeB { get; private set; }

        public bool SplitColumns => N >= M;

        public int Lda => _lda;

        public int Ldb => _ldb;

        /// <summary>Whether the microkernel reads A's rows where they are stored (few columns: a packed strip would serve few tiles).</summary>
        public bool ReadsAInPlace => !_transposeA && N <= ColumnsReadingAInPlace && M >= MR;

        /// <summary>Whether the microkernel reads B's rows where they are stored (few rows: a packed strip would serve few tiles).</summary>
        public bool ReadsBInPlace => !TransposeB && PackedB is null && M <= RowsReadingBInPlace && N >= NR;

        /// <summary>op(B) packed by <see cref="Pack"/>, or null to pack it per block.</summary>
        public float* PackedB { get; set; }

        // C's columns in segments (MultiplyIntoSegments), or 0: one matrix.
        private int _segment;
        private long _segmentStride;

        public void Segment(int length, long stride)
        {
            _segment = length;
            _segmentStride = stride;
        }

        /// <summary>Where C's element (row, col) lies; a tile starting at col stays in its segment.</summary>
        public float* CAt(int row, int col)
            => _segment == 0 ? C + ((long)row * Ldc) + col : C + ((col / _segment) * _segmentStride) + ((long)row * Ldc) + (col % _segment);

        public void Set(float* a, int lda, bool transposeA, float* b, int ldb, bool transposeB, float* c, int ldc, int m, int n, int k, bool accumulate)
        {
            _a = a;
            _lda = lda;
            _transposeA = transposeA;
            _b = b;
            _ldb = ldb;
            TransposeB = transposeB;
            C = c;
            Ldc = ldc;
            M = m;
            N = n;
            K = k;
            Accumulate = accumulate;
        }

        public void Clear()
        {
            _a = null;
            _b = null;
            C = null;
            PackedB = null;
            _segment = 0;
        }

        public float* BRow(int row) => _b + ((long)row * _ldb);

        /// <summary>Column <paramref name="col"/> of op(B) when B is stored transposed: a contiguous row of the storage.</summary>
        public float* BColumn(int col) => _b + ((long)col * _ldb);

        /// <summary>Column <paramref name="col"/> of op(A) when A is stored transposed: a contiguous row of the storage.</summary>
        public float* AColumn(int col) => _a + ((long)col * _lda);

        /// <summary>Row <paramref name="row"/> of op(A) when A is not transposed: contiguous along k.</summary>
        public float* ARow(int row) => _a + ((long)row * _lda);

        public bool TransposeA => _transposeA;

        public void Run(int part, int partCount)
        {
            if (SplitColumns)
            {
                (int start, int end) = CpuWorkers.PartRange(N, NR, part, partCount);
                MultiplyBlock(this, 0, M, start, end);
            }
            else
            {
                (int start, int end) = CpuWorkers.PartRange(M, MR, part, partCount);
                MultiplyBlock(this, start, end, 0, N);
            }
        }
    }
}

using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nxt.Cpu;

/// <summary>
/// Packs a GEMM operand whose stored rows run along k into the k-major strips the microkernel
/// reads: <c>dst[p·width + r] = row r's float p</c>. That is a transpose; one float at a time
/// it costs a store per float (17 % of LeNet's AVX2 training step went to such packs), so eight
/// rows by eight k are transposed in registers (AVX's unpack, shuffle and lane permute) and
/// stored eight floats at a time. Rows past <c>rows</c> are written as zeros: a strip's padding.
/// </summary>
internal static unsafe class TransposedPanels
{
    /// <summary>
    /// <c>dst[p·width + r] = src[r·ld + p]</c> for <c>p &lt; kc</c>, <c>r &lt; width</c>, zero for
    /// <c>r ≥ rows</c>; <paramref name="width"/> is 6 or a multiple of 8 (the microkernel's MR, or its NR).
    /// </summary>
    public static void Pack(float* src, long ld, int rows, int kc, float* dst, int width)
    {
        int p = 0;
        if (Avx.IsSupported && (width == 6 || width % 8 == 0))
        {
            // A 6-wide strip is written eight floats at a time, the last two landing on the next
            // k's slots, which its own store then overwrites: so the last k is left to the loop below.
            int vectorEnd = width % 8 == 0 ? kc : kc - 1;
            for (; p + 8 <= vectorEnd; p += 8)
            {
                for (int group = 0; group * 8 < width; group++)
                {
                    int groupRows = System.Math.Clamp(rows - (group * 8), 0, 8);
                    Transpose8(src + ((long)group * 8 * ld) + p, ld, groupRows, dst + (p * width) + (group * 8), width);
                }
            }
        }

        for (; p < kc; p++)
        {
            float* slot = dst + (p * width);
            for (int r = 0; r < width; r++)
            {
                slot[r] = r < rows ? src[((long)r * ld) + p] : 0f;
            }
        }
    }

    // dst[i·stride + r] = src[r·ld + i] for i, r < 8, rows at or past `rows` read as zeros.
    private static void Transpose8(float* src, long ld, int rows, float* dst, int stride)
    {
        var r0 = Row(src, ld, 0, rows);
        var r1 = Row(src, ld, 1, rows);
        var r2 = Row(src, ld, 2, rows);
        var r3 = Row(src, ld, 3, rows);
        var r4 = Row(src, ld, 4, rows);
        var r5 = Row(src, ld, 5, rows);
        var r6 = Row(src, ld, 6, rows);
        var r7 = Row(src, ld, 7, rows);

        // Pairs of rows interleaved, then quadruples, then the 128-bit halves of rows 0-3 and 4-7 joined.
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);
        var s0 = Avx.Shuffle(t0, t2, 0x44);
        var s1 = Avx.Shuffle(t0, t2, 0xEE);
        var s2 = Avx.Shuffle(t1, t3, 0x44);
        var s3 = Avx.Shuffle(t1, t3, 0xEE);
        var s4 = Avx.Shuffle(t4, t6, 0x44);
        var s5 = Avx.Shuffle(t4, t6, 0xEE);
        var s6 = Avx.Shuffle(t5, t7, 0x44);
        var s7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(dst, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(dst + stride, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(dst + (2 * stride), Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(dst + (3 * stride), Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(dst + (4 * stride), Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(dst + (5 * stride), Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(dst + (6 * stride), Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(dst + (7 * stride), Avx.Permute2x128(s3, s7, 0x31));
    }

    private static Vector256<float> Row(float* src, long ld, int r, int rows)
        => r < rows ? Avx.LoadVector256(src + (r * ld)) : Vector256<float>.Zero;
}

using System;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Nxt.Cpu;

/// <summary>
/// 2x2, stride-2 max pooling (LeNet's, VGG's) eight outputs at a time, over one output row and
/// the two input rows under it. A vector of 16 input pixels splits into its even and odd pixels
/// by narrowing 64-bit lanes (the even pixel is a lane's low half, the odd one its high half),
/// and zips back by widening: no two-source shuffle, so the same code serves AVX2, AVX-512 and
/// ARM. Each method returns how many outputs it did; the caller finishes the row one at a time.
/// </summary>
internal static class HalvingPoolRows
{
    private const int Outputs = 8;

    /// <summary><c>row[i] = max of the 2x2 window at columns 2i, 2i+1 of top and bottom</c>.</summary>
    public static int Forward(ReadOnlySpan<float> top, ReadOnlySpan<float> bottom, Span<float> row)
    {
        if (!Vector256.IsHardwareAccelerated)
        {
            return 0;
        }

        ref float t = ref MemoryMarshal.GetReference(top);
        ref float b = ref MemoryMarshal.GetReference(bottom);
        ref float y = ref MemoryMarshal.GetReference(row);
        int ow = 0;
        for (; ow + Outputs <= row.Length; ow += Outputs)
        {
            nuint at = (nuint)(2 * ow);
            var low = Vector256.Max(Vector256.LoadUnsafe(ref t, at), Vector256.LoadUnsafe(ref b, at));
            var high = Vector256.Max(Vector256.LoadUnsafe(ref t, at + 8), Vector256.LoadUnsafe(ref b, at + 8));
            Vector256.Max(Even(low, high), Odd(low, high)).StoreUnsafe(ref y, (nuint)ow);
        }

        return ow;
    }

    /// <summary>
    /// Adds each output's gradient onto the first maximum of its window, as the scalar loop does:
    /// the top row's pair unless the bottom pair's maximum is strictly larger, and within a pair
    /// the left pixel unless the right one is strictly larger. With <paramref name="overwrite"/>
    /// the windows' pixels are written (the gradient or zero) instead of added to, so the caller
    /// need not clear them first. With <paramref name="throughRelu"/> a window whose maximum is not
    /// positive passes no gradient (the relu before the pool, see <c>PoolingKernels.MaxBackwardThroughRelu</c>).
    /// </summary>
    public static int Backward(ReadOnlySpan<float> top, ReadOnlySpan<float> bottom, ReadOnlySpan<float> gradOut, Span<float> gradTop, Span<float> gradBottom, bool overwrite, bool throughRelu)
    {
        if (!Vector256.IsHardwareAccelerated)
        {
            return 0;
        }

        ref float t = ref MemoryMarshal.GetReference(top);
        ref float b = ref MemoryMarshal.GetReference(bottom);
        ref float dy = ref MemoryMarshal.GetReference(gradOut);
        ref float dt = ref MemoryMarshal.GetReference(gradTop);
        ref float db = ref MemoryMarshal.GetReference(gradBottom);
        int ow = 0;
        for (; ow + Outputs <= gradOut.Length; ow += Outputs)
        {
            nuint at = (nuint)(2 * ow);
            var (t0, t1) = (Vector256.LoadUnsafe(ref t, at), Vector256.LoadUnsafe(ref t, at + 8));
            var (b0, b1) = (Vector256.LoadUnsafe(ref b, at), Vector256.LoadUnsafe(ref b, at + 8));
            var (topLeft, topRight) = (Even(t0, t1), Odd(t0, t1));
            var (bottomLeft, bottomRight) = (Even(b0, b1), Odd(b0, b1));
            var grad = Vector256.LoadUnsafe(ref dy, (nuint)ow);
            var (bottomMax, topMax) = (Vector256.Max(bottomLeft, bottomRight), Vector256.Max(topLeft, topRight));
            if (throughRelu)
            {
                grad &= Vector256.GreaterThan(Vector256.Max(bottomMax, topMax), Vector256<float>.Zero);
            }

            var bottomWins = Vector256.GreaterThan(bottomMax, topMax);
            var topGrad = Vector256.AndNot(grad, bottomWins);
            var bottomGrad = grad & bottomWins;
            var topRightWins = Vector256.GreaterThan(topRight, topLeft);
            var bottomRightWins = Vector256.GreaterThan(bottomRight, bottomLeft);
            WriteZipped(ref dt, at, Vector256.AndNot(topGrad, topRightWins), topGrad & topRightWins, overwrite);
            WriteZipped(ref db, at, Vector256.AndNot(bottomGrad, bottomRightWins), bottomGrad & bottomRightWins, overwrite);
        }

        return ow;
    }

    // Pixels 0, 2, 4, ..., 14 of the 16 in low and high.
    private static Vector256<float> Even(Vector256<float> low, Vector256<float> high)
        => Vector256.Narrow(low.AsUInt64(), high.AsUInt64()).AsSingle();

    // Pixels 1, 3, 5, ..., 15.
    private static Vector256<float> Odd(Vector256<float> low, Vector256<float> high)
        => Vector256.Narrow(Vector256.ShiftRightLogical(low.AsUInt64(), 32), Vector256.ShiftRightLogical(high.AsUInt64(), 32)).AsSingle();

    // Adds (or with overwrite, stores) left[i] at pixel 2i and right[i] at pixel 2i+1 of the 16 at destination + at.
    private static void WriteZipped(ref float destination, nuint at, Vector256<float> left, Vector256<float> right, bool overwrite)
    {
        var lower = (Vector256.WidenLower(left.AsUInt32()) | Vector256.ShiftLeft(Vector256.WidenLower(right.AsUInt32()), 32)).AsSingle();
        var upper = (Vector256.WidenUpper(left.AsUInt32()) | Vector256.ShiftLeft(Vector256.WidenUpper(right.AsUInt32()), 32)).AsSingle();
        if (!overwrite)
        {
            lower += Vector256.LoadUnsafe(ref destination, at);
            upper += Vector256.LoadUnsafe(ref destination, at + 8);
        }

        lower.StoreUnsafe(ref destination, at);
        upper.StoreUnsafe(ref destination, at + 8);
    }
}

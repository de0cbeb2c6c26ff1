using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nxt.Cpu;

/// <summary>
/// Splits 16 consecutive pixels into the left and right pixels of their 8 pairs and zips them
/// back, for 2x2 pooling. With AVX2 the halves come out in "pair order", the outputs
/// <c>o0 o1 o4 o5 | o2 o3 o6 o7</c>, which two in-lane shuffles give and two in-lane unpacks undo; a
/// vector in output order crosses to pair order and back with one 64-bit permute. Elsewhere (ARM,
/// x86 without AVX2) the halves are in output order, by narrowing 64-bit lanes and widening back.
/// </summary>
internal static class PixelPairs
{
    /// <summary>The left (even) and right (odd) pixels of <paramref name="low"/> (pixels 0-7) and <paramref name="high"/> (8-15), in pair order.</summary>
    public static (Vector256<float> Left, Vector256<float> Right) Split(Vector256<float> low, Vector256<float> high)
    {
        if (Avx2.IsSupported)
        {
            return (Avx.Shuffle(low, high, 0b10_00_10_00), Avx.Shuffle(low, high, 0b11_01_11_01));
        }

        var left = Vector256.Narrow(low.AsUInt64(), high.AsUInt64()).AsSingle();
        var right = Vector256.Narrow(Vector256.ShiftRightLogical(low.AsUInt64(), 32), Vector256.ShiftRightLogical(high.AsUInt64(), 32)).AsSingle();
        return (left, right);
    }

    /// <summary>Pixels 0-7 and 8-15 with <paramref name="left"/>[i] and <paramref name="right"/>[i] (pair order) side by side.</summary>
    public static (Vector256<float> Lower, Vector256<float> Upper) Zip(Vector256<float> left, Vector256<float> right)
    {
        if (Avx2.IsSupported)
        {
            return (Avx.UnpackLow(left, right), Avx.UnpackHigh(left, right));
        }

        var lower = (Vector256.WidenLower(left.AsUInt32()) | Vector256.ShiftLeft(Vector256.WidenLower(right.AsUInt32()), 32)).AsSingle();
        var upper = (Vector256.WidenUpper(left.AsUInt32()) | Vector256.ShiftLeft(Vector256.WidenUpper(right.AsUInt32()), 32)).AsSingle();
        return (lower, upper);
    }

    /// <summary>
    /// Between output order and pair order, both ways: on x86 it swaps the middle two 64-bit
    /// quarters, its own inverse.
    /// </summary>
    public static Vector256<float> Reorder(Vector256<float> v)
        => Avx2.IsSupported ? Avx2.Permute4x64(v.AsDouble(), 0b11_01_10_00).AsSingle() : v;
}

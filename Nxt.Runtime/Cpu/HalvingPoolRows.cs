using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Nxt.Cpu;

/// <summary>
/// 2x2, stride-2 max pooling (LeNet's, VGG's) eight outputs at a time, over one output row and
/// the two input rows under it, in 256-bit vectors on AVX2, AVX-512 and ARM (<see cref="PixelPairs"/>
/// splits pixels into pairs and zips them back). Each method returns how many outputs it did;
/// the caller finishes the row one at a time.
/// </summary>
internal static class HalvingPoolRows
{
    private const int Outputs = 8;

    /// <summary>
    /// Outputs handled a pass at a time: a row of up to 2 x 256 pixels is read in one pass and the
    /// row under it in the next. Reading the two rows in step (a line of one, then a line of the
    /// other) halved the rate at which a Zen 4 core streamed them from memory (21 ms against 12
    /// for 205 MB); a pass's results wait on the stack, in L1.
    /// </summary>
    private const int ChunkVectors = 256 / Outputs;

    /// <summary><c>row[i] = max of the 2x2 window at columns 2i, 2i+1 of top and bottom</c>.</summary>
    [SkipLocalsInit]
    public static int Forward(ReadOnlySpan<float> top, ReadOnlySpan<float> bottom, Span<float> row)
    {
        if (!Vector256.IsHardwareAccelerated)
        {
            return 0;
        }

        Span<Vector256<float>> topMaxima = stackalloc Vector256<float>[ChunkVectors];
        ref float t = ref MemoryMarshal.GetReference(top);
        ref float b = ref MemoryMarshal.GetReference(bottom);
        ref float y = ref MemoryMarshal.GetReference(row);
        int ow = 0;
        for (int vectors; (vectors = Math.Min(ChunkVectors, (row.Length - ow) / Outputs)) > 0; ow += vectors * Outputs)
        {
            for (int v = 0; v < vectors; v++)
            {
                nuint at = (nuint)(2 * (ow + (v * Outputs)));
                var (left, right) = PixelPairs.Split(Vector256.LoadUnsafe(ref t, at), Vector256.LoadUnsafe(ref t, at + 8));
                topMaxima[v] = Vector256.Max(left, right);
            }

            for (int v = 0; v < vectors; v++)
            {
                nuint at = (nuint)(2 * (ow + (v * Outputs)));
                var (left, right) = PixelPairs.Split(Vector256.LoadUnsafe(ref b, at), Vector256.LoadUnsafe(ref b, at + 8));
                PixelPairs.Reorder(Vector256.Max(topMaxima[v], Vector256.Max(left, right))).StoreUnsafe(ref y, (nuint)(ow + (v * Outputs)));
            }
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
    [SkipLocalsInit]
    public static int Backward(ReadOnlySpan<float> top, ReadOnlySpan<float> bottom, ReadOnlySpan<float> gradOut, Span<float> gradTop, Span<float> gradBottom, bool overwrite, bool throughRelu)
    {
        if (!Vector256.IsHardwareAccelerated)
        {
            return 0;
        }

        // Per vector of outputs: the top pair's maximum (then its gradient), whether its right
        // pixel wins, and the bottom pair's gradient and right winner.
        Span<Vector256<float>> topGrads = stackalloc Vector256<float>[ChunkVectors];
        Span<Vector256<float>> topRightWins = stackalloc Vector256<float>[ChunkVectors];
        Span<Vector256<float>> bottomGrads = stackalloc Vector256<float>[ChunkVectors];
        Span<Vector256<float>> bottomRightWins = stackalloc Vector256<float>[ChunkVectors];
        ref float t = ref MemoryMarshal.GetReference(top);
        ref float b = ref MemoryMarshal.GetReference(bottom);
        ref float dy = ref MemoryMarshal.GetReference(gradOut);
        int ow = 0;
        for (int vectors; (vectors = Math.Min(ChunkVectors, (gradOut.Length - ow) / Outputs)) > 0; ow += vectors * Outputs)
        {
            // The top row, then the bottom row with the outputs' gradients; then each gradient
            // row is written front to back.
            for (int v = 0; v < vectors; v++)
            {
                nuint at = (nuint)(2 * (ow + (v * Outputs)));
                var (left, right) = PixelPairs.Split(Vector256.LoadUnsafe(ref t, at), Vector256.LoadUnsafe(ref t, at + 8));
                topGrads[v] = Vector256.Max(left, right);
                topRightWins[v] = Vector256.GreaterThan(right, left);
            }

            for (int v = 0; v < vectors; v++)
            {
                nuint at = (nuint)(2 * (ow + (v * Outputs)));
                var (left, right) = PixelPairs.Split(Vector256.LoadUnsafe(ref b, at), Vector256.LoadUnsafe(ref b, at + 8));
                var (bottomMax, topMax) = (Vector256.Max(left, right), topGrads[v]);
                var grad = PixelPairs.Reorder(Vector256.LoadUnsafe(ref dy, (nuint)(ow + (v * Outputs))));
                if (throughRelu)
                {
                    grad &= Vector256.GreaterThan(Vector256.Max(bottomMax, topMax), Vector256<float>.Zero);
                }

                var bottomWins = Vector256.GreaterThan(bottomMax, topMax);
                topGrads[v] = Vector256.AndNot(grad, bottomWins);
                bottomGrads[v] = grad & bottomWins;
                bottomRightWins[v] = Vector256.GreaterThan(right, left);
            }

            WriteRow(gradTop, ow, topGrads[..vectors], topRightWins, overwrite);
            WriteRow(gradBottom, ow, bottomGrads[..vectors], bottomRightWins, overwrite);
        }

        return ow;
    }

    // Adds (or with overwrite, stores) each window's gradient to its row's pair: to the left
    // pixel, or to the right one where it wins.
    private static void WriteRow(Span<float> gradRow, int ow, ReadOnlySpan<Vector256<float>> grads, ReadOnlySpan<Vector256<float>> rightWins, bool overwrite)
    {
        ref float destination = ref MemoryMarshal.GetReference(gradRow);
        for (int v = 0; v < grads.Length; v++)
        {
            nuint at = (nuint)(2 * (ow + (v * Outputs)));
            var (lower, upper) = PixelPairs.Zip(Vector256.AndNot(grads[v], rightWins[v]), grads[v] & rightWins[v]);
            if (!overwrite)
            {
                lower += Vector256.LoadUnsafe(ref destination, at);
                upper += Vector256.LoadUnsafe(ref destination, at + 8);
            }

            lower.StoreUnsafe(ref destination, at);
            upper.StoreUnsafe(ref destination, at + 8);
        }
    }
}

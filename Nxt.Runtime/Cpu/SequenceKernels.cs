using System;

namespace Nxt.Cpu;

/// <summary>Moves between batch-major <c>(N, T, K)</c> sequences and the time-major layout recurrent kernels work in.</summary>
public static class SequenceKernels
{
    /// <summary><c>y[b, a, :] (+)= x[a, b, :]</c> for <c>x (A, B, K)</c>: batch-major to time-major and back.</summary>
    public static void SwapBatchAndTime(ReadOnlySpan<float> x, Span<float> y, int a, int b, int k, bool accumulate = false)
    {
        for (int i = 0; i < a; i++)
        {
            for (int j = 0; j < b; j++)
            {
                var source = x.Slice(((i * b) + j) * k, k);
                var target = y.Slice(((j * a) + i) * k, k);
                if (accumulate)
                {
                    ElementwiseKernels.AddInPlace(target, source);
                }
                else
                {
                    source.CopyTo(target);
                }
            }
        }
    }

    /// <summary><c>h[r, :] += dy[r, t, :]</c> for every row <c>r</c> of <c>dy (N, T, H)</c>.</summary>
    public static void AddStep(ReadOnlySpan<float> dy, Span<float> h, int t, int n, int steps, int hidden)
    {
        for (int r = 0; r < n; r++)
        {
            ElementwiseKernels.AddInPlace(h.Slice(r * hidden, hidden), dy.Slice(((r * steps) + t) * hidden, hidden));
        }
    }

    /// <summary>MXNet <c>SequenceLast</c>: <c>y[r, :] = x[r, T-1, :]</c> for <c>x (N, T, W)</c>.</summary>
    public static void LastStep(ReadOnlySpan<float> x, Span<float> y, int n, int steps, int width)
    {
        for (int r = 0; r < n; r++)
        {
            x.Slice(((r * steps) + steps - 1) * width, width).CopyTo(y.Slice(r * width, width));
        }
    }

    /// <summary>The gradient of <see cref="LastStep"/>: <c>dx[r, T-1, :] (+)= dy[r, :]</c>, the other steps zero (or as they were).</summary>
    public static void LastStepBackward(ReadOnlySpan<float> dy, Span<float> dx, int n, int steps, int width, bool accumulate)
    {
        for (int r = 0; r < n; r++)
        {
            var last = dx.Slice(((r * steps) + steps - 1) * width, width);
            if (accumulate)
            {
                ElementwiseKernels.AddInPlace(last, dy.Slice(r * width, width));
                continue;
            }

            dx.Slice(r * steps * width, (steps - 1) * width).Clear();
            dy.Slice(r * width, width).CopyTo(last);
        }
    }

    /// <summary>
    /// MXNet <c>SequenceMask</c>: <c>y = x</c>, but <paramref name="value"/> at the steps of each
    /// sample <c>r</c> from <c>(int)lengths[r]</c> on, for <c>x (N, T, W)</c>.
    /// </summary>
    public static void Mask(ReadOnlySpan<float> x, ReadOnlySpan<float> lengths, Span<float> y, int n, int steps, int width, float value)
    {
        for (int r = 0; r < n; r++)
        {
            int kept = KeptSteps(lengths[r], steps);
            x.Slice(r * steps * width, kept * width).CopyTo(y.Slice(r * steps * width));
            y.Slice(((r * steps) + kept) * width, (steps - kept) * width).Fill(value);
        }
    }

    /// <summary>The gradient of <see cref="Mask"/>: <c>dy</c> on the kept steps, zero on the masked ones.</summary>
    public static void MaskBackward(ReadOnlySpan<float> dy, ReadOnlySpan<float> lengths, Span<float> dx, int n, int steps, int width, bool accumulate)
    {
        for (int r = 0; r < n; r++)
        {
            int kept = KeptSteps(lengths[r], steps);
            var keptGradient = dy.Slice(r * steps * width, kept * width);
            var target = dx.Slice(r * steps * width, steps * width);
            if (accumulate)
            {
                ElementwiseKernels.AddInPlace(target[..(kept * width)], keptGradient);
                continue;
            }

            keptGradient.CopyTo(target);
            target[(kept * width)..].Clear();
        }
    }

    /// <summary>An input that gets no gradient (a sequence's lengths): zero, or left as it is when adding.</summary>
    public static void NoGradient(Span<float> dx, int length, bool accumulate)
    {
        if (!accumulate)
        {
            dx[..length].Clear();
        }
    }

    // MXNet casts a length to an integer (toward zero); a negative one keeps nothing, one past T everything.
    internal static int KeptSteps(float length, int steps) => length >= steps ? steps : length > 0 ? (int)length : 0;
}

using System;

namespace Nxt.Cpu;

/// <summary>Moves between batch-major <c>(N, T, K)</c> sequences and the time-major layout recurrent kernels work in.</summary>
public static class SequenceKernels
{
    /// <summary>
    /// <c>x (N, T, C)</c> to time-major <c>(T, N, C)</c>: time-major step <c>t</c> is step
    /// <c>t</c> of every sample, or step <c>T-1-t</c> when <paramref name="reverse"/>.
    /// </summary>
    public static void ToTimeMajor(ReadOnlySpan<float> x, Span<float> byTime, int n, int steps, int width, bool reverse)
    {
        for (int t = 0; t < steps; t++)
        {
            int step = reverse ? steps - 1 - t : t;
            for (int r = 0; r < n; r++)
            {
                x.Slice(((r * steps) + step) * width, width).CopyTo(byTime.Slice(((t * n) + r) * width, width));
            }
        }
    }

    /// <summary>
    /// The inverse of <see cref="ToTimeMajor"/> into columns <c>[offset, offset + K)</c> of
    /// <c>y (N, T, W)</c>, for <c>byTime (T, N, K)</c>; adds when <paramref name="accumulate"/>.
    /// </summary>
    public static void FromTimeMajor(ReadOnlySpan<float> byTime, Span<float> y, int n, int steps, int k, int width, int offset, bool reverse, bool accumulate)
    {
        for (int t = 0; t < steps; t++)
        {
            int step = reverse ? steps - 1 - t : t;
            for (int r = 0; r < n; r++)
            {
                var source = byTime.Slice(((t * n) + r) * k, k);
                var target = y.Slice((((r * steps) + step) * width) + offset, k);
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

    /// <summary><c>h[r, :] += dy[r, step, offset:offset+H]</c> for every row <c>r</c> of <c>dy (N, T, W)</c>.</summary>
    public static void AddStep(ReadOnlySpan<float> dy, Span<float> h, int step, int n, int steps, int hidden, int width, int offset)
    {
        for (int r = 0; r < n; r++)
        {
            ElementwiseKernels.AddInPlace(h.Slice(r * hidden, hidden), dy.Slice((((r * steps) + step) * width) + offset, hidden));
        }
    }

    /// <summary><c>h[r, :] = states[r, slot, :]</c> for <c>states (N, S, H)</c>; zeros when there are no states.</summary>
    public static void ReadState(ReadOnlySpan<float> states, Span<float> h, int n, int hidden, int slot, int slots)
    {
        if (states.IsEmpty)
        {
            h[..(n * hidden)].Clear();
            return;
        }

        for (int r = 0; r < n; r++)
        {
            states.Slice(((r * slots) + slot) * hidden, hidden).CopyTo(h.Slice(r * hidden, hidden));
        }
    }

    /// <summary><c>states[r, slot, :] (+)= h[r, :]</c>: the inverse of <see cref="ReadState"/>, nothing when there are no states.</summary>
    public static void WriteState(ReadOnlySpan<float> h, Span<float> states, int n, int hidden, int slot, int slots, bool accumulate)
    {
        if (states.IsEmpty)
        {
            return;
        }

        for (int r = 0; r < n; r++)
        {
            var target = states.Slice(((r * slots) + slot) * hidden, hidden);
            if (accumulate)
            {
                ElementwiseKernels.AddInPlace(target, h.Slice(r * hidden, hidden));
            }
            else
            {
                h.Slice(r * hidden, hidden).CopyTo(target);
            }
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

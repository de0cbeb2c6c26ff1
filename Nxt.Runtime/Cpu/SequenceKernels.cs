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
}

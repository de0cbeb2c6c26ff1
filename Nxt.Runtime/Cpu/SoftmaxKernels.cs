using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Nxt.Cpu;

/// <summary>
/// Softmax over the last axis and the losses built on it. <c>SoftmaxOutput</c>'s backward pass
/// is the cross-entropy gradient <c>(softmax - one_hot(label)) · gradScale</c>, not divided by
/// the batch unless asked: as in MXNet, the optimizer's rescale (1/batch) does that.
/// </summary>
public static class SoftmaxKernels
{
    /// <summary>Numerically stable softmax over each row of <paramref name="classes"/> values.</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, int rows, int classes)
    {
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> xr = x.Slice(r * classes, classes);
            Span<float> yr = y.Slice(r * classes, classes);
            float max = Max(xr);
            float sum = ExpAndSum(xr, yr, max);
            ((ReadOnlySpan<float>)yr).ScaleInto(yr, 1f / sum);
        }
    }

    // y = exp(x - max), vectorised; returns Σ y.
    private static float ExpAndSum(ReadOnlySpan<float> x, Span<float> y, float max)
    {
        var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
        var vy = MemoryMarshal.Cast<float, Vector<float>>(y);
        var shift = new Vector<float>(max);
        var total = Vector<float>.Zero;
        for (int i = 0; i < vx.Length; i++)
        {
            var e = Vector.Exp(vx[i] - shift);
            vy[i] = e;
            total += e;
        }

        float sum = Vector.Sum(total);
        for (int i = vx.Length * Vector<float>.Count; i < x.Length; i++)
        {
            float e = MathF.Exp(x[i] - max);
            y[i] = e;
            sum += e;
        }

        return sum;
    }

    /// <summary>Softmax backward: <c>dx (+)= y ⊙ (dy - Σ dy⊙y)</c> per row.</summary>
    public static void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int rows, int classes, bool accumulate)
    {
        for (int r = 0; r < rows; r++)
        {
            var yr = y.Slice(r * classes, classes);
            var dyr = dy.Slice(r * classes, classes);
            var dxr = dx.Slice(r * classes, classes);
            float dot = 0f;
            for (int c = 0; c < classes; c++)
            {
                dot += dyr[c] * yr[c];
            }

            for (int c = 0; c < classes; c++)
            {
                float g = yr[c] * (dyr[c] - dot);
                dxr[c] = accumulate ? dxr[c] + g : g;
            }
        }
    }

    /// <summary>Log-softmax: <c>y = x - max - log Σ exp(x - max)</c> per row.</summary>
    public static void LogForward(ReadOnlySpan<float> x, Span<float> y, int rows, int classes)
    {
        for (int r = 0; r < rows; r++)
        {
            var xr = x.Slice(r * classes, classes);
            var yr = y.Slice(r * classes, classes);
            float max = Max(xr);
            float sum = 0f;
            foreach (float v in xr)
            {
                sum += MathF.Exp(v - max);
            }

            float shift = max + MathF.Log(sum);
            for (int c = 0; c < classes; c++)
            {
                yr[c] = xr[c] - shift;
            }
        }
    }

    /// <summary>Log-softmax backward: <c>dx (+)= dy - exp(y) · Σ dy</c> per row.</summary>
    public static void LogBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int rows, int classes, bool accumulate)
    {
        for (int r = 0; r < rows; r++)
        {
            var yr = y.Slice(r * classes, classes);
            var dyr = dy.Slice(r * classes, classes);
            var dxr = dx.Slice(r * classes, classes);
            float sum = 0f;
            foreach (float g in dyr)
            {
                sum += g;
            }

            for (int c = 0; c < classes; c++)
            {
                float g = dyr[c] - (MathF.Exp(yr[c]) * sum);
                dxr[c] = accumulate ? dxr[c] + g : g;
            }
        }
    }

    /// <summary>
    /// <c>SoftmaxOutput</c> backward: <c>dx (+)= (y - one_hot(label)) · gradScale / norm</c>,
    /// where rows labelled <paramref name="ignoreLabel"/> (when <paramref name="useIgnore"/>) get no
    /// gradient and <paramref name="normalization"/> (0 null, 1 batch, 2 valid) picks <c>norm</c>.
    /// </summary>
    public static void OutputBackward(
        ReadOnlySpan<float> y, ReadOnlySpan<float> label, Span<float> dx, int rows, int classes,
        float gradScale, bool accumulate, bool useIgnore = false, int ignoreLabel = -1, int normalization = 0)
    {
        int valid = rows;
        if (useIgnore)
        {
            valid = 0;
            for (int r = 0; r < rows; r++)
            {
                valid += (int)label[r] == ignoreLabel ? 0 : 1;
            }
        }

        float scale = normalization switch
        {
            1 => gradScale / rows,
            2 => gradScale / Math.Max(valid, 1),
            _ => gradScale,
        };
        for (int r = 0; r < rows; r++)
        {
            int target = (int)label[r];
            ReadOnlySpan<float> yr = y.Slice(r * classes, classes);
            Span<float> dr = dx.Slice(r * classes, classes);
            bool ignored = useIgnore && target == ignoreLabel;
            for (int c = 0; c < classes; c++)
            {
                float g = ignored ? 0f : (yr[c] - (c == target ? 1f : 0f)) * scale;
                dr[c] = accumulate ? dr[c] + g : g;
            }
        }
    }

    private static float Max(ReadOnlySpan<float> values)
    {
        var vectors = MemoryMarshal.Cast<float, Vector<float>>(values);
        var vmax = new Vector<float>(float.NegativeInfinity);
        foreach (var v in vectors)
        {
            vmax = Vector.Max(vmax, v);
        }

        float max = float.NegativeInfinity;
        for (int i = 0; i < Vector<float>.Count && vectors.Length > 0; i++)
        {
            max = MathF.Max(max, vmax[i]);
        }

        for (int i = vectors.Length * Vector<float>.Count; i < values.Length; i++)
        {
            max = MathF.Max(max, values[i]);
        }

        return max;
    }
}

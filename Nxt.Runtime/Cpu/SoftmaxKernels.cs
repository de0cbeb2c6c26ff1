using System;

namespace Nxt.Cpu;

/// <summary>
/// MXNet <c>SoftmaxOutput</c>: a row-wise softmax forward, and in the backward pass the
/// cross-entropy gradient <c>(softmax - one_hot(label)) · gradScale</c>. As in MXNet, the
/// gradient is not divided by the batch size: the optimizer's rescale (1/batch) does that.
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
            float max = float.NegativeInfinity;
            foreach (float v in xr)
            {
                max = MathF.Max(max, v);
            }

            float sum = 0f;
            for (int c = 0; c < classes; c++)
            {
                float e = MathF.Exp(xr[c] - max);
                yr[c] = e;
                sum += e;
            }

            float inv = 1f / sum;
            for (int c = 0; c < classes; c++)
            {
                yr[c] *= inv;
            }
        }
    }

    /// <summary><c>dx (+)= (y - one_hot(label)) · gradScale</c>; labels are class indices stored as floats.</summary>
    public static void OutputBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> label, Span<float> dx, int rows, int classes, float gradScale, bool accumulate)
    {
        for (int r = 0; r < rows; r++)
        {
            int target = (int)label[r];
            ReadOnlySpan<float> yr = y.Slice(r * classes, classes);
            Span<float> dr = dx.Slice(r * classes, classes);
            for (int c = 0; c < classes; c++)
            {
                float g = (yr[c] - (c == target ? 1f : 0f)) * gradScale;
                dr[c] = accumulate ? dr[c] + g : g;
            }
        }
    }
}

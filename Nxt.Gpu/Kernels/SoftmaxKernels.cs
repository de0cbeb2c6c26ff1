using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;

namespace Nxt.Gpu;

/// <summary>
/// Softmax, log-softmax and the SoftmaxOutput loss gradient over rows of the last axis, one thread
/// per row (<see cref="Nxt.Cpu.SoftmaxKernels"/>): rows are a batch's samples, classes a handful to
/// a few thousand, so a row's loops stay in one thread's registers and caches.
/// </summary>
public static class SoftmaxKernels
{
    private const int Softmax = 0, LogSoftmax = 1;

    /// <summary><c>y = exp(x - max) / Σ exp(x - max)</c> per row.</summary>
    public static void Forward(DeviceSpan x, DeviceSpan y, int rows, int classes)
        => Launcher.Run(y.Owner, ForwardKernel, rows, x.View, y.View, SpecializedValue.New(classes), SpecializedValue.New(Softmax));

    /// <summary><c>y = x - max - log Σ exp(x - max)</c> per row.</summary>
    public static void LogForward(DeviceSpan x, DeviceSpan y, int rows, int classes)
        => Launcher.Run(y.Owner, ForwardKernel, rows, x.View, y.View, SpecializedValue.New(classes), SpecializedValue.New(LogSoftmax));

    /// <summary><c>dx (+)= y · (dy - Σ dy·y)</c> per row.</summary>
    public static void Backward(DeviceSpan y, DeviceSpan dy, DeviceSpan dx, int rows, int classes, bool accumulate)
        => Launcher.Run(dx.Owner, BackwardKernel, rows, y.View, dy.View, dx.View, SpecializedValue.New(classes), SpecializedValue.New(Softmax), SpecializedValue.New(accumulate ? 1 : 0));

    /// <summary><c>dx (+)= dy - exp(y) · Σ dy</c> per row.</summary>
    public static void LogBackward(DeviceSpan y, DeviceSpan dy, DeviceSpan dx, int rows, int classes, bool accumulate)
        => Launcher.Run(dx.Owner, BackwardKernel, rows, y.View, dy.View, dx.View, SpecializedValue.New(classes), SpecializedValue.New(LogSoftmax), SpecializedValue.New(accumulate ? 1 : 0));

    /// <summary>
    /// SoftmaxOutput's gradient, softmax minus one-hot, times <c>gradScale / norm</c>; rows labelled
    /// <paramref name="ignoreLabel"/> (with <paramref name="useIgnore"/>) get none; <paramref name="normalization"/>
    /// is 0 (null), 1 (batch) or 2 (valid rows).
    /// </summary>
    public static void OutputBackward(
        DeviceSpan y, DeviceSpan label, DeviceSpan dx, int rows, int classes,
        float gradScale, bool accumulate, bool useIgnore = false, int ignoreLabel = -1, int normalization = 0)
    {
        var loss = new SoftmaxLoss(rows, classes, useIgnore ? 1 : 0, ignoreLabel, normalization, accumulate ? 1 : 0);
        Launcher.Run(dx.Owner, OutputBackwardKernel, rows, y.View, label.View, dx.View, SpecializedValue.New(loss), gradScale);
    }

    internal static void ForwardKernel(Index1D row, ArrayView<float> x, ArrayView<float> y, SpecializedValue<int> classes, SpecializedValue<int> kind)
    {
        int n = classes.Value, start = row * n;
        float max = float.NegativeInfinity;
        for (int c = 0; c < n; c++)
        {
            max = XMath.Max(max, x[start + c]);
        }

        float sum = 0f;
        for (int c = 0; c < n; c++)
        {
            sum += XMath.Exp(x[start + c] - max);
        }

        if (kind.Value == LogSoftmax)
        {
            float shift = max + XMath.Log(sum);
            for (int c = 0; c < n; c++)
            {
                y[start + c] = x[start + c] - shift;
            }
        }
        else
        {
            float scale = 1f / sum;
            for (int c = 0; c < n; c++)
            {
                y[start + c] = XMath.Exp(x[start + c] - max) * scale;
            }
        }
    }

    internal static void BackwardKernel(Index1D row, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx, SpecializedValue<int> classes, SpecializedValue<int> kind, SpecializedValue<int> accumulate)
    {
        int n = classes.Value, start = row * n;
        float reduced = 0f;
        for (int c = 0; c < n; c++)
        {
            reduced += kind.Value == LogSoftmax ? dy[start + c] : dy[start + c] * y[start + c];
        }

        for (int c = 0; c < n; c++)
        {
            int i = start + c;
            float g = kind.Value == LogSoftmax ? dy[i] - (XMath.Exp(y[i]) * reduced) : y[i] * (dy[i] - reduced);
            dx[i] = accumulate.Value != 0 ? dx[i] + g : g;
        }
    }

    internal static void OutputBackwardKernel(Index1D row, ArrayView<float> y, ArrayView<float> label, ArrayView<float> dx, SpecializedValue<SoftmaxLoss> loss, float gradScale)
    {
        var l = loss.Value;
        float scale = gradScale;
        if (l.Normalization == 1)
        {
            scale = gradScale / l.Rows;
        }
        else if (l.Normalization == 2)
        {
            // Each row counts the valid rows itself: a batch is small, and this needs no second pass.
            int valid = l.Rows;
            if (l.UseIgnore != 0)
            {
                valid = 0;
                for (int r = 0; r < l.Rows; r++)
                {
                    valid += (int)label[r] == l.IgnoreLabel ? 0 : 1;
                }
            }

            scale = gradScale / XMath.Max(valid, 1);
        }

        int target = (int)label[row];
        bool ignored = l.UseIgnore != 0 && target == l.IgnoreLabel;
        int start = row * l.Classes;
        for (int c = 0; c < l.Classes; c++)
        {
            float g = ignored ? 0f : (y[start + c] - (c == target ? 1f : 0f)) * scale;
            dx[start + c] = l.Accumulate != 0 ? dx[start + c] + g : g;
        }
    }
}

/// <summary>A SoftmaxOutput head's fixed settings, one specialisation constant.</summary>
public readonly record struct SoftmaxLoss(int Rows, int Classes, int UseIgnore, int IgnoreLabel, int Normalization, int Accumulate);

using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Nxt.Cpu;

/// <summary>
/// MXNet <c>Activation</c>, forward and backward. The backward passes take the forward output
/// <c>y</c> where the derivative is a function of it (relu, sigmoid, tanh), so the input need
/// not be kept alive; softrelu's derivative needs the input <c>x</c>.
/// </summary>
public static class ActivationKernels
{
    /// <summary><c>y = max(x, 0)</c>.</summary>
    public static void ReluForward(ReadOnlySpan<float> x, Span<float> y)
    {
        var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
        var vy = MemoryMarshal.Cast<float, Vector<float>>(y[..x.Length]);
        for (int i = 0; i < vx.Length; i++)
        {
            vy[i] = Vector.Max(vx[i], Vector<float>.Zero);
        }

        for (int i = vx.Length * Vector<float>.Count; i < x.Length; i++)
        {
            y[i] = MathF.Max(x[i], 0f);
        }
    }

    /// <summary><c>dx (+)= dy · [y &gt; 0]</c>.</summary>
    public static void ReluBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, bool accumulate)
    {
        var vy = MemoryMarshal.Cast<float, Vector<float>>(y);
        var vdy = MemoryMarshal.Cast<float, Vector<float>>(dy[..y.Length]);
        var vdx = MemoryMarshal.Cast<float, Vector<float>>(dx[..y.Length]);
        for (int i = 0; i < vy.Length; i++)
        {
            var g = Vector.ConditionalSelect(Vector.GreaterThan(vy[i], Vector<float>.Zero), vdy[i], Vector<float>.Zero);
            vdx[i] = accumulate ? vdx[i] + g : g;
        }

        for (int i = vy.Length * Vector<float>.Count; i < y.Length; i++)
        {
            float g = y[i] > 0f ? dy[i] : 0f;
            dx[i] = accumulate ? dx[i] + g : g;
        }
    }

    /// <summary><c>y = 1 / (1 + exp(-x))</c>.</summary>
    public static void SigmoidForward(ReadOnlySpan<float> x, Span<float> y)
    {
        var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
        var vy = MemoryMarshal.Cast<float, Vector<float>>(y[..x.Length]);
        for (int i = 0; i < vx.Length; i++)
        {
            vy[i] = Vector<float>.One / (Vector<float>.One + Vector.Exp(-vx[i]));
        }

        for (int i = vx.Length * Vector<float>.Count; i < x.Length; i++)
        {
            y[i] = 1f / (1f + MathF.Exp(-x[i]));
        }
    }

    /// <summary><c>dx (+)= dy · y · (1 - y)</c>.</summary>
    public static void SigmoidBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, bool accumulate)
    {
        for (int i = 0; i < y.Length; i++)
        {
            float g = dy[i] * y[i] * (1f - y[i]);
            dx[i] = accumulate ? dx[i] + g : g;
        }
    }

    /// <summary><c>y = tanh(x)</c>.</summary>
    public static void TanhForward(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = MathF.Tanh(x[i]);
        }
    }

    /// <summary><c>dx (+)= dy · (1 - y²)</c>.</summary>
    public static void TanhBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, bool accumulate)
    {
        for (int i = 0; i < y.Length; i++)
        {
            float g = dy[i] * (1f - (y[i] * y[i]));
            dx[i] = accumulate ? dx[i] + g : g;
        }
    }

    /// <summary><c>y = log(1 + exp(x))</c>, computed without overflow for large <c>x</c>.</summary>
    public static void SoftReluForward(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i];
            y[i] = v > 20f ? v : MathF.Log(1f + MathF.Exp(v));
        }
    }

    /// <summary><c>dx (+)= dy · sigmoid(x)</c>.</summary>
    public static void SoftReluBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, bool accumulate)
    {
        for (int i = 0; i < x.Length; i++)
        {
            float g = dy[i] / (1f + MathF.Exp(-x[i]));
            dx[i] = accumulate ? dx[i] + g : g;
        }
    }

    /// <summary><c>y = x / (1 + |x|)</c>.</summary>
    public static void SoftSignForward(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = x[i] / (1f + MathF.Abs(x[i]));
        }
    }

    /// <summary><c>dx (+)= dy / (1 + |x|)²</c>.</summary>
    public static void SoftSignBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, bool accumulate)
    {
        for (int i = 0; i < x.Length; i++)
        {
            float d = 1f + MathF.Abs(x[i]);
            float g = dy[i] / (d * d);
            dx[i] = accumulate ? dx[i] + g : g;
        }
    }
}

using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Nxt.Cpu;

/// <summary>MXNet <c>clip</c>: <c>y = min(max(x, lo), hi)</c>; <c>dx (+)= lo ≤ x ≤ hi ? dy : 0</c>.</summary>
public static class ClipKernels
{
    /// <summary><c>y = min(max(x, min), max)</c>.</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, float min, float max)
    {
        var lo = new Vector<float>(min);
        var hi = new Vector<float>(max);
        var xs = MemoryMarshal.Cast<float, Vector<float>>(x);
        var ys = MemoryMarshal.Cast<float, Vector<float>>(y[..x.Length]);
        for (int i = 0; i < xs.Length; i++)
        {
            ys[i] = Vector.Min(Vector.Max(xs[i], lo), hi);
        }

        for (int i = xs.Length * Vector<float>.Count; i < x.Length; i++)
        {
            y[i] = MathF.Min(MathF.Max(x[i], min), max);
        }
    }

    /// <summary><c>dx (+)= min ≤ x ≤ max ? dy : 0</c>.</summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, float min, float max, bool accumulate)
    {
        var lo = new Vector<float>(min);
        var hi = new Vector<float>(max);
        var xs = MemoryMarshal.Cast<float, Vector<float>>(x);
        var dys = MemoryMarshal.Cast<float, Vector<float>>(dy[..x.Length]);
        var dxs = MemoryMarshal.Cast<float, Vector<float>>(dx[..x.Length]);
        for (int i = 0; i < xs.Length; i++)
        {
            var inside = Vector.BitwiseAnd(Vector.GreaterThanOrEqual(xs[i], lo), Vector.LessThanOrEqual(xs[i], hi));
            var g = Vector.ConditionalSelect(inside, dys[i], Vector<float>.Zero);
            dxs[i] = accumulate ? dxs[i] + g : g;
        }

        for (int i = xs.Length * Vector<float>.Count; i < x.Length; i++)
        {
            float g = x[i] >= min && x[i] <= max ? dy[i] : 0f;
            dx[i] = accumulate ? dx[i] + g : g;
        }
    }
}

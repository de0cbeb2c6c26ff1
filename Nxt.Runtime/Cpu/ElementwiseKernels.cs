using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Nxt.Cpu;

/// <summary>Vectorised element-wise helpers shared by the layer kernels.</summary>
public static class ElementwiseKernels
{
    /// <summary><c>y += x</c>.</summary>
    public static void AddInPlace(Span<float> y, ReadOnlySpan<float> x)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"Element-wise add of {x.Length} elements into {y.Length}.");
        }

        var vy = MemoryMarshal.Cast<float, Vector<float>>(y);
        var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
        for (int i = 0; i < vy.Length; i++)
        {
            vy[i] += vx[i];
        }

        for (int i = vy.Length * Vector<float>.Count; i < y.Length; i++)
        {
            y[i] += x[i];
        }
    }

    /// <summary><c>y[r] = row</c> for each of the <paramref name="rows"/> rows of <paramref name="y"/>: a free variable broadcast over the batch.</summary>
    public static void BroadcastRows(ReadOnlySpan<float> row, Span<float> y, int rows)
    {
        for (int r = 0; r < rows; r++)
        {
            row.CopyTo(y.Slice(r * row.Length, row.Length));
        }
    }

    /// <summary><c>y = x</c>, or <c>y += x</c> when accumulating.</summary>
    public static void CopyOrAdd(ReadOnlySpan<float> x, Span<float> y, bool accumulate)
    {
        if (accumulate)
        {
            AddInPlace(y, x);
        }
        else
        {
            x.CopyTo(y);
        }
    }

    /// <summary><c>y = x · mask</c>, or <c>y += x · mask</c> when accumulating.</summary>
    public static void Multiply(ReadOnlySpan<float> x, ReadOnlySpan<float> mask, Span<float> y, bool accumulate)
    {
        var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
        var vm = MemoryMarshal.Cast<float, Vector<float>>(mask[..x.Length]);
        var vy = MemoryMarshal.Cast<float, Vector<float>>(y[..x.Length]);
        for (int i = 0; i < vx.Length; i++)
        {
            vy[i] = accumulate ? vy[i] + (vx[i] * vm[i]) : vx[i] * vm[i];
        }

        for (int i = vx.Length * Vector<float>.Count; i < x.Length; i++)
        {
            y[i] = accumulate ? y[i] + (x[i] * mask[i]) : x[i] * mask[i];
        }
    }
}

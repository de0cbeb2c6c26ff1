using System;

namespace Nxt.Cpu;

/// <summary>Small span helpers for the kernels.</summary>
internal static class SpanMath
{
    public static void Add(this Span<float> values, float scalar)
    {
        var v = new System.Numerics.Vector<float>(scalar);
        var vectors = System.Runtime.InteropServices.MemoryMarshal.Cast<float, System.Numerics.Vector<float>>(values);
        for (int i = 0; i < vectors.Length; i++)
        {
            vectors[i] += v;
        }

        for (int i = vectors.Length * System.Numerics.Vector<float>.Count; i < values.Length; i++)
        {
            values[i] += scalar;
        }
    }

    public static float Sum(this ReadOnlySpan<float> values)
    {
        var vectors = System.Runtime.InteropServices.MemoryMarshal.Cast<float, System.Numerics.Vector<float>>(values);
        var total = System.Numerics.Vector<float>.Zero;
        foreach (var v in vectors)
        {
            total += v;
        }

        float sum = System.Numerics.Vector.Sum(total);
        for (int i = vectors.Length * System.Numerics.Vector<float>.Count; i < values.Length; i++)
        {
            sum += values[i];
        }

        return sum;
    }

    public static float Sum(this Span<float> values) => ((ReadOnlySpan<float>)values).Sum();

    /// <summary><c>Σ (v - mean)²</c>, vectorised, for a variance computed around its mean (no cancellation).</summary>
    public static float SumOfSquaredDeviations(this ReadOnlySpan<float> values, float mean)
    {
        var vectors = System.Runtime.InteropServices.MemoryMarshal.Cast<float, System.Numerics.Vector<float>>(values);
        var center = new System.Numerics.Vector<float>(mean);
        var total = System.Numerics.Vector<float>.Zero;
        foreach (var v in vectors)
        {
            var d = v - center;
            total = System.Numerics.Vector.MultiplyAddEstimate(d, d, total);
        }

        float sum = System.Numerics.Vector.Sum(total);
        for (int i = vectors.Length * System.Numerics.Vector<float>.Count; i < values.Length; i++)
        {
            float d = values[i] - mean;
            sum += d * d;
        }

        return sum;
    }

    /// <summary><c>Σ w · (v - mean)</c>, vectorised.</summary>
    public static float DotWithDeviations(this ReadOnlySpan<float> weights, ReadOnlySpan<float> values, float mean)
    {
        var vw = System.Runtime.InteropServices.MemoryMarshal.Cast<float, System.Numerics.Vector<float>>(weights);
        var vv = System.Runtime.InteropServices.MemoryMarshal.Cast<float, System.Numerics.Vector<float>>(values[..weights.Length]);
        var center = new System.Numerics.Vector<float>(mean);
        var total = System.Numerics.Vector<float>.Zero;
        for (int i = 0; i < vw.Length; i++)
        {
            total = System.Numerics.Vector.MultiplyAddEstimate(vw[i], vv[i] - center, total);
        }

        float sum = System.Numerics.Vector.Sum(total);
        for (int i = vw.Length * System.Numerics.Vector<float>.Count; i < weights.Length; i++)
        {
            sum += weights[i] * (values[i] - mean);
        }

        return sum;
    }

    /// <summary><c>y = x · scale</c>, vectorised.</summary>
    public static void ScaleInto(this ReadOnlySpan<float> x, Span<float> y, float scale)
    {
        var vx = System.Runtime.InteropServices.MemoryMarshal.Cast<float, System.Numerics.Vector<float>>(x);
        var vy = System.Runtime.InteropServices.MemoryMarshal.Cast<float, System.Numerics.Vector<float>>(y[..x.Length]);
        var factor = new System.Numerics.Vector<float>(scale);
        for (int i = 0; i < vx.Length; i++)
        {
            vy[i] = vx[i] * factor;
        }

        for (int i = vx.Length * System.Numerics.Vector<float>.Count; i < x.Length; i++)
        {
            y[i] = x[i] * scale;
        }
    }
}

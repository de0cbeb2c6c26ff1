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

    /// <summary>
    /// The index of the first NaN or infinity, or -1: an exponent of all ones, tested a vector
    /// at a time (a batch's inputs are checked this way on every forward pass).
    /// </summary>
    public static int IndexOfNonFinite(this ReadOnlySpan<float> values)
    {
        var bits = System.Runtime.InteropServices.MemoryMarshal.Cast<float, int>(values);
        var exponent = new System.Numerics.Vector<int>(0x7F800000);
        var vectors = System.Runtime.InteropServices.MemoryMarshal.Cast<int, System.Numerics.Vector<int>>(bits);
        for (int v = 0; v < vectors.Length; v++)
        {
            if (System.Numerics.Vector.EqualsAny(vectors[v] & exponent, exponent))
            {
                return v * System.Numerics.Vector<int>.Count + IndexOfNonFiniteScalar(values.Slice(v * System.Numerics.Vector<int>.Count, System.Numerics.Vector<int>.Count));
            }
        }

        int tail = vectors.Length * System.Numerics.Vector<int>.Count;
        int found = IndexOfNonFiniteScalar(values[tail..]);
        return found < 0 ? -1 : tail + found;
    }

    private static int IndexOfNonFiniteScalar(ReadOnlySpan<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
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

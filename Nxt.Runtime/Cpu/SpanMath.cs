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
}

using System;
using Nxt;

namespace Nxt.Runtime.Tests;

/// <summary>Seeded random inputs and the comparisons the numerical tests share.</summary>
internal static class TestData
{
    public static float[] Random(int length, ulong seed, float scale = 1f)
    {
        var random = new RandomSource(seed);
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = ((2f * random.NextFloat()) - 1f) * scale;
        }

        return values;
    }

    /// <summary>The first <paramref name="rows"/> samples of <paramref name="tensor"/>, copied.</summary>
    public static Tensor Rows(Tensor tensor, int rows)
    {
        int perRow = tensor.Length / tensor.Shape[0];
        var shape = tensor.Shape.ToArray();
        shape[0] = rows;
        return new Tensor(tensor.Span[..(rows * perRow)].ToArray(), shape);
    }

    /// <summary>Asserts |actual - expected| &lt;= atol + rtol·|expected| element-wise, naming the first element that is not.</summary>
    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double atol, double rtol, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double tolerance = atol + (rtol * Math.Abs(expected[i]));
            if (!(Math.Abs(expected[i] - actual[i]) <= tolerance))
            {
                Assert.Fail($"{what}: element {i} is {actual[i]}, expected {expected[i]} (tolerance {tolerance:G3}).");
            }
        }
    }

    /// <summary>
    /// Central finite differences of a scalar function of <paramref name="x"/>, in double
    /// precision where the function allows, one element at a time.
    /// </summary>
    public static float[] NumericGradient(float[] x, Func<double> loss, float step = 1e-3f)
    {
        var gradient = new float[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            float saved = x[i];
            x[i] = saved + step;
            double plus = loss();
            x[i] = saved - step;
            double minus = loss();
            x[i] = saved;
            gradient[i] = (float)((plus - minus) / (2 * step));
        }

        return gradient;
    }

    public static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += (double)a[i] * b[i];
        }

        return sum;
    }
}

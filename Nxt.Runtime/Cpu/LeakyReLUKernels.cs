using System;

namespace Nxt.Cpu;

/// <summary>
/// MXNet <c>LeakyReLU</c>: <c>leaky</c> (<c>x</c> or <c>slope·x</c>), <c>elu</c>
/// (<c>x</c> or <c>slope·(eˣ-1)</c>), <c>prelu</c> (a learned slope per channel, axis 1) and
/// <c>gelu</c> (<c>x·Φ(x)</c>, with the exact error function, as MXNet).
/// </summary>
public static class LeakyReLUKernels
{
    /// <summary>leaky and elu forward.</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, float slope, bool elu)
    {
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i];
            y[i] = v > 0 ? v : elu ? slope * (MathF.Exp(v) - 1f) : slope * v;
        }
    }

    /// <summary>leaky and elu backward: <c>dx (+)= dy · (x &gt; 0 ? 1 : slope (leaky) or slope·eˣ (elu))</c>.</summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, float slope, bool elu, bool accumulate)
    {
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i];
            float g = dy[i] * (v > 0 ? 1f : elu ? slope * MathF.Exp(v) : slope);
            dx[i] = accumulate ? dx[i] + g : g;
        }
    }

    /// <summary>prelu forward over <c>(N, C, spatial)</c> with slope <c>gamma[c]</c>.</summary>
    public static void PReluForward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, Span<float> y, int batch, int channels, int spatial)
    {
        for (int n = 0; n < batch; n++)
        {
            for (int c = 0; c < channels; c++)
            {
                int offset = ((n * channels) + c) * spatial;
                for (int i = offset; i < offset + spatial; i++)
                {
                    y[i] = x[i] > 0 ? x[i] : gamma[c] * x[i];
                }
            }
        }
    }

    /// <summary>prelu backward: <c>dx (+)=</c> when wanted, and <c>dgamma (+)= Σ dy·x over x ≤ 0</c> when wanted.</summary>
    public static void PReluBackward(
        ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> dy, Span<float> dx, Span<float> dGamma,
        int batch, int channels, int spatial, bool inputGradient, bool accumulateInput, bool parameterGradients, bool accumulateParameters)
    {
        if (parameterGradients && !accumulateParameters)
        {
            dGamma[..channels].Clear();
        }

        for (int n = 0; n < batch; n++)
        {
            for (int c = 0; c < channels; c++)
            {
                int offset = ((n * channels) + c) * spatial;
                for (int i = offset; i < offset + spatial; i++)
                {
                    bool positive = x[i] > 0;
                    if (inputGradient)
                    {
                        float g = positive ? dy[i] : gamma[c] * dy[i];
                        dx[i] = accumulateInput ? dx[i] + g : g;
                    }

                    if (parameterGradients && !positive)
                    {
                        dGamma[c] += dy[i] * x[i];
                    }
                }
            }
        }
    }

    /// <summary>gelu forward: <c>y = x · Φ(x) = x · (1 + erf(x/√2)) / 2</c>.</summary>
    public static void GeluForward(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = x[i] * 0.5f * (1f + Erf(x[i] * 0.70710678f));
        }
    }

    /// <summary>gelu backward: <c>dx (+)= dy · (Φ(x) + x·φ(x))</c>.</summary>
    public static void GeluBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, bool accumulate)
    {
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i];
            float cdf = 0.5f * (1f + Erf(v * 0.70710678f));
            float pdf = 0.39894228f * MathF.Exp(-0.5f * v * v);
            float g = dy[i] * (cdf + (v * pdf));
            dx[i] = accumulate ? dx[i] + g : g;
        }
    }

    /// <summary>The error function (Abramowitz and Stegun 7.1.26, absolute error below 1.5e-7); .NET has none.</summary>
    public static float Erf(float x)
    {
        float t = 1f / (1f + (0.3275911f * MathF.Abs(x)));
        float poly = t * (0.254829592f + (t * (-0.284496736f + (t * (1.421413741f + (t * (-1.453152027f + (t * 1.061405429f))))))));
        float result = 1f - (poly * MathF.Exp(-x * x));
        return x >= 0 ? result : -result;
    }
}

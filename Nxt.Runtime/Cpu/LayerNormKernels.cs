using System;

namespace Nxt.Cpu;

/// <summary>
/// MXNet <c>LayerNorm</c> over rows of <c>width</c>: <c>y = (x - μ) / σ · γ + β</c> with
/// <c>σ = sqrt(var + eps)</c>. Each row's mean and <c>1/σ</c> go to <c>stats</c> (two floats a
/// row), which the backward pass reads.
/// </summary>
public static class LayerNormKernels
{
    /// <summary>The forward pass, saving each row's mean and inverse deviation.</summary>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y, Span<float> stats, int rows, int width, float eps)
    {
        for (int r = 0; r < rows; r++)
        {
            var row = x.Slice(r * width, width);
            var (mean, inverse) = Statistics(row, eps);
            stats[2 * r] = mean;
            stats[(2 * r) + 1] = inverse;
            var output = y.Slice(r * width, width);
            for (int j = 0; j < width; j++)
            {
                output[j] = ((row[j] - mean) * inverse * gamma[j]) + beta[j];
            }
        }
    }

    /// <summary>A row's mean and <c>1/sqrt(var + eps)</c>, summed in double precision.</summary>
    internal static (float Mean, float Inverse) Statistics(ReadOnlySpan<float> row, float eps)
    {
        double sum = 0, squares = 0;
        foreach (float v in row)
        {
            sum += v;
        }

        float mean = (float)(sum / row.Length);
        foreach (float v in row)
        {
            squares += (v - mean) * (v - mean);
        }

        return (mean, 1f / MathF.Sqrt((float)(squares / row.Length) + eps));
    }

    /// <summary>
    /// <c>dx = (1/σ)·(g - mean(g) - x̂·mean(g·x̂))</c> with <c>g = dy·γ</c>; <c>dγ = Σ dy·x̂</c>,
    /// <c>dβ = Σ dy</c> over the rows; each under its own flags.
    /// </summary>
    public static void Backward(
        ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> dy, ReadOnlySpan<float> stats, Span<float> dx, Span<float> dGamma, Span<float> dBeta,
        int rows, int width, bool wantX, bool accumulateX, bool wantGamma, bool accumulateGamma, bool wantBeta, bool accumulateBeta)
    {
        if (wantGamma && !accumulateGamma)
        {
            dGamma[..width].Clear();
        }

        if (wantBeta && !accumulateBeta)
        {
            dBeta[..width].Clear();
        }

        for (int r = 0; r < rows; r++)
        {
            var row = x.Slice(r * width, width);
            var gradient = dy.Slice(r * width, width);
            float mean = stats[2 * r], inverse = stats[(2 * r) + 1];
            double meanG = 0, meanGx = 0;
            for (int j = 0; j < width; j++)
            {
                float normalised = (row[j] - mean) * inverse;
                float g = gradient[j] * gamma[j];
                meanG += g;
                meanGx += g * normalised;
                if (wantGamma)
                {
                    dGamma[j] += gradient[j] * normalised;
                }

                if (wantBeta)
                {
                    dBeta[j] += gradient[j];
                }
            }

            if (!wantX)
            {
                continue;
            }

            float a = (float)(meanG / width), b = (float)(meanGx / width);
            var output = dx.Slice(r * width, width);
            for (int j = 0; j < width; j++)
            {
                float normalised = (row[j] - mean) * inverse;
                float value = inverse * ((gradient[j] * gamma[j]) - a - (normalised * b));
                output[j] = accumulateX ? output[j] + value : value;
            }
        }
    }
}

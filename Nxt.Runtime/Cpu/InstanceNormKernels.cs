using System;

namespace Nxt.Cpu;

/// <summary>
/// MXNet <c>InstanceNorm</c>: each (sample, channel) plane of <c>spatial</c> values normalised
/// on its own, then scaled and shifted by its channel's <c>γ</c> and <c>β</c>. Rows are the
/// planes, <c>rows = N·C</c>; each one's mean and <c>1/σ</c> go to <c>stats</c> for backward.
/// </summary>
public static class InstanceNormKernels
{
    /// <summary>The forward pass, saving each plane's mean and inverse deviation.</summary>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y, Span<float> stats, int rows, int channels, int spatial, float eps)
    {
        for (int r = 0; r < rows; r++)
        {
            var plane = x.Slice(r * spatial, spatial);
            var (mean, inverse) = LayerNormKernels.Statistics(plane, eps);
            stats[2 * r] = mean;
            stats[(2 * r) + 1] = inverse;
            float scale = inverse * gamma[r % channels], shift = beta[r % channels] - (mean * scale);
            var output = y.Slice(r * spatial, spatial);
            for (int j = 0; j < spatial; j++)
            {
                output[j] = (plane[j] * scale) + shift;
            }
        }
    }

    /// <summary>
    /// <c>dx = (γ/σ)·(dy - mean(dy) - x̂·mean(dy·x̂))</c> per plane; <c>dγ = Σ dy·x̂</c> and
    /// <c>dβ = Σ dy</c> per channel over the batch; each under its own flags.
    /// </summary>
    public static void Backward(
        ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> dy, ReadOnlySpan<float> stats, Span<float> dx, Span<float> dGamma, Span<float> dBeta,
        int rows, int channels, int spatial, bool wantX, bool accumulateX, bool wantGamma, bool accumulateGamma, bool wantBeta, bool accumulateBeta)
    {
        if (wantGamma && !accumulateGamma)
        {
            dGamma[..channels].Clear();
        }

        if (wantBeta && !accumulateBeta)
        {
            dBeta[..channels].Clear();
        }

        for (int r = 0; r < rows; r++)
        {
            var plane = x.Slice(r * spatial, spatial);
            var gradient = dy.Slice(r * spatial, spatial);
            float mean = stats[2 * r], inverse = stats[(2 * r) + 1];
            double sumG = 0, sumGx = 0;
            for (int j = 0; j < spatial; j++)
            {
                sumG += gradient[j];
                sumGx += gradient[j] * (plane[j] - mean) * inverse;
            }

            int c = r % channels;
            if (wantGamma)
            {
                dGamma[c] += (float)sumGx;
            }

            if (wantBeta)
            {
                dBeta[c] += (float)sumG;
            }

            if (!wantX)
            {
                continue;
            }

            float a = (float)(sumG / spatial), b = (float)(sumGx / spatial), scale = inverse * gamma[c];
            var output = dx.Slice(r * spatial, spatial);
            for (int j = 0; j < spatial; j++)
            {
                float value = scale * (gradient[j] - a - ((plane[j] - mean) * inverse * b));
                output[j] = accumulateX ? output[j] + value : value;
            }
        }
    }
}

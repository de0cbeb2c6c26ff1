using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Nxt.Cpu;

/// <summary>
/// MXNet <c>BatchNorm</c> over axis 1 of <c>(N, C, spatial...)</c>: in training, each channel is
/// normalised by its batch mean and (biased) variance, and the moving statistics follow
/// <c>moving = moving·momentum + batch·(1-momentum)</c>; in inference (or with
/// <c>use_global_stats</c>), by the moving statistics. With <c>fix_gamma</c> (MXNet's default)
/// the scale is 1 and gets no gradient. The mean and 1/σ used are kept in <c>saved</c> (2·C floats).
/// </summary>
public static class BatchNormKernels
{
    /// <summary>
    /// Forward pass; <paramref name="useBatchStats"/> is training without use_global_stats. A
    /// fused epilogue adds <paramref name="residual"/> (when not empty) and applies its activation
    /// to each channel plane as it is written (BatchNorm + add + relu in one pass).
    /// </summary>
    public static void Forward(
        ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        Span<float> movingMean, Span<float> movingVar, Span<float> saved,
        int batch, int channels, int spatial, float eps, float momentum, bool fixGamma, bool useBatchStats,
        ReadOnlySpan<float> residual = default, Epilogue epilogue = default)
    {
        var mean = saved[..channels];
        var invStd = saved.Slice(channels, channels);
        if (useBatchStats)
        {
            int count = batch * spatial;
            for (int c = 0; c < channels; c++)
            {
                // Two vectorised passes: the mean, then the squared deviations around it.
                double sum = 0;
                for (int n = 0; n < batch; n++)
                {
                    sum += x.Slice(((n * channels) + c) * spatial, spatial).Sum();
                }

                float m = (float)(sum / count);
                double squares = 0;
                for (int n = 0; n < batch; n++)
                {
                    squares += x.Slice(((n * channels) + c) * spatial, spatial).SumOfSquaredDeviations(m);
                }

                double variance = squares / count;
                mean[c] = m;
                invStd[c] = (float)(1 / Math.Sqrt(variance + eps));
                movingMean[c] = (movingMean[c] * momentum) + (m * (1 - momentum));
                movingVar[c] = (movingVar[c] * momentum) + ((float)variance * (1 - momentum));
            }
        }
        else
        {
            for (int c = 0; c < channels; c++)
            {
                mean[c] = movingMean[c];
                invStd[c] = 1f / MathF.Sqrt(movingVar[c] + eps);
            }
        }

        for (int n = 0; n < batch; n++)
        {
            for (int c = 0; c < channels; c++)
            {
                float scale = (fixGamma ? 1f : gamma[c]) * invStd[c];
                float shift = beta[c] - (mean[c] * scale);
                var src = x.Slice(((n * channels) + c) * spatial, spatial);
                var dst = y.Slice(((n * channels) + c) * spatial, spatial);
                src.ScaleInto(dst, scale);
                epilogue.Apply(dst, shift, residual.IsEmpty ? default : residual.Slice(((n * channels) + c) * spatial, spatial));
            }
        }
    }

    /// <summary>
    /// Backward pass: <c>dx (+)=</c>, <c>dgamma (+)=</c> and <c>dbeta (+)=</c>, each when its flag
    /// asks. With batch statistics the mean and variance depend on x.
    /// </summary>
    public static void Backward(
        ReadOnlySpan<float> x, ReadOnlySpan<float> dy, ReadOnlySpan<float> gamma, ReadOnlySpan<float> saved,
        Span<float> dx, Span<float> dGamma, Span<float> dBeta,
        int batch, int channels, int spatial, bool fixGamma, bool usedBatchStats,
        bool inputGradient, bool accumulateInput, bool gammaGradient, bool accumulateGamma, bool betaGradient, bool accumulateBeta)
    {
        var mean = saved[..channels];
        var invStd = saved.Slice(channels, channels);
        int count = batch * spatial;
        for (int c = 0; c < channels; c++)
        {
            double sumDy = 0, sumDyXhat = 0;
            for (int n = 0; n < batch; n++)
            {
                int offset = ((n * channels) + c) * spatial;
                var g = dy.Slice(offset, spatial);
                sumDy += g.Sum();
                sumDyXhat += g.DotWithDeviations(x.Slice(offset, spatial), mean[c]) * invStd[c];
            }

            if (gammaGradient)
            {
                float gammaGrad = fixGamma ? 0f : (float)sumDyXhat;
                dGamma[c] = accumulateGamma ? dGamma[c] + gammaGrad : gammaGrad;
            }

            if (betaGradient)
            {
                dBeta[c] = accumulateBeta ? dBeta[c] + (float)sumDy : (float)sumDy;
            }

            if (!inputGradient)
            {
                continue;
            }

            float scale = (fixGamma ? 1f : gamma[c]) * invStd[c];
            float meanDy = usedBatchStats ? (float)(sumDy / count) : 0f;
            float meanDyXhat = usedBatchStats ? (float)(sumDyXhat / count) : 0f;
            for (int n = 0; n < batch; n++)
            {
                int offset = ((n * channels) + c) * spatial;
                InputGradientPlane(x.Slice(offset, spatial), dy.Slice(offset, spatial), dx.Slice(offset, spatial), mean[c], invStd[c], scale, meanDy, meanDyXhat, accumulateInput);
            }
        }
    }

    // dx (+)= scale · (dy - mean(dy) - x̂ · mean(dy · x̂)), x̂ = (x - mean) · invStd, vectorised.
    private static void InputGradientPlane(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, float mean, float invStd, float scale, float meanDy, float meanDyXhat, bool accumulate)
    {
        var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
        var vdy = MemoryMarshal.Cast<float, Vector<float>>(dy);
        var vdx = MemoryMarshal.Cast<float, Vector<float>>(dx);
        var (vMean, vInvStd, vScale, vMeanDy, vMeanDyXhat) = (new Vector<float>(mean), new Vector<float>(invStd), new Vector<float>(scale), new Vector<float>(meanDy), new Vector<float>(meanDyXhat));
        for (int i = 0; i < vx.Length; i++)
        {
            var xhat = (vx[i] - vMean) * vInvStd;
            var g = vScale * (vdy[i] - vMeanDy - (xhat * vMeanDyXhat));
            vdx[i] = accumulate ? vdx[i] + g : g;
        }

        for (int i = vx.Length * Vector<float>.Count; i < x.Length; i++)
        {
            float xhat = (x[i] - mean) * invStd;
            float g = scale * (dy[i] - meanDy - (xhat * meanDyXhat));
            dx[i] = accumulate ? dx[i] + g : g;
        }
    }

    /// <summary>
    /// Folds an inference BatchNorm into the convolution before it: per filter f,
    /// <c>s = γ_f / √(var_f + eps)</c> (γ = 1 with <paramref name="fixGamma"/>),
    /// <c>W'_f = W_f · s</c> and <c>b'_f = (b_f - mean_f) · s + β_f</c>, written to
    /// <paramref name="folded"/> as the weights followed by the biases. An empty
    /// <paramref name="bias"/> is a convolution without one.
    /// </summary>
    public static void FoldIntoConvolution(
        ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        ReadOnlySpan<float> movingMean, ReadOnlySpan<float> movingVar, float eps, bool fixGamma, Span<float> folded)
    {
        int filters = beta.Length, patch = weight.Length / filters;
        if (folded.Length < weight.Length + filters || movingMean.Length < filters || movingVar.Length < filters)
        {
            throw new ArgumentException($"Folding {filters} filters of {patch} weights needs {weight.Length + filters} floats and {filters} statistics; got {folded.Length}, {movingMean.Length} and {movingVar.Length}.");
        }

        for (int f = 0; f < filters; f++)
        {
            float scale = (fixGamma ? 1f : gamma[f]) / MathF.Sqrt(movingVar[f] + eps);
            weight.Slice(f * patch, patch).ScaleInto(folded.Slice(f * patch, patch), scale);
            folded[weight.Length + f] = (((bias.IsEmpty ? 0f : bias[f]) - movingMean[f]) * scale) + beta[f];
        }
    }
}

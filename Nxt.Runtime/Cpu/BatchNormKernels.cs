using System;

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
                double sum = 0, squares = 0;
                for (int n = 0; n < batch; n++)
                {
                    foreach (float v in x.Slice(((n * channels) + c) * spatial, spatial))
                    {
                        sum += v;
                        squares += (double)v * v;
                    }
                }

                double m = sum / count;
                double variance = Math.Max((squares / count) - (m * m), 0);
                mean[c] = (float)m;
                invStd[c] = (float)(1 / Math.Sqrt(variance + eps));
                movingMean[c] = (movingMean[c] * momentum) + ((float)m * (1 - momentum));
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
                for (int i = 0; i < spatial; i++)
                {
                    dst[i] = src[i] * scale;
                }

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
                for (int i = 0; i < spatial; i++)
                {
                    float g = dy[offset + i];
                    sumDy += g;
                    sumDyXhat += g * (x[offset + i] - mean[c]) * invStd[c];
                }
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
                for (int i = 0; i < spatial; i++)
                {
                    float xhat = (x[offset + i] - mean[c]) * invStd[c];
                    float g = scale * (dy[offset + i] - meanDy - (xhat * meanDyXhat));
                    dx[offset + i] = accumulateInput ? dx[offset + i] + g : g;
                }
            }
        }
    }
}

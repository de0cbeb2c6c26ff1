using System;

namespace Nxt.Cpu;

/// <summary>
/// MXNet <c>BatchNorm</c> over axis 1 of <c>(N, C, spatial...)</c>: in training, each channel is
/// normalised by its batch mean and (biased) variance, and the moving statistics follow
/// <c>moving = moving·momentum + batch·(1-momentum)</c>; in inference (or with
/// <c>use_global_stats</c>), by the moving statistics. With <c>fix_gamma</c> (MXNet's default)
/// the scale is 1 and gets no gradient. The mean and 1/σ used are kept in <c>saved</c> (2·C floats).
/// </summary>
public static unsafe partial class BatchNormKernels
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
        => ForwardInParts(x, y, gamma, beta, movingMean, movingVar, saved, batch, channels, spatial, eps, momentum, fixGamma, useBatchStats, residual, epilogue, Parts(batch, channels, spatial), SplitFor(batch, channels, spatial));

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
        var flags = new BackwardFlags(fixGamma, usedBatchStats, inputGradient, accumulateInput, gammaGradient, accumulateGamma, betaGradient, accumulateBeta);
        BackwardInParts(x, dy, gamma, saved, dx, dGamma, dBeta, batch, channels, spatial, flags, Parts(batch, channels, spatial), SplitFor(batch, channels, spatial));
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

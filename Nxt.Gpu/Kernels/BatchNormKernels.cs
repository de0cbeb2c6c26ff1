using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;

namespace Nxt.Gpu;

/// <summary>
/// MXNet <c>BatchNorm</c> on the device (<see cref="Nxt.Cpu.BatchNormKernels"/>): one group of
/// threads per channel reduces its statistics in shared memory (two passes: the mean, then the
/// squared deviations around it), then normalises the channel with the fused residual and
/// activation. The backward pass reduces <c>Σdy</c> and <c>Σdy·x̂</c> the same way. The saved state
/// holds each channel's mean and 1/σ, as on the CPU.
/// </summary>
public static class BatchNormKernels
{
    private const int GroupSize = 256;

    /// <summary>Normalises <paramref name="x"/> per channel; <paramref name="useBatchStats"/> is training without use_global_stats.</summary>
    public static void Forward(
        DeviceSpan x, DeviceSpan y, DeviceSpan gamma, DeviceSpan beta,
        DeviceSpan movingMean, DeviceSpan movingVar, DeviceSpan saved,
        int batch, int channels, int spatial, float eps, float momentum, bool fixGamma, bool useBatchStats,
        DeviceSpan residual = default, Epilogue epilogue = default)
    {
        var device = y.Owner;
        var views = new BatchNormViews(x.View, y.View, gamma.View, beta.View, movingMean.View, movingVar.View, saved.View, device.ViewOrPlaceholder(residual));
        var shape = new BatchNormShape(batch, channels, spatial, fixGamma ? 1 : 0, useBatchStats ? 1 : 0, residual.IsEmpty ? 0 : 1, epilogue.Code);
        Launcher.Grouped(device, ForwardKernel, new KernelConfig(channels, GroupSize), views, SpecializedValue.New(shape), eps, momentum, epilogue.Slope);
    }

    /// <summary>The input, gamma and beta gradients, each written or added when its flag asks.</summary>
    public static void Backward(
        DeviceSpan x, DeviceSpan dy, DeviceSpan gamma, DeviceSpan saved,
        DeviceSpan dx, DeviceSpan dGamma, DeviceSpan dBeta,
        int batch, int channels, int spatial, bool fixGamma, bool usedBatchStats,
        bool inputGradient, bool accumulateInput, bool gammaGradient, bool accumulateGamma, bool betaGradient, bool accumulateBeta)
    {
        var device = dy.Owner;
        var views = new BatchNormGradientViews(x.View, dy.View, gamma.View, saved.View, device.ViewOrPlaceholder(dx), device.ViewOrPlaceholder(dGamma), device.ViewOrPlaceholder(dBeta));
        var flags = new BatchNormGradientFlags(
            new BatchNormShape(batch, channels, spatial, fixGamma ? 1 : 0, usedBatchStats ? 1 : 0, 0, 0),
            Flag(inputGradient, accumulateInput), Flag(gammaGradient, accumulateGamma), Flag(betaGradient, accumulateBeta));
        Launcher.Grouped(device, BackwardKernel, new KernelConfig(channels, GroupSize), views, SpecializedValue.New(flags));
    }

    /// <summary>
    /// Folds an inference BatchNorm into the convolution before it, one thread per filter:
    /// <c>W'_f = W_f · s</c>, <c>b'_f = (b_f - mean_f) · s + β_f</c> with <c>s = γ_f / √(var_f + eps)</c>.
    /// </summary>
    public static void FoldIntoConvolution(
        DeviceSpan weight, DeviceSpan bias, DeviceSpan gamma, DeviceSpan beta,
        DeviceSpan movingMean, DeviceSpan movingVar, float eps, bool fixGamma, DeviceSpan folded)
    {
        var device = folded.Owner;
        int filters = beta.Length;
        var views = new FoldViews(weight.View, device.ViewOrPlaceholder(bias), gamma.View, beta.View, movingMean.View, movingVar.View, folded.View);
        var shape = new FoldShape(filters, weight.Length / filters, bias.IsEmpty ? 0 : 1, fixGamma ? 1 : 0);
        Launcher.Run(device, FoldKernel, filters, views, SpecializedValue.New(shape), eps);
    }

    // 0: skip; 1: write; 2: add.
    private static int Flag(bool wanted, bool accumulate) => wanted ? (accumulate ? 2 : 1) : 0;

    internal static void ForwardKernel(BatchNormViews v, SpecializedValue<BatchNormShape> shapeValue, float eps, float momentum, float slope)
    {
        var s = shapeValue.Value;
        int c = Grid.IdxX;
        var partial = SharedMemory.Allocate<float>(GroupSize);
        var statistics = SharedMemory.Allocate<float>(2);
        int count = s.Batch * s.Spatial;
        if (s.UseBatchStats != 0)
        {
            float sum = 0f;
            for (int j = Group.IdxX; j < count; j += GroupSize)
            {
                sum += v.X[Index(s, c, j)];
            }

            float mean = Reduce(partial, sum) / count;
            float squares = 0f;
            for (int j = Group.IdxX; j < count; j += GroupSize)
            {
                float d = v.X[Index(s, c, j)] - mean;
                squares += d * d;
            }

            float variance = Reduce(partial, squares) / count;
            if (Group.IdxX == 0)
            {
                statistics[0] = mean;
                statistics[1] = 1f / XMath.Sqrt(variance + eps);
                v.MovingMean[c] = (v.MovingMean[c] * momentum) + (mean * (1 - momentum));
                v.MovingVar[c] = (v.MovingVar[c] * momentum) + (variance * (1 - momentum));
            }
        }
        else if (Group.IdxX == 0)
        {
            statistics[0] = v.MovingMean[c];
            statistics[1] = 1f / XMath.Sqrt(v.MovingVar[c] + eps);
        }

        Group.Barrier();
        float m = statistics[0], invStd = statistics[1];
        if (Group.IdxX == 0)
        {
            v.Saved[c] = m;
            v.Saved[s.Channels + c] = invStd;
        }

        float scale = (s.FixGamma != 0 ? 1f : v.Gamma[c]) * invStd;
        float shift = v.Beta[c] - (m * scale);
        for (int j = Group.IdxX; j < count; j += GroupSize)
        {
            int i = Index(s, c, j);
            float value = (v.X[i] * scale) + shift;
            if (s.HasResidual != 0)
            {
                value += v.Residual[i];
            }

            v.Y[i] = Epilogue.Apply(s.Activation, value, slope);
        }
    }

    internal static void BackwardKernel(BatchNormGradientViews v, SpecializedValue<BatchNormGradientFlags> flagsValue)
    {
        var f = flagsValue.Value;
        var s = f.Shape;
        int c = Grid.IdxX;
        var partial = SharedMemory.Allocate<float>(GroupSize);
        int count = s.Batch * s.Spatial;
        float mean = v.Saved[c], invStd = v.Saved[s.Channels + c];
        float sumDy = 0f, sumDyXhat = 0f;
        for (int j = Group.IdxX; j < count; j += GroupSize)
        {
            int i = Index(s, c, j);
            sumDy += v.Dy[i];
            sumDyXhat += v.Dy[i] * (v.X[i] - mean) * invStd;
        }

        sumDy = Reduce(partial, sumDy);
        sumDyXhat = Reduce(partial, sumDyXhat);
        if (Group.IdxX == 0)
        {
            if (f.Gamma != 0)
            {
                float gammaGrad = s.FixGamma != 0 ? 0f : sumDyXhat;
                v.DGamma[c] = f.Gamma == 2 ? v.DGamma[c] + gammaGrad : gammaGrad;
            }

            if (f.Beta != 0)
            {
                v.DBeta[c] = f.Beta == 2 ? v.DBeta[c] + sumDy : sumDy;
            }
        }

        if (f.Input == 0)
        {
            return;
        }

        float scale = (s.FixGamma != 0 ? 1f : v.Gamma[c]) * invStd;
        float meanDy = s.UseBatchStats != 0 ? sumDy / count : 0f;
        float meanDyXhat = s.UseBatchStats != 0 ? sumDyXhat / count : 0f;
        for (int j = Group.IdxX; j < count; j += GroupSize)
        {
            int i = Index(s, c, j);
            float xhat = (v.X[i] - mean) * invStd;
            float g = scale * (v.Dy[i] - meanDy - (xhat * meanDyXhat));
            v.Dx[i] = f.Input == 2 ? v.Dx[i] + g : g;
        }
    }

    internal static void FoldKernel(Index1D filter, FoldViews v, SpecializedValue<FoldShape> shapeValue, float eps)
    {
        var s = shapeValue.Value;
        float scale = (s.FixGamma != 0 ? 1f : v.Gamma[filter]) / XMath.Sqrt(v.MovingVar[filter] + eps);
        for (int k = 0; k < s.Patch; k++)
        {
            int i = (filter * s.Patch) + k;
            v.Folded[i] = v.Weight[i] * scale;
        }

        float bias = s.HasBias != 0 ? v.Bias[filter] : 0f;
        v.Folded[(s.Filters * s.Patch) + filter] = ((bias - v.MovingMean[filter]) * scale) + v.Beta[filter];
    }

    // Element j of channel c's (batch · spatial) values.
    private static int Index(BatchNormShape s, int c, int j)
    {
        int n = j / s.Spatial;
        return (((n * s.Channels) + c) * s.Spatial) + (j % s.Spatial);
    }

    private static float Reduce(ArrayView<float> partial, float value) => GroupSum.Of(partial, value, GroupSize);
}

/// <summary>A BatchNorm's layout and settings, one specialisation constant.</summary>
public readonly record struct BatchNormShape(int Batch, int Channels, int Spatial, int FixGamma, int UseBatchStats, int HasResidual, int Activation);

/// <summary>A BatchNorm backward's layout and which gradients it writes (1), adds (2) or skips (0).</summary>
public readonly record struct BatchNormGradientFlags(BatchNormShape Shape, int Input, int Gamma, int Beta);

/// <summary>The buffers of a BatchNorm forward pass.</summary>
public readonly record struct BatchNormViews(
    ArrayView<float> X, ArrayView<float> Y, ArrayView<float> Gamma, ArrayView<float> Beta,
    ArrayView<float> MovingMean, ArrayView<float> MovingVar, ArrayView<float> Saved, ArrayView<float> Residual);

/// <summary>The buffers of a BatchNorm backward pass.</summary>
public readonly record struct BatchNormGradientViews(
    ArrayView<float> X, ArrayView<float> Dy, ArrayView<float> Gamma, ArrayView<float> Saved,
    ArrayView<float> Dx, ArrayView<float> DGamma, ArrayView<float> DBeta);

/// <summary>A fold's sizes: filters, weights per filter, and whether the convolution has a bias and gamma is fixed.</summary>
public readonly record struct FoldShape(int Filters, int Patch, int HasBias, int FixGamma);

/// <summary>The buffers of a BatchNorm fold.</summary>
public readonly record struct FoldViews(
    ArrayView<float> Weight, ArrayView<float> Bias, ArrayView<float> Gamma, ArrayView<float> Beta,
    ArrayView<float> MovingMean, ArrayView<float> MovingVar, ArrayView<float> Folded);

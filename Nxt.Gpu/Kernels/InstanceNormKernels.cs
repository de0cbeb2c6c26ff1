using ILGPU;
using ILGPU.Runtime;

namespace Nxt.Gpu;

/// <summary>MXNet <c>InstanceNorm</c> on the device (<see cref="Nxt.Cpu.InstanceNormKernels"/>): a thread per plane, and per channel for γ and β.</summary>
public static class InstanceNormKernels
{
    /// <summary>The forward pass, saving each plane's mean and inverse deviation.</summary>
    public static void Forward(DeviceSpan x, DeviceSpan gamma, DeviceSpan beta, DeviceSpan y, DeviceSpan stats, int rows, int channels, int spatial, float eps)
        => Launcher.Run(y.Owner, ForwardKernel, rows, x.View, gamma.View, beta.View, y.View, stats.View, new Planes(channels, spatial, eps));

    /// <summary>The gradients, each under its own flags.</summary>
    public static void Backward(
        DeviceSpan x, DeviceSpan gamma, DeviceSpan dy, DeviceSpan stats, DeviceSpan dx, DeviceSpan dGamma, DeviceSpan dBeta,
        int rows, int channels, int spatial, bool wantX, bool accumulateX, bool wantGamma, bool accumulateGamma, bool wantBeta, bool accumulateBeta)
    {
        var planes = new Planes(channels, spatial, 0f);
        if (wantX)
        {
            Launcher.Run(dy.Owner, DataKernel, rows, x.View, gamma.View, dy.View, stats.View, dx.View, planes, SpecializedValue.New(accumulateX ? 1 : 0));
        }

        if (wantGamma || wantBeta)
        {
            var flags = new LayerNormKernels.Flags(wantGamma ? 1 : 0, accumulateGamma ? 1 : 0, wantBeta ? 1 : 0, accumulateBeta ? 1 : 0, rows / channels);
            Launcher.Run(dy.Owner, ParameterKernel, channels, x.View, dy.View, stats.View, wantGamma ? dGamma.View : dBeta.View, wantBeta ? dBeta.View : dGamma.View, planes, flags);
        }
    }

    internal static void ForwardKernel(Index1D r, ArrayView<float> x, ArrayView<float> gamma, ArrayView<float> beta, ArrayView<float> y, ArrayView<float> stats, Planes planes)
    {
        int start = r * planes.Spatial, c = r % planes.Channels;
        float mean = LayerNormKernels.Mean(x, start, planes.Spatial);
        float inverse = LayerNormKernels.InverseDeviation(x, start, planes.Spatial, mean, planes.Eps);
        stats[2 * r] = mean;
        stats[(2 * r) + 1] = inverse;
        float scale = inverse * gamma[c], shift = beta[c] - (mean * scale);
        for (int j = 0; j < planes.Spatial; j++)
        {
            y[start + j] = (x[start + j] * scale) + shift;
        }
    }

    internal static void DataKernel(Index1D r, ArrayView<float> x, ArrayView<float> gamma, ArrayView<float> dy, ArrayView<float> stats, ArrayView<float> dx, Planes planes, SpecializedValue<int> accumulate)
    {
        int start = r * planes.Spatial;
        float mean = stats[2 * r], inverse = stats[(2 * r) + 1], meanG = 0f, meanGx = 0f;
        for (int j = 0; j < planes.Spatial; j++)
        {
            meanG += dy[start + j];
            meanGx += dy[start + j] * (x[start + j] - mean) * inverse;
        }

        meanG /= planes.Spatial;
        meanGx /= planes.Spatial;
        float scale = inverse * gamma[r % planes.Channels];
        for (int j = 0; j < planes.Spatial; j++)
        {
            float value = scale * (dy[start + j] - meanG - ((x[start + j] - mean) * inverse * meanGx));
            dx[start + j] = accumulate.Value == 1 ? dx[start + j] + value : value;
        }
    }

    // One thread per channel over every sample's plane of it; first and second are dγ and dβ
    // (either may stand in for an unwanted one); the flags' width is the batch.
    internal static void ParameterKernel(Index1D c, ArrayView<float> x, ArrayView<float> dy, ArrayView<float> stats, ArrayView<float> first, ArrayView<float> second, Planes planes, LayerNormKernels.Flags flags)
    {
        float dGamma = 0f, dBeta = 0f;
        for (int n = 0; n < flags.Width; n++)
        {
            int r = (n * planes.Channels) + c, start = r * planes.Spatial;
            for (int j = 0; j < planes.Spatial; j++)
            {
                dGamma += dy[start + j] * (x[start + j] - stats[2 * r]) * stats[(2 * r) + 1];
                dBeta += dy[start + j];
            }
        }

        if (flags.WantGamma == 1)
        {
            first[c] = flags.AccumulateGamma == 1 ? first[c] + dGamma : dGamma;
        }

        if (flags.WantBeta == 1)
        {
            second[c] = flags.AccumulateBeta == 1 ? second[c] + dBeta : dBeta;
        }
    }

    /// <summary>Channels, a plane's length and eps, one kernel argument.</summary>
    internal readonly record struct Planes(int Channels, int Spatial, float Eps);
}

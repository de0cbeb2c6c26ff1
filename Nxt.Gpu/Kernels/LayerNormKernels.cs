using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;

namespace Nxt.Gpu;

/// <summary>MXNet <c>LayerNorm</c> on the device (<see cref="Nxt.Cpu.LayerNormKernels"/>): a thread per row, and per column for γ and β.</summary>
public static class LayerNormKernels
{
    /// <summary>The forward pass, saving each row's mean and inverse deviation.</summary>
    public static void Forward(DeviceSpan x, DeviceSpan gamma, DeviceSpan beta, DeviceSpan y, DeviceSpan stats, int rows, int width, float eps)
        => Launcher.Run(y.Owner, ForwardKernel, rows, x.View, gamma.View, beta.View, y.View, stats.View, new Row(width, eps));

    /// <summary>The gradients, each under its own flags.</summary>
    public static void Backward(
        DeviceSpan x, DeviceSpan gamma, DeviceSpan dy, DeviceSpan stats, DeviceSpan dx, DeviceSpan dGamma, DeviceSpan dBeta,
        int rows, int width, bool wantX, bool accumulateX, bool wantGamma, bool accumulateGamma, bool wantBeta, bool accumulateBeta)
    {
        if (wantX)
        {
            Launcher.Run(dy.Owner, DataKernel, rows, x.View, gamma.View, dy.View, stats.View, dx.View, new Row(width, 0f), SpecializedValue.New(accumulateX ? 1 : 0));
        }

        if (wantGamma || wantBeta)
        {
            Launcher.Run(dy.Owner, ParameterKernel, width, x.View, dy.View, stats.View, wantGamma ? dGamma.View : dBeta.View, wantBeta ? dBeta.View : dGamma.View, rows, new Flags(wantGamma ? 1 : 0, accumulateGamma ? 1 : 0, wantBeta ? 1 : 0, accumulateBeta ? 1 : 0, width));
        }
    }

    internal static void ForwardKernel(Index1D r, ArrayView<float> x, ArrayView<float> gamma, ArrayView<float> beta, ArrayView<float> y, ArrayView<float> stats, Row row)
    {
        int start = r * row.Width;
        float mean = Mean(x, start, row.Width);
        float inverse = InverseDeviation(x, start, row.Width, mean, row.Eps);
        stats[2 * r] = mean;
        stats[(2 * r) + 1] = inverse;
        for (int j = 0; j < row.Width; j++)
        {
            y[start + j] = ((x[start + j] - mean) * inverse * gamma[j]) + beta[j];
        }
    }

    internal static float Mean(ArrayView<float> x, int start, int width)
    {
        float sum = 0f;
        for (int j = 0; j < width; j++)
        {
            sum += x[start + j];
        }

        return sum / width;
    }

    /// <summary><c>1/sqrt(var + eps)</c> of a row whose mean is known.</summary>
    internal static float InverseDeviation(ArrayView<float> x, int start, int width, float mean, float eps)
    {
        float squares = 0f;
        for (int j = 0; j < width; j++)
        {
            float d = x[start + j] - mean;
            squares += d * d;
        }

        return XMath.Rsqrt((squares / width) + eps);
    }

    internal static void DataKernel(Index1D r, ArrayView<float> x, ArrayView<float> gamma, ArrayView<float> dy, ArrayView<float> stats, ArrayView<float> dx, Row row, SpecializedValue<int> accumulate)
    {
        int start = r * row.Width;
        float mean = stats[2 * r], inverse = stats[(2 * r) + 1], meanG = 0f, meanGx = 0f;
        for (int j = 0; j < row.Width; j++)
        {
            float g = dy[start + j] * gamma[j];
            meanG += g;
            meanGx += g * (x[start + j] - mean) * inverse;
        }

        meanG /= row.Width;
        meanGx /= row.Width;
        for (int j = 0; j < row.Width; j++)
        {
            float value = inverse * ((dy[start + j] * gamma[j]) - meanG - ((x[start + j] - mean) * inverse * meanGx));
            dx[start + j] = accumulate.Value == 1 ? dx[start + j] + value : value;
        }
    }

    // One thread per column: first and second are dγ and dβ (either may stand in for an unwanted one).
    internal static void ParameterKernel(Index1D j, ArrayView<float> x, ArrayView<float> dy, ArrayView<float> stats, ArrayView<float> first, ArrayView<float> second, int rows, Flags flags)
    {
        float dGamma = 0f, dBeta = 0f;
        for (int r = 0; r < rows; r++)
        {
            int at = (r * flags.Width) + j;
            dGamma += dy[at] * (x[at] - stats[2 * r]) * stats[(2 * r) + 1];
            dBeta += dy[at];
        }

        if (flags.WantGamma == 1)
        {
            first[j] = flags.AccumulateGamma == 1 ? first[j] + dGamma : dGamma;
        }

        if (flags.WantBeta == 1)
        {
            second[j] = flags.AccumulateBeta == 1 ? second[j] + dBeta : dBeta;
        }
    }

    /// <summary>A row's width and eps, one kernel argument.</summary>
    internal readonly record struct Row(int Width, float Eps);

    /// <summary>Which parameter gradients to write and whether to add, one kernel argument.</summary>
    internal readonly record struct Flags(int WantGamma, int AccumulateGamma, int WantBeta, int AccumulateBeta, int Width);
}

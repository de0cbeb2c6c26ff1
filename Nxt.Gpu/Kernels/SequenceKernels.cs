using ILGPU;
using ILGPU.Runtime;

namespace Nxt.Gpu;

/// <summary>Sequence steps on the device (<see cref="Nxt.Cpu.SequenceKernels"/>).</summary>
public static class SequenceKernels
{
    /// <summary>MXNet <c>SequenceLast</c>: <c>y[r, :] = x[r, T-1, :]</c> for <c>x (N, T, W)</c>.</summary>
    public static void LastStep(DeviceSpan x, DeviceSpan y, int n, int steps, int width)
        => Launcher.Run(y.Owner, LastStepKernel, n * width, x.View, y.View, steps, width);

    /// <summary><c>dx[r, T-1, :] (+)= dy[r, :]</c>, the other steps zero (or as they were).</summary>
    public static void LastStepBackward(DeviceSpan dy, DeviceSpan dx, int n, int steps, int width, bool accumulate)
        => Launcher.Run(dx.Owner, LastStepBackwardKernel, n * steps * width, dy.View, dx.View, steps, width, SpecializedValue.New(accumulate ? 1 : 0));

    internal static void LastStepKernel(Index1D e, ArrayView<float> x, ArrayView<float> y, int steps, int width)
    {
        int r = e / width, k = e % width;
        y[e] = x[(((r * steps) + steps - 1) * width) + k];
    }

    // One thread per element of dx.
    internal static void LastStepBackwardKernel(Index1D e, ArrayView<float> dy, ArrayView<float> dx, int steps, int width, SpecializedValue<int> accumulate)
    {
        int k = e % width, t = (e / width) % steps, r = e / (width * steps);
        float g = t == steps - 1 ? dy[(r * width) + k] : 0f;
        dx[e] = accumulate.Value == 1 ? dx[e] + g : g;
    }
}

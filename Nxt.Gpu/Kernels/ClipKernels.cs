using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;

namespace Nxt.Gpu;

/// <summary>MXNet <c>clip</c> on the device (<see cref="Nxt.Cpu.ClipKernels"/>).</summary>
public static class ClipKernels
{
    /// <summary><c>y = min(max(x, min), max)</c>.</summary>
    public static void Forward(DeviceSpan x, DeviceSpan y, float min, float max)
        => Launcher.Run(y.Owner, ForwardKernel, x.Length, x.View, y.View, new Bounds(min, max));

    /// <summary><c>dx (+)= min ≤ x ≤ max ? dy : 0</c>.</summary>
    public static void Backward(DeviceSpan x, DeviceSpan dy, DeviceSpan dx, float min, float max, bool accumulate)
        => Launcher.Run(dx.Owner, BackwardKernel, x.Length, x.View, dy.View, dx.View, new Bounds(min, max), SpecializedValue.New(accumulate ? 1 : 0));

    internal static void ForwardKernel(Index1D i, ArrayView<float> x, ArrayView<float> y, Bounds bounds)
        => y[i] = XMath.Min(XMath.Max(x[i], bounds.Min), bounds.Max);

    internal static void BackwardKernel(Index1D i, ArrayView<float> x, ArrayView<float> dy, ArrayView<float> dx, Bounds bounds, SpecializedValue<int> accumulate)
    {
        float g = x[i] >= bounds.Min && x[i] <= bounds.Max ? dy[i] : 0f;
        dx[i] = accumulate.Value == 1 ? dx[i] + g : g;
    }

    /// <summary>The clip range, one kernel argument.</summary>
    internal readonly record struct Bounds(float Min, float Max);
}

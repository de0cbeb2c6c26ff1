using ILGPU;
using ILGPU.Runtime;
using Nxt.Kernels;

namespace Nxt.Gpu;

/// <summary>
/// MXNet <c>slice(begin, end, step)</c> on the device (<see cref="Nxt.Cpu.StridedSliceKernels"/>):
/// a thread per output element forward; backward a thread per input element, which finds the one
/// output element that took it, if any.
/// </summary>
public static class StridedSliceKernels
{
    /// <summary>The taken elements of each sample, in order.</summary>
    public static void Forward(DeviceSpan x, DeviceSpan y, int n, in StridedSliceGeometry g)
        => Launcher.Run(y.Owner, ForwardKernel, n * g.OutLength, x.View, y.View, SpecializedValue.New(g));

    /// <summary>The input gradient, written or added.</summary>
    public static void Backward(DeviceSpan dy, DeviceSpan dx, int n, in StridedSliceGeometry g, bool accumulate)
        => Launcher.Run(dx.Owner, BackwardKernel, n * g.InLength, dy.View, dx.View, SpecializedValue.New(g), SpecializedValue.New(accumulate ? 1 : 0));

    internal static void ForwardKernel(Index1D e, ArrayView<float> x, ArrayView<float> y, SpecializedValue<StridedSliceGeometry> geometry)
    {
        var g = geometry.Value;
        int s = e / g.OutLength, o = e % g.OutLength;
        int o3 = o % g.O3, o2 = o / g.O3 % g.O2, o1 = o / (g.O3 * g.O2) % g.O1, o0 = o / (g.O3 * g.O2 * g.O1);
        y[e] = x[(s * g.InLength) + g.Source(o0, o1, o2, o3)];
    }

    internal static void BackwardKernel(Index1D e, ArrayView<float> dy, ArrayView<float> dx, SpecializedValue<StridedSliceGeometry> geometry, SpecializedValue<int> accumulate)
    {
        var g = geometry.Value;
        int s = e / g.InLength, i = e % g.InLength;
        int i3 = i % g.I3, i2 = i / g.I3 % g.I2, i1 = i / (g.I3 * g.I2) % g.I1, i0 = i / (g.I3 * g.I2 * g.I1);
        int o0 = StridedSliceGeometry.Taken(i0, g.Start0, g.Step0, g.O0), o1 = StridedSliceGeometry.Taken(i1, g.Start1, g.Step1, g.O1);
        int o2 = StridedSliceGeometry.Taken(i2, g.Start2, g.Step2, g.O2), o3 = StridedSliceGeometry.Taken(i3, g.Start3, g.Step3, g.O3);
        float value = o0 < 0 || o1 < 0 || o2 < 0 || o3 < 0 ? 0f : dy[(s * g.OutLength) + ((((((o0 * g.O1) + o1) * g.O2) + o2) * g.O3) + o3)];
        dx[e] = accumulate.Value == 1 ? dx[e] + value : value;
    }
}

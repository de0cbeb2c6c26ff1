using ILGPU;
using ILGPU.Runtime;
using Nxt.Kernels;

namespace Nxt.Gpu;

/// <summary>MXNet <c>slice_axis</c> and <c>transpose</c> on the device (<see cref="Nxt.Cpu.AxisKernels"/>).</summary>
public static class AxisKernels
{
    /// <summary><c>y = x[..., begin:begin+length, ...]</c> for each sample.</summary>
    public static void Slice(DeviceSpan x, DeviceSpan y, int n, SliceGeometry geometry)
        => Launcher.Run(y.Owner, SliceKernel, n * geometry.OutputLength, x.View, y.View, geometry);

    /// <summary><c>dx (+)= dy</c> inside the slice, zero (or as it was) outside: one thread per element of dx.</summary>
    public static void SliceBackward(DeviceSpan dy, DeviceSpan dx, int n, SliceGeometry geometry, bool accumulate)
        => Launcher.Run(dx.Owner, SliceBackwardKernel, n * geometry.InputLength, dy.View, dx.View, geometry, SpecializedValue.New(accumulate ? 1 : 0));

    /// <summary><c>y (+)= x</c> with each sample's axes permuted.</summary>
    public static void Transpose(DeviceSpan x, DeviceSpan y, int n, TransposeGeometry geometry, bool accumulate)
        => Launcher.Run(y.Owner, TransposeKernel, n * geometry.Length, x.View, y.View, geometry, SpecializedValue.New(accumulate ? 1 : 0));

    internal static void SliceKernel(Index1D e, ArrayView<float> x, ArrayView<float> y, SliceGeometry geometry)
    {
        int sample = e / geometry.OutputLength;
        y[e] = x[(sample * geometry.InputLength) + geometry.Source(e % geometry.OutputLength)];
    }

    internal static void SliceBackwardKernel(Index1D e, ArrayView<float> dy, ArrayView<float> dx, SliceGeometry geometry, SpecializedValue<int> accumulate)
    {
        int sample = e / geometry.InputLength, within = e % geometry.InputLength;
        int k = within % geometry.Inner, i = (within / geometry.Inner) % geometry.Dim, o = within / (geometry.Inner * geometry.Dim);
        int at = i - geometry.Begin;
        float g = at >= 0 && at < geometry.Length ? dy[(sample * geometry.OutputLength) + (((o * geometry.Length) + at) * geometry.Inner) + k] : 0f;
        dx[e] = accumulate.Value == 1 ? dx[e] + g : g;
    }

    internal static void TransposeKernel(Index1D e, ArrayView<float> x, ArrayView<float> y, TransposeGeometry geometry, SpecializedValue<int> accumulate)
    {
        int sample = e / geometry.Length;
        float v = x[(sample * geometry.Length) + geometry.Source(e % geometry.Length)];
        y[e] = accumulate.Value == 1 ? y[e] + v : v;
    }

    /// <summary><c>y[o, k] = scale · Σ_i x[o, i, k]</c>: one thread per output element.</summary>
    public static void Reduce(DeviceSpan x, DeviceSpan y, int n, ReduceGeometry geometry)
        => Launcher.Run(y.Owner, ReduceKernel, n * geometry.OutputLength, x.View, y.View, geometry);

    /// <summary><c>dx[o, i, k] (+)= scale · dy[o, k]</c>: one thread per element of dx.</summary>
    public static void ReduceBackward(DeviceSpan dy, DeviceSpan dx, int n, ReduceGeometry geometry, bool accumulate)
        => Launcher.Run(dx.Owner, ReduceBackwardKernel, n * geometry.InputLength, dy.View, dx.View, geometry, SpecializedValue.New(accumulate ? 1 : 0));

    internal static void ReduceKernel(Index1D e, ArrayView<float> x, ArrayView<float> y, ReduceGeometry geometry)
    {
        int o = e / geometry.Inner, k = e % geometry.Inner;
        float sum = 0f;
        for (int i = 0; i < geometry.Dim; i++)
        {
            sum += x[(((o * geometry.Dim) + i) * geometry.Inner) + k];
        }

        y[e] = geometry.Scale * sum;
    }

    internal static void ReduceBackwardKernel(Index1D e, ArrayView<float> dy, ArrayView<float> dx, ReduceGeometry geometry, SpecializedValue<int> accumulate)
    {
        int k = e % geometry.Inner, o = e / (geometry.Inner * geometry.Dim);
        float g = geometry.Scale * dy[(o * geometry.Inner) + k];
        dx[e] = accumulate.Value == 1 ? dx[e] + g : g;
    }
}

using ILGPU;
using ILGPU.Runtime;
using Nxt.Kernels;

namespace Nxt.Gpu;

/// <summary>
/// MXNet <c>pad</c> on the device (<see cref="Nxt.Cpu.PadKernels"/>): a thread per output pixel
/// forward; backward a thread per input pixel, summing the output pixels that read it (an edge
/// or a reflection reads a pixel more than once; no atomics).
/// </summary>
public static class PadKernels
{
    /// <summary>Each plane of <paramref name="x"/> with its border, into <paramref name="y"/>.</summary>
    public static void Forward(DeviceSpan x, DeviceSpan y, int planes, in PadGeometry g, float value)
        => Launcher.Run(y.Owner, ForwardKernel, planes * g.OutHeight * g.OutWidth, x.View, y.View, SpecializedValue.New(g), value);

    /// <summary>The input gradient, written or added.</summary>
    public static void Backward(DeviceSpan dy, DeviceSpan dx, int planes, in PadGeometry g, bool accumulate)
        => Launcher.Run(dx.Owner, BackwardKernel, planes * g.Height * g.Width, dy.View, dx.View, SpecializedValue.New(g), SpecializedValue.New(accumulate ? 1 : 0));

    internal static void ForwardKernel(Index1D e, ArrayView<float> x, ArrayView<float> y, SpecializedValue<PadGeometry> geometry, float value)
    {
        var g = geometry.Value;
        int ow = e % g.OutWidth, oh = e / g.OutWidth % g.OutHeight, p = e / (g.OutWidth * g.OutHeight);
        int ih = PadGeometry.Source(oh, g.Top, g.Height, g.Mode), iw = PadGeometry.Source(ow, g.Left, g.Width, g.Mode);
        y[e] = ih < 0 || iw < 0 ? value : x[(((p * g.Height) + ih) * g.Width) + iw];
    }

    // Every output pixel that reads this one: along each axis, the border's reads fall within a pad's width of it.
    internal static void BackwardKernel(Index1D e, ArrayView<float> dy, ArrayView<float> dx, SpecializedValue<PadGeometry> geometry, SpecializedValue<int> accumulate)
    {
        var g = geometry.Value;
        int iw = e % g.Width, ih = e / g.Width % g.Height, p = e / (g.Width * g.Height);
        float sum = 0f;
        for (int oh = 0; oh < g.OutHeight; oh++)
        {
            if (PadGeometry.Source(oh, g.Top, g.Height, g.Mode) != ih)
            {
                continue;
            }

            for (int ow = 0; ow < g.OutWidth; ow++)
            {
                if (PadGeometry.Source(ow, g.Left, g.Width, g.Mode) == iw)
                {
                    sum += dy[(((p * g.OutHeight) + oh) * g.OutWidth) + ow];
                }
            }
        }

        dx[e] = accumulate.Value == 1 ? dx[e] + sum : sum;
    }
}

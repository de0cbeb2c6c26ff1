using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;
using Nxt.Cpu;
using Nxt.Kernels;

namespace Nxt.Gpu;

/// <summary>
/// MXNet <c>Pooling</c> on the device (<see cref="Nxt.Cpu.PoolingKernels"/>): one thread per output
/// forward, and one per input pixel backward, gathering from the windows that contain it, so
/// overlapping windows need no atomics. A max routes its gradient to the first maximum of its
/// window in row-major order, as on the CPU.
/// </summary>
public static class PoolingKernels
{
    private const int Max = 0, Avg = 1, AvgCountingPad = 2, MaxThroughRelu = 3;

    /// <summary>Max pooling over every plane of the batch.</summary>
    public static void MaxForward(DeviceSpan x, DeviceSpan y, int batch, in PoolGeometry g)
        => Launcher.Run(y.Owner, ForwardKernel, batch * g.Channels * g.OutputPlane, x.View, y.View, SpecializedValue.New(g), SpecializedValue.New(Max));

    /// <summary><c>dx (+)= </c> each output's gradient at the first maximum of its window.</summary>
    public static void MaxBackward(DeviceSpan x, DeviceSpan dy, DeviceSpan dx, int batch, in PoolGeometry g, bool accumulate)
        => Launcher.Run(dx.Owner, BackwardKernel, batch * g.Channels * g.InputPlane, x.View, dy.View, dx.View, SpecializedValue.New(g), SpecializedValue.New(Max), SpecializedValue.New(accumulate ? 1 : 0));

    /// <summary>
    /// <see cref="MaxBackward"/> and the backward of the relu whose output <paramref name="x"/> is:
    /// a pixel that is not positive passes nothing (<see cref="Nxt.Cpu.PoolingKernels.MaxBackwardThroughRelu"/>).
    /// </summary>
    public static void MaxBackwardThroughRelu(DeviceSpan x, DeviceSpan dy, DeviceSpan dx, int batch, in PoolGeometry g, bool accumulate)
        => Launcher.Run(dx.Owner, BackwardKernel, batch * g.Channels * g.InputPlane, x.View, dy.View, dx.View, SpecializedValue.New(g), SpecializedValue.New(MaxThroughRelu), SpecializedValue.New(accumulate ? 1 : 0));

    /// <summary>Average pooling over every plane of the batch.</summary>
    public static void AvgForward(DeviceSpan x, DeviceSpan y, int batch, in PoolGeometry g, bool countIncludePad)
        => Launcher.Run(y.Owner, ForwardKernel, batch * g.Channels * g.OutputPlane, x.View, y.View, SpecializedValue.New(g), SpecializedValue.New(countIncludePad ? AvgCountingPad : Avg));

    /// <summary><c>dx (+)= </c> each output's gradient spread evenly over its window.</summary>
    public static void AvgBackward(DeviceSpan dy, DeviceSpan dx, int batch, in PoolGeometry g, bool countIncludePad, bool accumulate)
        => Launcher.Run(dx.Owner, BackwardKernel, batch * g.Channels * g.InputPlane, dy.Owner.Placeholder, dy.View, dx.View, SpecializedValue.New(g), SpecializedValue.New(countIncludePad ? AvgCountingPad : Avg), SpecializedValue.New(accumulate ? 1 : 0));

    internal static void ForwardKernel(Index1D i, ArrayView<float> x, ArrayView<float> y, SpecializedValue<PoolGeometry> geometry, SpecializedValue<int> mode)
    {
        var g = geometry.Value;
        int outPlane = g.OutHeight * g.OutWidth;
        int plane = i / outPlane, oh = (i % outPlane) / g.OutWidth, ow = i % g.OutWidth;
        int inputStart = plane * g.Height * g.Width;
        int hStart = (oh * g.StrideH) - g.PadH, wStart = (ow * g.StrideW) - g.PadW;
        int h0 = XMath.Max(hStart, 0), h1 = XMath.Min(hStart + g.KernelH, g.Height);
        int w0 = XMath.Max(wStart, 0), w1 = XMath.Min(wStart + g.KernelW, g.Width);
        if (mode.Value == Max)
        {
            float max = float.NegativeInfinity;
            for (int h = h0; h < h1; h++)
            {
                for (int w = w0; w < w1; w++)
                {
                    max = XMath.Max(max, x[inputStart + (h * g.Width) + w]);
                }
            }

            y[i] = max == float.NegativeInfinity ? 0f : max;
            return;
        }

        float sum = 0f;
        for (int h = h0; h < h1; h++)
        {
            for (int w = w0; w < w1; w++)
            {
                sum += x[inputStart + (h * g.Width) + w];
            }
        }

        int count = Count(g, oh, ow, mode.Value == AvgCountingPad);
        y[i] = count > 0 ? sum / count : 0f;
    }

    internal static void BackwardKernel(Index1D i, ArrayView<float> x, ArrayView<float> dy, ArrayView<float> dx, SpecializedValue<PoolGeometry> geometry, SpecializedValue<int> mode, SpecializedValue<int> accumulate)
    {
        var g = geometry.Value;
        int inPlane = g.Height * g.Width;
        int plane = i / inPlane, h = (i % inPlane) / g.Width, w = i % g.Width;
        int inputStart = plane * inPlane, outputStart = plane * g.OutHeight * g.OutWidth;

        // The outputs whose window [o·S - pad, o·S - pad + K) holds this pixel.
        int ohFirst = XMath.Max(0, DivideUp(h + g.PadH - g.KernelH + 1, g.StrideH));
        int ohLast = XMath.Min(g.OutHeight - 1, (h + g.PadH) / g.StrideH);
        int owFirst = XMath.Max(0, DivideUp(w + g.PadW - g.KernelW + 1, g.StrideW));
        int owLast = XMath.Min(g.OutWidth - 1, (w + g.PadW) / g.StrideW);
        float sum = 0f;
        bool routes = mode.Value != MaxThroughRelu || x[i] > 0f; // a pixel that wins its window holds the window's maximum
        for (int oh = ohFirst; oh <= ohLast && routes; oh++)
        {
            for (int ow = owFirst; ow <= owLast; ow++)
            {
                float share = dy[outputStart + (oh * g.OutWidth) + ow];
                if (mode.Value is Max or MaxThroughRelu)
                {
                    if (FirstMaximum(g, x, inputStart, oh, ow) == (h * g.Width) + w)
                    {
                        sum += share;
                    }
                }
                else
                {
                    int count = Count(g, oh, ow, mode.Value == AvgCountingPad);
                    sum += count > 0 ? share / count : 0f;
                }
            }
        }

        dx[i] = accumulate.Value != 0 ? dx[i] + sum : sum;
    }

    private static int FirstMaximum(PoolGeometry g, ArrayView<float> x, int inputStart, int oh, int ow)
    {
        int hStart = (oh * g.StrideH) - g.PadH, wStart = (ow * g.StrideW) - g.PadW;
        int best = -1;
        float max = float.NegativeInfinity;
        for (int h = XMath.Max(hStart, 0); h < XMath.Min(hStart + g.KernelH, g.Height); h++)
        {
            for (int w = XMath.Max(wStart, 0); w < XMath.Min(wStart + g.KernelW, g.Width); w++)
            {
                float v = x[inputStart + (h * g.Width) + w];
                if (v > max)
                {
                    max = v;
                    best = (h * g.Width) + w;
                }
            }
        }

        return best;
    }

    // The window's divisor: the pixels inside the input, or (MXNet's default) the window clipped to the padded input.
    private static int Count(PoolGeometry g, int oh, int ow, bool countIncludePad)
    {
        int hStart = (oh * g.StrideH) - g.PadH, wStart = (ow * g.StrideW) - g.PadW;
        if (!countIncludePad)
        {
            int hCount = XMath.Min(hStart + g.KernelH, g.Height) - XMath.Max(hStart, 0);
            int wCount = XMath.Min(wStart + g.KernelW, g.Width) - XMath.Max(wStart, 0);
            return XMath.Max(hCount, 0) * XMath.Max(wCount, 0);
        }

        int hEnd = XMath.Min(hStart + g.KernelH, g.Height + g.PadH), wEnd = XMath.Min(wStart + g.KernelW, g.Width + g.PadW);
        return (hEnd - hStart) * (wEnd - wStart);
    }

    private static int DivideUp(int value, int divisor) => value <= 0 ? -(-value / divisor) : (value + divisor - 1) / divisor;
}

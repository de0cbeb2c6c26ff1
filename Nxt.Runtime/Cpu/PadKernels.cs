using System;

using Nxt.Kernels;

namespace Nxt.Cpu;

/// <summary>MXNet <c>pad</c>: a border around every (H, W) plane, constant, edge or reflected (<see cref="PadGeometry"/>).</summary>
public static class PadKernels
{
    /// <summary>Each of the <paramref name="planes"/> planes of <paramref name="x"/> with its border, into <paramref name="y"/>.</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, int planes, in PadGeometry g, float value)
    {
        for (int p = 0; p < planes; p++)
        {
            var plane = x.Slice(p * g.Height * g.Width, g.Height * g.Width);
            var padded = y.Slice(p * g.OutHeight * g.OutWidth, g.OutHeight * g.OutWidth);
            for (int oh = 0; oh < g.OutHeight; oh++)
            {
                int ih = PadGeometry.Source(oh, g.Top, g.Height, g.Mode);
                for (int ow = 0; ow < g.OutWidth; ow++)
                {
                    int iw = PadGeometry.Source(ow, g.Left, g.Width, g.Mode);
                    padded[(oh * g.OutWidth) + ow] = ih < 0 || iw < 0 ? value : plane[(ih * g.Width) + iw];
                }
            }
        }
    }

    /// <summary>The input gradient: each output pixel's gradient added onto the pixel it read (the border's constant reads none).</summary>
    public static void Backward(ReadOnlySpan<float> dy, Span<float> dx, int planes, in PadGeometry g, bool accumulate)
    {
        for (int p = 0; p < planes; p++)
        {
            var plane = dx.Slice(p * g.Height * g.Width, g.Height * g.Width);
            if (!accumulate)
            {
                plane.Clear();
            }

            var padded = dy.Slice(p * g.OutHeight * g.OutWidth, g.OutHeight * g.OutWidth);
            for (int oh = 0; oh < g.OutHeight; oh++)
            {
                int ih = PadGeometry.Source(oh, g.Top, g.Height, g.Mode);
                for (int ow = 0; ow < g.OutWidth; ow++)
                {
                    int iw = PadGeometry.Source(ow, g.Left, g.Width, g.Mode);
                    if (ih >= 0 && iw >= 0)
                    {
                        plane[(ih * g.Width) + iw] += padded[(oh * g.OutWidth) + ow];
                    }
                }
            }
        }
    }
}

using System;

namespace Nxt.Cpu;

/// <summary>The fixed geometry of one 2-D pooling (NCHW): input <c>(C,H,W)</c>, window, stride, padding, output <c>(C,OH,OW)</c>.</summary>
public readonly record struct PoolGeometry(
    int Channels, int Height, int Width, int KernelH, int KernelW, int StrideH, int StrideW, int PadH, int PadW, int OutHeight, int OutWidth)
{
    internal int InputPlane => Height * Width;

    internal int OutputPlane => OutHeight * OutWidth;
}

/// <summary>
/// MXNet <c>Pooling</c>, max and average. Padding never wins a max; an average divides by the
/// window clipped to the padded input (<c>count_include_pad</c>, MXNet's default) or by the
/// pixels actually inside the input.
/// </summary>
public static class PoolingKernels
{
    /// <summary>Max pooling over every plane of the batch.</summary>
    public static void MaxForward(ReadOnlySpan<float> x, Span<float> y, int batch, in PoolGeometry g)
    {
        int planes = batch * g.Channels;
        for (int p = 0; p < planes; p++)
        {
            var input = x.Slice(p * g.InputPlane, g.InputPlane);
            var output = y.Slice(p * g.OutputPlane, g.OutputPlane);
            for (int oh = 0; oh < g.OutHeight; oh++)
            {
                for (int ow = 0; ow < g.OutWidth; ow++)
                {
                    var (h0, h1, w0, w1) = Window(g, oh, ow);
                    float max = float.NegativeInfinity;
                    for (int h = h0; h < h1; h++)
                    {
                        for (int w = w0; w < w1; w++)
                        {
                            max = MathF.Max(max, input[(h * g.Width) + w]);
                        }
                    }

                    output[(oh * g.OutWidth) + ow] = float.IsNegativeInfinity(max) ? 0f : max;
                }
            }
        }
    }

    /// <summary>Routes each output's gradient to the first maximum of its window: <c>dx (+)= ...</c>.</summary>
    public static void MaxBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, int batch, in PoolGeometry g, bool accumulate)
    {
        if (!accumulate)
        {
            dx[..(batch * g.Channels * g.InputPlane)].Clear();
        }

        int planes = batch * g.Channels;
        for (int p = 0; p < planes; p++)
        {
            var input = x.Slice(p * g.InputPlane, g.InputPlane);
            var gradIn = dx.Slice(p * g.InputPlane, g.InputPlane);
            var gradOut = dy.Slice(p * g.OutputPlane, g.OutputPlane);
            for (int oh = 0; oh < g.OutHeight; oh++)
            {
                for (int ow = 0; ow < g.OutWidth; ow++)
                {
                    var (h0, h1, w0, w1) = Window(g, oh, ow);
                    int best = -1;
                    float max = float.NegativeInfinity;
                    for (int h = h0; h < h1; h++)
                    {
                        for (int w = w0; w < w1; w++)
                        {
                            float v = input[(h * g.Width) + w];
                            if (v > max)
                            {
                                (max, best) = (v, (h * g.Width) + w);
                            }
                        }
                    }

                    if (best >= 0)
                    {
                        gradIn[best] += gradOut[(oh * g.OutWidth) + ow];
                    }
                }
            }
        }
    }

    /// <summary>Average pooling over every plane of the batch.</summary>
    public static void AvgForward(ReadOnlySpan<float> x, Span<float> y, int batch, in PoolGeometry g, bool countIncludePad)
    {
        int planes = batch * g.Channels;
        for (int p = 0; p < planes; p++)
        {
            var input = x.Slice(p * g.InputPlane, g.InputPlane);
            var output = y.Slice(p * g.OutputPlane, g.OutputPlane);
            for (int oh = 0; oh < g.OutHeight; oh++)
            {
                for (int ow = 0; ow < g.OutWidth; ow++)
                {
                    var (h0, h1, w0, w1) = Window(g, oh, ow);
                    float sum = 0f;
                    for (int h = h0; h < h1; h++)
                    {
                        for (int w = w0; w < w1; w++)
                        {
                            sum += input[(h * g.Width) + w];
                        }
                    }

                    int count = Count(g, oh, ow, countIncludePad);
                    output[(oh * g.OutWidth) + ow] = count > 0 ? sum / count : 0f;
                }
            }
        }
    }

    /// <summary>Spreads each output's gradient evenly over its window: <c>dx (+)= ...</c>.</summary>
    public static void AvgBackward(ReadOnlySpan<float> dy, Span<float> dx, int batch, in PoolGeometry g, bool countIncludePad, bool accumulate)
    {
        if (!accumulate)
        {
            dx[..(batch * g.Channels * g.InputPlane)].Clear();
        }

        int planes = batch * g.Channels;
        for (int p = 0; p < planes; p++)
        {
            var gradIn = dx.Slice(p * g.InputPlane, g.InputPlane);
            var gradOut = dy.Slice(p * g.OutputPlane, g.OutputPlane);
            for (int oh = 0; oh < g.OutHeight; oh++)
            {
                for (int ow = 0; ow < g.OutWidth; ow++)
                {
                    int count = Count(g, oh, ow, countIncludePad);
                    if (count == 0)
                    {
                        continue;
                    }

                    float share = gradOut[(oh * g.OutWidth) + ow] / count;
                    var (h0, h1, w0, w1) = Window(g, oh, ow);
                    for (int h = h0; h < h1; h++)
                    {
                        for (int w = w0; w < w1; w++)
                        {
                            gradIn[(h * g.Width) + w] += share;
                        }
                    }
                }
            }
        }
    }

    // The window of output (oh, ow) clipped to the input.
    private static (int H0, int H1, int W0, int W1) Window(in PoolGeometry g, int oh, int ow)
    {
        int hStart = (oh * g.StrideH) - g.PadH, wStart = (ow * g.StrideW) - g.PadW;
        return (Math.Max(hStart, 0), Math.Min(hStart + g.KernelH, g.Height), Math.Max(wStart, 0), Math.Min(wStart + g.KernelW, g.Width));
    }

    private static int Count(in PoolGeometry g, int oh, int ow, bool countIncludePad)
    {
        if (!countIncludePad)
        {
            var (h0, h1, w0, w1) = Window(g, oh, ow);
            return Math.Max(h1 - h0, 0) * Math.Max(w1 - w0, 0);
        }

        // MXNet: the window clipped to the padded input.
        int hStart = (oh * g.StrideH) - g.PadH, wStart = (ow * g.StrideW) - g.PadW;
        int hEnd = Math.Min(hStart + g.KernelH, g.Height + g.PadH), wEnd = Math.Min(wStart + g.KernelW, g.Width + g.PadW);
        return (hEnd - hStart) * (wEnd - wStart);
    }
}

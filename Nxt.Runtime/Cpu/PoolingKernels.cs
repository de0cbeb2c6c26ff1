using System;
using System.Runtime.CompilerServices;

using Nxt.Kernels;

namespace Nxt.Cpu;

/// <summary>
/// MXNet <c>Pooling</c>, max and average. Padding never wins a max; an average divides by the
/// window clipped to the padded input (<c>count_include_pad</c>, MXNet's default) or by the
/// pixels actually inside the input.
/// </summary>
public static unsafe class PoolingKernels
{
    [ThreadStatic]
    private static PoolWork? t_work;

    /// <summary>Max pooling over every plane of the batch.</summary>
    public static void MaxForward(ReadOnlySpan<float> x, Span<float> y, int batch, in PoolGeometry g)
        => Run(PoolPass.MaxForward, x, y, default, default, batch, g, countIncludePad: false, accumulate: false);

    /// <summary>Routes each output's gradient to the first maximum of its window: <c>dx (+)= ...</c>.</summary>
    public static void MaxBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, int batch, in PoolGeometry g, bool accumulate)
        => Run(PoolPass.MaxBackward, x, default, dy, dx, batch, g, countIncludePad: false, accumulate);

    /// <summary>
    /// <see cref="MaxBackward"/> and the backward of the relu whose output <paramref name="x"/> is,
    /// in one pass: each output's gradient goes to the first maximum of its window only where that
    /// maximum is positive, <c>dx (+)= [x &gt; 0] · pool'(dy)</c> (the pool's gradient routed, then
    /// masked as <c>ActivationKernels.ReluBackward</c> masks it), so the relu's gradient is never
    /// written whole and read back. For a relu whose output the pool alone reads.
    /// </summary>
    public static void MaxBackwardThroughRelu(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, int batch, in PoolGeometry g, bool accumulate)
        => Run(PoolPass.MaxBackwardThroughRelu, x, default, dy, dx, batch, g, countIncludePad: false, accumulate);

    /// <summary>Average pooling over every plane of the batch.</summary>
    public static void AvgForward(ReadOnlySpan<float> x, Span<float> y, int batch, in PoolGeometry g, bool countIncludePad)
        => Run(PoolPass.AvgForward, x, y, default, default, batch, g, countIncludePad, accumulate: false);

    /// <summary>Spreads each output's gradient evenly over its window: <c>dx (+)= ...</c>.</summary>
    public static void AvgBackward(ReadOnlySpan<float> dy, Span<float> dx, int batch, in PoolGeometry g, bool countIncludePad, bool accumulate)
        => Run(PoolPass.AvgBackward, default, default, dy, dx, batch, g, countIncludePad, accumulate);

    // Planes are independent: they are split over the CPU workers.
    private static void Run(PoolPass pass, ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> dy, Span<float> dx, int batch, in PoolGeometry g, bool countIncludePad, bool accumulate)
    {
        int planes = batch * g.Channels;
        long inputs = (long)planes * g.InputPlane, outputs = (long)planes * g.OutputPlane;
        bool needsX = pass is PoolPass.MaxForward or PoolPass.MaxBackward or PoolPass.MaxBackwardThroughRelu or PoolPass.AvgForward;
        bool forward = pass is PoolPass.MaxForward or PoolPass.AvgForward;
        if ((needsX && x.Length < inputs) || (forward && y.Length < outputs) || (!forward && (dy.Length < outputs || dx.Length < inputs)))
        {
            throw new ArgumentException($"Pooling over {planes} planes of {g.Height}x{g.Width} -> {g.OutHeight}x{g.OutWidth} got buffers of {x.Length}, {y.Length}, {dy.Length} and {dx.Length} floats.");
        }

        // Below this many input pixels a second core costs more than it saves.
        int parts = (long)planes * g.InputPlane < 32768 ? 1 : CpuWorkers.Parallelism;
        fixed (float* px = x)
        fixed (float* py = y)
        fixed (float* pdy = dy)
        fixed (float* pdx = dx)
        {
            var work = t_work ??= new PoolWork();
            work.Set(pass, px, py, pdy, pdx, planes, g, countIncludePad, accumulate);
            CpuWorkers.Run(work, Math.Min(parts, planes));
            work.Clear();
        }
    }

    private static void MaxForwardPlane(ReadOnlySpan<float> input, Span<float> output, in PoolGeometry g)
    {
        if (IsHalving(g))
        {
            // 2x2 windows, stride 2, no padding: the LeNet/VGG case, without window clipping.
            for (int oh = 0; oh < g.OutHeight; oh++)
            {
                var top = input.Slice(2 * oh * g.Width, g.Width);
                var bottom = input.Slice(((2 * oh) + 1) * g.Width, g.Width);
                var row = output.Slice(oh * g.OutWidth, g.OutWidth);
                for (int ow = HalvingPoolRows.Forward(top, bottom, row); ow < row.Length; ow++)
                {
                    row[ow] = MathF.Max(MathF.Max(top[2 * ow], top[(2 * ow) + 1]), MathF.Max(bottom[2 * ow], bottom[(2 * ow) + 1]));
                }
            }

            return;
        }

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

    // With overwrite (only for windows that tile the plane) every pixel is written rather than added
    // to; throughRelu drops the gradient of a window whose maximum is not positive.
    private static void MaxBackwardPlane(ReadOnlySpan<float> input, ReadOnlySpan<float> gradOut, Span<float> gradIn, in PoolGeometry g, bool overwrite, bool throughRelu)
    {
        if (IsHalving(g))
        {
            // Windows do not overlap: each output's gradient goes to the first maximum of its four pixels.
            for (int oh = 0; oh < g.OutHeight; oh++)
            {
                int top = 2 * oh * g.Width, bottom = top + g.Width;
                var row = gradOut.Slice(oh * g.OutWidth, g.OutWidth);
                int done = HalvingPoolRows.Backward(input.Slice(top, g.Width), input.Slice(bottom, g.Width), row, gradIn.Slice(top, g.Width), gradIn.Slice(bottom, g.Width), overwrite, throughRelu);
                for (int ow = done; ow < row.Length; ow++)
                {
                    // Masks rather than branches: with real data each comparison is a coin toss, and the
                    // JIT turns a ternary into a jump (3.9x slower here).
                    int first = top + (2 * ow), second = bottom + (2 * ow);
                    if (overwrite)
                    {
                        gradIn[first] = gradIn[first + 1] = gradIn[second] = gradIn[second + 1] = 0f;
                    }

                    float a = input[first], b = input[first + 1], c = input[second], d = input[second + 1];
                    int upper = first + Bit(b > a);
                    int lower = second + Bit(d > c);
                    float upperMax = MathF.Max(a, b), lowerMax = MathF.Max(c, d);
                    int lowerWins = -Bit(lowerMax > upperMax);
                    bool passes = !throughRelu || MathF.Max(upperMax, lowerMax) > 0f;
                    gradIn[(lower & lowerWins) | (upper & ~lowerWins)] += passes ? row[ow] : 0f;
                }
            }

            return;
        }

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

                if (best >= 0 && (!throughRelu || max > 0f))
                {
                    gradIn[best] += gradOut[(oh * g.OutWidth) + ow];
                }
            }
        }
    }

    private static void AvgForwardPlane(ReadOnlySpan<float> input, Span<float> output, in PoolGeometry g, bool countIncludePad)
    {
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

    private static void AvgBackwardPlane(ReadOnlySpan<float> gradOut, Span<float> gradIn, in PoolGeometry g, bool countIncludePad)
    {
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

    private static int Bit(bool condition) => Unsafe.As<bool, byte>(ref condition);

    private static bool IsHalving(in PoolGeometry g)
        => g is { KernelH: 2, KernelW: 2, StrideH: 2, StrideW: 2, PadH: 0, PadW: 0 } && g.OutHeight * 2 <= g.Height && g.OutWidth * 2 <= g.Width;

    // Halving windows that cover every pixel: an even plane (an odd one leaves its last row or column out).
    private static bool TilesThePlane(in PoolGeometry g)
        => IsHalving(g) && g.OutHeight * 2 == g.Height && g.OutWidth * 2 == g.Width;

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

    private enum PoolPass
    {
        MaxForward,
        MaxBackward,
        MaxBackwardThroughRelu,
        AvgForward,
        AvgBackward,
    }

    /// <summary>One call's pointers, reused per calling thread so that dispatch allocates nothing.</summary>
    private sealed class PoolWork : IParallelWork
    {
        private PoolPass _pass;
        private float* _x, _y, _dy, _dx;
        private int _planes;
        private PoolGeometry _g;
        private bool _countIncludePad, _accumulate;

        public void Set(PoolPass pass, float* x, float* y, float* dy, float* dx, int planes, in PoolGeometry g, bool countIncludePad, bool accumulate)
        {
            _x = x;
            _y = y;
            _dy = dy;
            _dx = dx;
            (_pass, _planes, _g, _countIncludePad, _accumulate) = (pass, planes, g, countIncludePad, accumulate);
        }

        public void Clear() => _x = _y = _dy = _dx = null;

        public void Run(int part, int partCount)
        {
            var g = _g;
            int first = (int)((long)_planes * part / partCount), last = (int)((long)_planes * (part + 1) / partCount);
            for (int p = first; p < last; p++)
            {
                var input = new ReadOnlySpan<float>(_x + ((long)p * g.InputPlane), _x is null ? 0 : g.InputPlane);
                var output = new Span<float>(_y + ((long)p * g.OutputPlane), _y is null ? 0 : g.OutputPlane);
                var gradOut = new ReadOnlySpan<float>(_dy + ((long)p * g.OutputPlane), _dy is null ? 0 : g.OutputPlane);
                var gradIn = new Span<float>(_dx + ((long)p * g.InputPlane), _dx is null ? 0 : g.InputPlane);
                // Halving windows that tile the plane write every pixel of it themselves.
                bool overwrite = !_accumulate && _pass is (PoolPass.MaxBackward or PoolPass.MaxBackwardThroughRelu) && TilesThePlane(g);
                if (!_accumulate && !overwrite && !gradIn.IsEmpty)
                {
                    gradIn.Clear();
                }

                switch (_pass)
                {
                    case PoolPass.MaxForward:
                        MaxForwardPlane(input, output, g);
                        break;
                    case PoolPass.MaxBackward:
                    case PoolPass.MaxBackwardThroughRelu:
                        MaxBackwardPlane(input, gradOut, gradIn, g, overwrite, _pass == PoolPass.MaxBackwardThroughRelu);
                        break;
                    case PoolPass.AvgForward:
                        AvgForwardPlane(input, output, g, _countIncludePad);
                        break;
                    default:
                        AvgBackwardPlane(gradOut, gradIn, g, _countIncludePad);
                        break;
                }
            }
        }
    }
}

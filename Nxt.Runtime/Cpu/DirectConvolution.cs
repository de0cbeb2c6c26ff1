using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Nxt.Cpu;

/// <summary>
/// The forward pass of a convolution over few input channels (an image network's first layer:
/// LeNet's 1×5×5 patches), computed directly instead of through im2col: with a patch of a few
/// dozen floats, im2col copies every pixel KH·KW times to feed a GEMM whose inner dimension is
/// too short to pay for it. Two output rows of 16 pixels stay in four 256-bit registers while
/// every tap of the filter adds its broadcast weight times the input shifted under it (four
/// independent FMA chains per tap, the input rows read straight from L1).
/// </summary>
internal static unsafe class DirectConvolution
{
    private const int Block = 16;

    /// <summary>Stride 1, no dilation, padding or groups, a short patch, and output rows of at least one block.</summary>
    public static bool Suits(in ConvGeometry g)
        => g is { Groups: 1, StrideH: 1, StrideW: 1, DilateH: 1, DilateW: 1, PadH: 0, PadW: 0 }
            && g.PatchLength <= 64 && g.OutWidth >= Block;

    /// <summary>One sample's output planes <c>y = W ⋆ x</c>, without bias (the epilogue adds it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(float* x, float* weight, float* y, in ConvGeometry g)
    {
        int plane = g.Height * g.Width, width = g.OutWidth;
        for (int f = 0; f < g.Filters; f++)
        {
            float* yPlane = y + ((long)f * g.OutPixels);
            float* filter = weight + ((long)f * g.PatchLength);
            for (int oh = 0; oh < g.OutHeight; oh += 2)
            {
                bool second = oh + 1 < g.OutHeight;
                for (int ow = 0; ow < width; ow += Block)
                {
                    // The last block of a row shifts left to end at the row's end: recomputing a few
                    // outputs is cheaper than a scalar tail.
                    int start = Math.Min(ow, width - Block);
                    Vector256<float> a0 = default, a1 = default, b0 = default, b1 = default;
                    float* w = filter;
                    for (int c = 0; c < g.Channels; c++)
                    {
                        for (int kh = 0; kh < g.KernelH; kh++)
                        {
                            float* top = x + ((long)c * plane) + ((oh + kh) * g.Width) + start;
                            float* bottom = second ? top + g.Width : top;
                            for (int kw = 0; kw < g.KernelW; kw++)
                            {
                                var tap = Vector256.Create(*w++);
                                a0 = Vector256.FusedMultiplyAdd(tap, Vector256.Load(top + kw), a0);
                                a1 = Vector256.FusedMultiplyAdd(tap, Vector256.Load(top + kw + 8), a1);
                                b0 = Vector256.FusedMultiplyAdd(tap, Vector256.Load(bottom + kw), b0);
                                b1 = Vector256.FusedMultiplyAdd(tap, Vector256.Load(bottom + kw + 8), b1);
                            }
                        }
                    }

                    float* row = yPlane + (oh * width) + start;
                    Vector256.Store(a0, row);
                    Vector256.Store(a1, row + 8);
                    if (second)
                    {
                        Vector256.Store(b0, row + width);
                        Vector256.Store(b1, row + width + 8);
                    }
                }
            }
        }
    }
}

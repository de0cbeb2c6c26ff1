using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Nxt.Cpu;

/// <summary>
/// MXNet <c>Concat</c>: per sample, the inputs' blocks side by side along one axis. A sample
/// is <c>outer</c> blocks; input i contributes <c>inner_i</c> contiguous floats to each.
/// </summary>
public static class ConcatKernels
{
    /// <summary>Copies one input into its place in the output.</summary>
    public static void ForwardPart(ReadOnlySpan<float> x, Span<float> y, int batch, int outer, int inner, int offset, int outputInner)
    {
        for (int block = 0; block < batch * outer; block++)
        {
            x.Slice(block * inner, inner).CopyTo(y.Slice((block * outputInner) + offset, inner));
        }
    }

    /// <summary>Takes one input's share of the output gradient: <c>dx (+)= dy[part]</c>.</summary>
    public static void BackwardPart(ReadOnlySpan<float> dy, Span<float> dx, int batch, int outer, int inner, int offset, int outputInner, bool accumulate)
    {
        for (int block = 0; block < batch * outer; block++)
        {
            ElementwiseKernels.CopyOrAdd(dy.Slice((block * outputInner) + offset, inner), dx.Slice(block * inner, inner), accumulate);
        }
    }
}

using System;

using Nxt.Kernels;

namespace Nxt.Cpu;

/// <summary>MXNet <c>slice(begin, end, step)</c> over a sample's axes (<see cref="StridedSliceGeometry"/>).</summary>
public static class StridedSliceKernels
{
    /// <summary>The taken elements of each sample, in order.</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, int n, in StridedSliceGeometry g)
    {
        int o = 0;
        for (int s = 0; s < n; s++)
        {
            var sample = x.Slice(s * g.InLength, g.InLength);
            for (int o0 = 0; o0 < g.O0; o0++)
            {
                for (int o1 = 0; o1 < g.O1; o1++)
                {
                    for (int o2 = 0; o2 < g.O2; o2++)
                    {
                        for (int o3 = 0; o3 < g.O3; o3++, o++)
                        {
                            y[o] = sample[g.Source(o0, o1, o2, o3)];
                        }
                    }
                }
            }
        }
    }

    /// <summary>The input gradient: each taken element's output gradient, zero for the rest (or added).</summary>
    public static void Backward(ReadOnlySpan<float> dy, Span<float> dx, int n, in StridedSliceGeometry g, bool accumulate)
    {
        for (int s = 0; s < n; s++)
        {
            var sample = dx.Slice(s * g.InLength, g.InLength);
            if (!accumulate)
            {
                sample.Clear();
            }

            var gradient = dy.Slice(s * g.OutLength, g.OutLength);
            int o = 0;
            for (int o0 = 0; o0 < g.O0; o0++)
            {
                for (int o1 = 0; o1 < g.O1; o1++)
                {
                    for (int o2 = 0; o2 < g.O2; o2++)
                    {
                        for (int o3 = 0; o3 < g.O3; o3++, o++)
                        {
                            // A slice takes each input element at most once.
                            sample[g.Source(o0, o1, o2, o3)] += gradient[o];
                        }
                    }
                }
            }
        }
    }
}

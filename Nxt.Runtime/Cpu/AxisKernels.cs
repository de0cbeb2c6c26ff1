using System;
using Nxt.Kernels;

namespace Nxt.Cpu;

/// <summary>MXNet <c>slice_axis</c> and <c>transpose</c> over batches of samples.</summary>
public static class AxisKernels
{
    /// <summary><c>y = x[..., begin:begin+length, ...]</c> for each of <paramref name="n"/> samples.</summary>
    public static void Slice(ReadOnlySpan<float> x, Span<float> y, int n, SliceGeometry geometry)
    {
        for (int s = 0; s < n; s++)
        {
            var sample = x.Slice(s * geometry.InputLength, geometry.InputLength);
            var output = y.Slice(s * geometry.OutputLength, geometry.OutputLength);
            for (int o = 0; o < geometry.Outer; o++)
            {
                sample.Slice(((o * geometry.Dim) + geometry.Begin) * geometry.Inner, geometry.Length * geometry.Inner)
                    .CopyTo(output.Slice(o * geometry.Length * geometry.Inner, geometry.Length * geometry.Inner));
            }
        }
    }

    /// <summary><c>dx (+)= dy</c> inside the slice, zero (or as it was) outside.</summary>
    public static void SliceBackward(ReadOnlySpan<float> dy, Span<float> dx, int n, SliceGeometry geometry, bool accumulate)
    {
        if (!accumulate)
        {
            dx[..(n * geometry.InputLength)].Clear();
        }

        for (int s = 0; s < n; s++)
        {
            var sample = dx.Slice(s * geometry.InputLength, geometry.InputLength);
            var gradient = dy.Slice(s * geometry.OutputLength, geometry.OutputLength);
            for (int o = 0; o < geometry.Outer; o++)
            {
                ElementwiseKernels.AddInPlace(
                    sample.Slice(((o * geometry.Dim) + geometry.Begin) * geometry.Inner, geometry.Length * geometry.Inner),
                    gradient.Slice(o * geometry.Length * geometry.Inner, geometry.Length * geometry.Inner));
            }
        }
    }

    /// <summary><c>y (+)= x</c> with each sample's axes permuted as <paramref name="geometry"/> says.</summary>
    public static void Transpose(ReadOnlySpan<float> x, Span<float> y, int n, TransposeGeometry geometry, bool accumulate)
    {
        int length = geometry.Length;
        for (int s = 0; s < n; s++)
        {
            var sample = x.Slice(s * length, length);
            var output = y.Slice(s * length, length);
            for (int e = 0; e < length; e++)
            {
                output[e] = accumulate ? output[e] + sample[geometry.Source(e)] : sample[geometry.Source(e)];
            }
        }
    }

    /// <summary><c>y[o, k] = scale · Σ_i x[o, i, k]</c> for each sample (MXNet <c>sum</c> and <c>mean</c> over one axis).</summary>
    public static void Reduce(ReadOnlySpan<float> x, Span<float> y, int n, ReduceGeometry geometry)
    {
        int outers = n * geometry.Outer;
        for (int o = 0; o < outers; o++)
        {
            var output = y.Slice(o * geometry.Inner, geometry.Inner);
            x.Slice(o * geometry.Dim * geometry.Inner, geometry.Inner).CopyTo(output);
            for (int i = 1; i < geometry.Dim; i++)
            {
                ElementwiseKernels.AddInPlace(output, x.Slice(((o * geometry.Dim) + i) * geometry.Inner, geometry.Inner));
            }

            SpanMath.ScaleInto(output, output, geometry.Scale);
        }
    }

    /// <summary><c>dx[o, i, k] (+)= scale · dy[o, k]</c>: the gradient spread over the reduced axis.</summary>
    public static void ReduceBackward(ReadOnlySpan<float> dy, Span<float> dx, int n, ReduceGeometry geometry, bool accumulate)
    {
        int outers = n * geometry.Outer;
        for (int o = 0; o < outers; o++)
        {
            var gradient = dy.Slice(o * geometry.Inner, geometry.Inner);
            for (int i = 0; i < geometry.Dim; i++)
            {
                var target = dx.Slice(((o * geometry.Dim) + i) * geometry.Inner, geometry.Inner);
                for (int k = 0; k < geometry.Inner; k++)
                {
                    float g = geometry.Scale * gradient[k];
                    target[k] = accumulate ? target[k] + g : g;
                }
            }
        }
    }
}

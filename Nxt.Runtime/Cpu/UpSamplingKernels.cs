using System;

namespace Nxt.Cpu;

/// <summary>MXNet <c>UpSampling</c> with nearest neighbours, plane by plane.</summary>
public static class UpSamplingKernels
{
    /// <summary>Each of the <paramref name="planes"/> (H,W) planes of <paramref name="x"/> grown to (H·scale, W·scale) in <paramref name="y"/>.</summary>
    public static void NearestForward(ReadOnlySpan<float> x, Span<float> y, int planes, int height, int width, int scale)
    {
        int outWidth = width * scale;
        for (int p = 0; p < planes; p++)
        {
            var plane = x.Slice(p * height * width, height * width);
            var grown = y.Slice(p * height * width * scale * scale, height * width * scale * scale);
            for (int h = 0; h < height; h++)
            {
                // One grown row, then its copies below it.
                var row = grown.Slice(h * scale * outWidth, outWidth);
                var source = plane.Slice(h * width, width);
                for (int w = 0; w < width; w++)
                {
                    row.Slice(w * scale, scale).Fill(source[w]);
                }

                for (int i = 1; i < scale; i++)
                {
                    row.CopyTo(grown.Slice(((h * scale) + i) * outWidth, outWidth));
                }
            }
        }
    }

    /// <summary>The input gradient: each pixel's <c>dx</c> (+)= the sum of <c>dy</c> over its block.</summary>
    public static void NearestBackward(ReadOnlySpan<float> dy, Span<float> dx, int planes, int height, int width, int scale, bool accumulate)
    {
        int outWidth = width * scale;
        for (int p = 0; p < planes; p++)
        {
            var plane = dx.Slice(p * height * width, height * width);
            var grown = dy.Slice(p * height * width * scale * scale, height * width * scale * scale);
            for (int h = 0; h < height; h++)
            {
                var row = plane.Slice(h * width, width);
                for (int w = 0; w < width; w++)
                {
                    float sum = 0f;
                    for (int i = 0; i < scale; i++)
                    {
                        sum += grown.Slice((((h * scale) + i) * outWidth) + (w * scale), scale).Sum();
                    }

                    row[w] = accumulate ? row[w] + sum : sum;
                }
            }
        }
    }
}

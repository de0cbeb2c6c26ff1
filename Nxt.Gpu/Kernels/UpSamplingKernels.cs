using ILGPU;
using ILGPU.Runtime;

namespace Nxt.Gpu;

/// <summary>MXNet <c>UpSampling</c> with nearest neighbours on the device (<see cref="Nxt.Cpu.UpSamplingKernels"/>).</summary>
public static class UpSamplingKernels
{
    /// <summary>Each (H,W) plane grown to (H·scale, W·scale): one thread per output pixel.</summary>
    public static void NearestForward(DeviceSpan x, DeviceSpan y, int planes, int height, int width, int scale)
        => Launcher.Run(y.Owner, ForwardKernel, planes * height * width * scale * scale, x.View, y.View, SpecializedValue.New(new PlaneShape(height, width, scale)));

    /// <summary>The input gradient: one thread per input pixel sums its block.</summary>
    public static void NearestBackward(DeviceSpan dy, DeviceSpan dx, int planes, int height, int width, int scale, bool accumulate)
        => Launcher.Run(dx.Owner, BackwardKernel, planes * height * width, dy.View, dx.View, SpecializedValue.New(new PlaneShape(height, width, scale)), SpecializedValue.New(accumulate ? 1 : 0));

    internal static void ForwardKernel(Index1D i, ArrayView<float> x, ArrayView<float> y, SpecializedValue<PlaneShape> shape)
    {
        var s = shape.Value;
        int outWidth = s.Width * s.Scale;
        int column = i % outWidth;
        int row = i / outWidth % (s.Height * s.Scale);
        int plane = i / (outWidth * s.Height * s.Scale);
        y[i] = x[(((plane * s.Height) + (row / s.Scale)) * s.Width) + (column / s.Scale)];
    }

    internal static void BackwardKernel(Index1D i, ArrayView<float> dy, ArrayView<float> dx, SpecializedValue<PlaneShape> shape, SpecializedValue<int> accumulate)
    {
        var s = shape.Value;
        int outWidth = s.Width * s.Scale;
        int w = i % s.Width;
        int h = i / s.Width % s.Height;
        int plane = i / (s.Width * s.Height);
        float sum = 0f;
        for (int r = 0; r < s.Scale; r++)
        {
            int start = (((plane * s.Height * s.Scale) + (h * s.Scale) + r) * outWidth) + (w * s.Scale);
            for (int c = 0; c < s.Scale; c++)
            {
                sum += dy[start + c];
            }
        }

        dx[i] = accumulate.Value != 0 ? dx[i] + sum : sum;
    }

    /// <summary>A plane's size and the scale, baked into the kernel.</summary>
    internal readonly record struct PlaneShape(int Height, int Width, int Scale);
}

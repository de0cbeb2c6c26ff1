using ILGPU;
using ILGPU.Runtime;

namespace Nxt.Gpu;

/// <summary>LeakyReLU's variants on the device (<see cref="Nxt.Cpu.LeakyReLUKernels"/>).</summary>
public static class LeakyReLUKernels
{
    /// <summary><c>y = x &gt; 0 ? x : slope·x</c>, or <c>slope·(exp(x) - 1)</c> for elu.</summary>
    public static void Forward(DeviceSpan x, DeviceSpan y, float slope, bool elu) => Pointwise.Run(elu ? Pointwise.Elu : Pointwise.Leaky, x, default, default, y, slope);

    /// <summary>The gradient of <see cref="Forward"/> from its input.</summary>
    public static void Backward(DeviceSpan x, DeviceSpan dy, DeviceSpan dx, float slope, bool elu, bool accumulate)
        => Pointwise.Run(elu ? Pointwise.EluGrad : Pointwise.LeakyGrad, x, dy, default, dx, slope, accumulate);

    /// <summary>GELU with the erf.</summary>
    public static void GeluForward(DeviceSpan x, DeviceSpan y) => Pointwise.Run(Pointwise.Gelu, x, default, default, y);

    /// <summary>GELU's gradient from its input.</summary>
    public static void GeluBackward(DeviceSpan x, DeviceSpan dy, DeviceSpan dx, bool accumulate) => Pointwise.Run(Pointwise.GeluGrad, x, dy, default, dx, 0f, accumulate);

    /// <summary>PReLU with a learned slope per channel (axis 1).</summary>
    public static void PReluForward(DeviceSpan x, DeviceSpan gamma, DeviceSpan y, int batch, int channels, int spatial)
        => Launcher.Run(y.Owner, PReluForwardKernel, batch * channels * spatial, x.View, gamma.View, y.View, SpecializedValue.New(channels), SpecializedValue.New(spatial));

    /// <summary>PReLU's input gradient and its slopes' gradient (one thread per channel sums over the batch).</summary>
    public static void PReluBackward(
        DeviceSpan x, DeviceSpan gamma, DeviceSpan dy, DeviceSpan dx, DeviceSpan dGamma,
        int batch, int channels, int spatial, bool inputGradient, bool accumulateInput, bool parameterGradients, bool accumulateParameters)
    {
        var device = dy.Owner;
        var shape = new ChannelShape(batch, channels, spatial);
        if (inputGradient)
        {
            Launcher.Run(device, PReluInputGradientKernel, batch * channels * spatial, x.View, gamma.View, dy.View, dx.View, SpecializedValue.New(shape), SpecializedValue.New(accumulateInput ? 1 : 0));
        }

        if (parameterGradients)
        {
            Launcher.Run(device, PReluSlopeGradientKernel, channels, x.View, dy.View, dGamma.View, SpecializedValue.New(shape), SpecializedValue.New(accumulateParameters ? 1 : 0));
        }
    }

    internal static void PReluForwardKernel(Index1D i, ArrayView<float> x, ArrayView<float> gamma, ArrayView<float> y, SpecializedValue<int> channels, SpecializedValue<int> spatial)
    {
        int c = (i / spatial.Value) % channels.Value;
        y[i] = x[i] > 0 ? x[i] : gamma[c] * x[i];
    }

    internal static void PReluInputGradientKernel(Index1D i, ArrayView<float> x, ArrayView<float> gamma, ArrayView<float> dy, ArrayView<float> dx, SpecializedValue<ChannelShape> shape, SpecializedValue<int> accumulate)
    {
        int c = (i / shape.Value.Spatial) % shape.Value.Channels;
        float g = x[i] > 0 ? dy[i] : gamma[c] * dy[i];
        dx[i] = accumulate.Value != 0 ? dx[i] + g : g;
    }

    internal static void PReluSlopeGradientKernel(Index1D c, ArrayView<float> x, ArrayView<float> dy, ArrayView<float> dGamma, SpecializedValue<ChannelShape> shape, SpecializedValue<int> accumulate)
    {
        var s = shape.Value;
        float sum = 0f;
        for (int n = 0; n < s.Batch; n++)
        {
            int offset = ((n * s.Channels) + c) * s.Spatial;
            for (int j = offset; j < offset + s.Spatial; j++)
            {
                if (x[j] <= 0)
                {
                    sum += dy[j] * x[j];
                }
            }
        }

        dGamma[c] = accumulate.Value != 0 ? dGamma[c] + sum : sum;
    }
}

using ILGPU;
using ILGPU.Runtime;
using Nxt.Kernels;

namespace Nxt.Gpu;

/// <summary>
/// MXNet <c>Deconvolution</c> on the device as the adjoint of a convolution, over the same
/// geometry as <see cref="Nxt.Cpu.DeconvolutionKernels"/>: the convolution's implicit GEMMs
/// with their roles exchanged. The CPU signature's workspace has no counterpart.
/// </summary>
public static class DeconvolutionKernels
{
    /// <summary><c>y = deconv(x, W) (+ b)</c>; an empty <paramref name="bias"/> means no bias.</summary>
    public static void Forward(DeviceSpan x, DeviceSpan weight, DeviceSpan bias, DeviceSpan y, int batch, in ConvGeometry g)
    {
        ConvolutionKernels.BackwardData(x, weight, y, batch, g, accumulate: false);
        if (!bias.IsEmpty)
        {
            var shape = new ChannelShape(batch, g.Channels, g.Height * g.Width);
            Launcher.Run(y.Owner, AddBiasKernel, batch * g.Channels * g.Height * g.Width, y.View, bias.View, SpecializedValue.New(shape));
        }
    }

    /// <summary>Input gradient: <c>dx (+)= conv(dy, W)</c>.</summary>
    public static void BackwardData(DeviceSpan dy, DeviceSpan weight, DeviceSpan dx, int batch, in ConvGeometry g, bool accumulate)
        => ConvolutionKernels.ForwardAdding(dy, weight, dx, batch, g, accumulate);

    /// <summary>Weight and bias gradients, each written or added as its flag says.</summary>
    public static void BackwardWeight(DeviceSpan x, DeviceSpan dy, DeviceSpan dWeight, DeviceSpan dBias, int batch, in ConvGeometry g, bool accumulateWeight, bool accumulateBias)
    {
        ConvolutionKernels.BackwardWeight(dy, x, dWeight, default, batch, g, accumulateWeight, accumulateBias: false);
        if (!dBias.IsEmpty)
        {
            var shape = new ChannelShape(batch, g.Channels, g.Height * g.Width);
            Launcher.Run(dBias.Owner, ConvolutionKernels.BiasGradientKernel, g.Channels, dy.View, dBias.View, SpecializedValue.New(shape), SpecializedValue.New(accumulateBias ? 1 : 0));
        }
    }

    internal static void AddBiasKernel(Index1D i, ArrayView<float> y, ArrayView<float> bias, SpecializedValue<ChannelShape> shape)
        => y[i] += bias[(i / shape.Value.Spatial) % shape.Value.Channels];
}

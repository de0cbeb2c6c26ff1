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
        => Forward(x, weight, bias, default, y, batch, g, Epilogue.None);

    /// <summary>The fused form: <c>y = act(deconv(x, W) + b + residual)</c>, one pass after the products.</summary>
    public static void Forward(DeviceSpan x, DeviceSpan weight, DeviceSpan bias, DeviceSpan residual, DeviceSpan y, int batch, in ConvGeometry g, Epilogue epilogue)
    {
        ConvolutionKernels.BackwardData(x, weight, y, batch, g, accumulate: false);
        if (!bias.IsEmpty || !residual.IsEmpty || epilogue.Code != 0)
        {
            var shape = new ChannelShape(batch, g.Channels, g.Height * g.Width);
            var flags = new EpilogueFlags(bias.IsEmpty ? 0 : 1, residual.IsEmpty ? 0 : 1, epilogue.Code, epilogue.Slope);
            Launcher.Run(y.Owner, EpilogueKernel, batch * g.Channels * g.Height * g.Width, y.View, bias.View, residual.View, SpecializedValue.New(shape), SpecializedValue.New(flags));
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
            ChannelSums.Run(dy, dBias, new ChannelShape(batch, g.Channels, g.Height * g.Width), accumulateBias);
        }
    }

    internal static void EpilogueKernel(Index1D i, ArrayView<float> y, ArrayView<float> bias, ArrayView<float> residual, SpecializedValue<ChannelShape> shape, SpecializedValue<EpilogueFlags> flags)
    {
        var f = flags.Value;
        float v = y[i];
        if (f.HasBias == 1)
        {
            v += bias[(i / shape.Value.Spatial) % shape.Value.Channels];
        }

        if (f.HasResidual == 1)
        {
            v += residual[i];
        }

        y[i] = Epilogue.Apply(f.Activation, v, f.Slope);
    }

    /// <summary>What the pass after the products adds and applies, one kernel argument.</summary>
    internal readonly record struct EpilogueFlags(int HasBias, int HasResidual, int Activation, float Slope);
}

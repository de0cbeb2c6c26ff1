using System;

using Nxt.Kernels;

namespace Nxt.Cpu;

/// <summary>
/// MXNet <c>Deconvolution</c> as the adjoint of a convolution: the geometry <c>g</c> in every call
/// is the geometry of the convolution that maps the deconvolution's output (its
/// <c>Channels</c>, <c>Height</c>, <c>Width</c>) to its input (<c>Filters</c>,
/// <c>OutHeight</c>, <c>OutWidth</c>), with the same weight <c>(C, F/G, KH, KW)</c>. So the
/// forward pass is that convolution's input gradient, the input gradient its forward pass and
/// the weight gradient its weight gradient with the roles of image and gradient swapped;
/// the three share <see cref="ConvolutionKernels"/>' im2col GEMMs and workspace.
/// </summary>
public static class DeconvolutionKernels
{
    /// <summary><c>y = deconv(x, W) (+ b)</c>; an empty <paramref name="bias"/> means no bias.</summary>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y, Span<float> workspace, int batch, in ConvGeometry g)
        => Forward(x, weight, bias, default, y, workspace, batch, g, Epilogue.None);

    /// <summary>
    /// The fused form: <c>y = act(deconv(x, W) + b + residual)</c>, the bias, residual and
    /// activation applied in one pass over each output plane.
    /// </summary>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, ReadOnlySpan<float> residual, Span<float> y, Span<float> workspace, int batch, in ConvGeometry g, Epilogue epilogue)
    {
        ConvolutionKernels.BackwardData(x, weight, y, workspace, batch, g, accumulate: false);
        if (bias.IsEmpty && residual.IsEmpty && epilogue.Activation == EpilogueActivation.None)
        {
            return;
        }

        int pixels = g.Height * g.Width;
        for (int n = 0; n < batch; n++)
        {
            for (int f = 0; f < g.Channels; f++)
            {
                int plane = ((n * g.Channels) + f) * pixels;
                epilogue.Apply(y.Slice(plane, pixels), bias.IsEmpty ? 0f : bias[f], residual.IsEmpty ? default : residual.Slice(plane, pixels));
            }
        }
    }

    /// <summary>Input gradient: <c>dx (+)= conv(dy, W)</c>.</summary>
    public static void BackwardData(ReadOnlySpan<float> dy, ReadOnlySpan<float> weight, Span<float> dx, Span<float> workspace, int batch, in ConvGeometry g, bool accumulate)
        => ConvolutionKernels.ForwardAdding(dy, weight, dx, workspace, batch, g, accumulate);

    /// <summary>
    /// Weight and bias gradients, each written or added as its flag says: <c>dW (+)= Σ x · im2col(dy)ᵀ</c>
    /// (the convolution's weight gradient with <paramref name="dy"/> as its image and
    /// <paramref name="x"/> as its output gradient), <c>db (+)= Σ dy</c> per output channel.
    /// </summary>
    public static void BackwardWeight(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dWeight, Span<float> dBias, Span<float> workspace, int batch, in ConvGeometry g, bool accumulateWeight, bool accumulateBias)
    {
        ConvolutionKernels.BackwardWeight(dy, x, dWeight, default, workspace, batch, g, accumulateWeight, accumulateBias: false);
        if (dBias.IsEmpty)
        {
            return;
        }

        int pixels = g.Height * g.Width;
        for (int f = 0; f < g.Channels; f++)
        {
            float sum = 0f;
            for (int n = 0; n < batch; n++)
            {
                sum += dy.Slice(((n * g.Channels) + f) * pixels, pixels).Sum();
            }

            dBias[f] = accumulateBias ? dBias[f] + sum : sum;
        }
    }
}

using ILGPU;
using ILGPU.Runtime;
using Nxt.Cpu;
using Nxt.Kernels;

namespace Nxt.Gpu;

/// <summary>
/// MXNet <c>Convolution</c> on the device as implicit GEMMs, one per group
/// (<c>ConvolutionOperands.cs</c>), with the fused epilogue in the forward one
/// (<see cref="Nxt.Cpu.ConvolutionKernels"/>). The CPU signature's workspace has no counterpart: the generated plan leaves that CPU-only argument out.
/// </summary>
public static class ConvolutionKernels
{
    /// <summary><c>y = W ⋆ x + b</c>.</summary>
    public static void Forward(DeviceSpan x, DeviceSpan weight, DeviceSpan bias, DeviceSpan y, int batch, in ConvGeometry g)
        => Forward(x, weight, bias, default, y, batch, g, Epilogue.None);

    /// <summary><c>y = act(W ⋆ x + b + residual)</c>, one kernel per group.</summary>
    public static void Forward(DeviceSpan x, DeviceSpan weight, DeviceSpan bias, DeviceSpan residual, DeviceSpan y, int batch, in ConvGeometry g, Epilogue epilogue)
    {
        int patch = g.PatchLength, filters = g.FiltersPerGroup;
        var shape = new GemmShape(filters, batch * g.OutPixels, patch, HasBias: bias.IsEmpty ? 0 : 1, HasResidual: residual.IsEmpty ? 0 : 1, Activation: epilogue.Code);
        for (int group = 0; group < g.Groups; group++)
        {
            Gemm.Run(weight, new RowMajor(patch, group * filters * patch), x, new Im2Col(g, group), y, new ConvOutput(g, group), bias, residual, shape, epilogue.Slope);
        }
    }

    /// <summary><c>y = W ⋆ x + b</c>, and a generated <paramref name="epilogue"/> on each element of <c>y</c> as the GEMM stores it: one kernel per group.</summary>
    public static void Forward<TEpilogue>(DeviceSpan x, DeviceSpan weight, DeviceSpan bias, DeviceSpan y, int batch, in ConvGeometry g, TEpilogue epilogue)
        where TEpilogue : struct, IGemmEpilogue
    {
        int patch = g.PatchLength, filters = g.FiltersPerGroup;
        var shape = new GemmShape(filters, batch * g.OutPixels, patch, HasBias: bias.IsEmpty ? 0 : 1);
        for (int group = 0; group < g.Groups; group++)
        {
            Gemm.Run(weight, new RowMajor(patch, group * filters * patch), x, new Im2Col(g, group), y, new ConvOutput(g, group), bias, default, shape, epilogue);
        }
    }

    /// <summary><c>y (+)= W ⋆ x</c> without bias or epilogue: a deconvolution's input gradient.</summary>
    internal static void ForwardAdding(DeviceSpan x, DeviceSpan weight, DeviceSpan y, int batch, in ConvGeometry g, bool accumulate)
    {
        int patch = g.PatchLength, filters = g.FiltersPerGroup;
        var shape = new GemmShape(filters, batch * g.OutPixels, patch, Accumulate: accumulate ? 1 : 0);
        for (int group = 0; group < g.Groups; group++)
        {
            Gemm.Run(weight, new RowMajor(patch, group * filters * patch), x, new Im2Col(g, group), y, new ConvOutput(g, group), default, default, shape);
        }
    }

    /// <summary><c>dx (+)= Wᵀ ⋆ dy</c>, gathered per input pixel (no col2im, no atomics).</summary>
    public static void BackwardData(DeviceSpan dy, DeviceSpan weight, DeviceSpan dx, int batch, in ConvGeometry g, bool accumulate)
    {
        var shape = new GemmShape(g.ChannelsPerGroup, batch * g.Height * g.Width, g.FiltersPerGroup * g.KernelH * g.KernelW, Accumulate: accumulate ? 1 : 0);
        for (int group = 0; group < g.Groups; group++)
        {
            Gemm.Run(weight, new WeightColumns(g, group), dy, new OutputGradientGather(g, group), dx, new ConvInputGradient(g, group), default, default, shape);
        }
    }

    /// <summary><c>dW (+)= dy · im2col(x)ᵀ</c> and <c>db (+)= Σ dy</c> per filter.</summary>
    public static void BackwardWeight(DeviceSpan x, DeviceSpan dy, DeviceSpan dWeight, DeviceSpan dBias, int batch, in ConvGeometry g, bool accumulateWeight, bool accumulateBias)
    {
        int patch = g.PatchLength, filters = g.FiltersPerGroup;
        var shape = new GemmShape(filters, patch, batch * g.OutPixels, Accumulate: accumulateWeight ? 1 : 0);
        for (int group = 0; group < g.Groups; group++)
        {
            Gemm.Run(dy, new OutputGradientRows(g, group), x, new PatchRows(g, group), dWeight, new RowMajorOutput(patch, group * filters * patch), default, default, shape);
        }

        if (!dBias.IsEmpty)
        {
            ChannelSums.Run(dy, dBias, new ChannelShape(batch, g.Filters, g.OutPixels), accumulateBias);
        }
    }
}

using ILGPU;
using ILGPU.Runtime;

namespace Nxt.Gpu;

/// <summary>Concat as strided block copies, one thread per element of the part (<see cref="Nxt.Cpu.ConcatKernels"/>).</summary>
public static class ConcatKernels
{
    /// <summary>Copies one input into its place in the output.</summary>
    public static void ForwardPart(DeviceSpan x, DeviceSpan y, int batch, int outer, int inner, int offset, int outputInner)
        => Launcher.Run(y.Owner, PartKernel, batch * outer * inner, x.View, y.View, SpecializedValue.New(new ConcatPart(inner, offset, outputInner)), SpecializedValue.New(0), SpecializedValue.New(0));

    /// <summary>Takes one input's share of the output gradient: <c>dx (+)= dy[part]</c>.</summary>
    public static void BackwardPart(DeviceSpan dy, DeviceSpan dx, int batch, int outer, int inner, int offset, int outputInner, bool accumulate)
        => Launcher.Run(dx.Owner, PartKernel, batch * outer * inner, dy.View, dx.View, SpecializedValue.New(new ConcatPart(inner, offset, outputInner)), SpecializedValue.New(1), SpecializedValue.New(accumulate ? 1 : 0));

    /// <summary>Element <paramref name="i"/> of a part: forward copies part → whole, backward whole → part.</summary>
    internal static void PartKernel(Index1D i, ArrayView<float> source, ArrayView<float> target, SpecializedValue<ConcatPart> part, SpecializedValue<int> backward, SpecializedValue<int> accumulate)
    {
        var p = part.Value;
        int block = i / p.Inner;
        int whole = (block * p.OutputInner) + p.Offset + (i - (block * p.Inner));
        if (backward.Value == 0)
        {
            target[whole] = source[i];
        }
        else
        {
            target[i] = accumulate.Value != 0 ? target[i] + source[whole] : source[whole];
        }
    }
}

/// <summary>Where one input of a concat sits in each block of the output.</summary>
public readonly record struct ConcatPart(int Inner, int Offset, int OutputInner);

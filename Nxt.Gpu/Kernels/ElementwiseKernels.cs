using ILGPU;
using ILGPU.Runtime;

namespace Nxt.Gpu;

/// <summary>Copies and sums on the device (<see cref="Nxt.Cpu.ElementwiseKernels"/>).</summary>
public static class ElementwiseKernels
{
    /// <summary><c>y (+)= x</c>.</summary>
    public static void CopyOrAdd(DeviceSpan x, DeviceSpan y, bool accumulate) => Pointwise.Run(Pointwise.Copy, x, default, default, y, 0f, accumulate);

    /// <summary><c>y[r] = row</c> for each of the <paramref name="rows"/> rows: a free variable broadcast over the batch.</summary>
    public static void BroadcastRows(DeviceSpan row, DeviceSpan y, int rows)
        => Launcher.Run(y.Owner, BroadcastRowsKernel, rows * row.Length, row.View, y.View, SpecializedValue.New(row.Length));

    internal static void BroadcastRowsKernel(Index1D i, ArrayView<float> row, ArrayView<float> y, SpecializedValue<int> length)
        => y[i] = row[i % length.Value];
}

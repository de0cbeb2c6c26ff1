using ILGPU;
using ILGPU.Runtime;

namespace Nxt.Gpu;

/// <summary>MXNet <c>batch_dot</c> on the device (<see cref="Nxt.Cpu.BatchDotKernels"/>): one thread per element of each product.</summary>
public static class BatchDotKernels
{
    /// <summary><c>c_i (rows × columns) (+)= op(a_i) · op(b_i)</c> over <paramref name="inner"/>.</summary>
    public static void Product(DeviceSpan a, bool transposeA, DeviceSpan b, bool transposeB, DeviceSpan c, int batches, int rows, int columns, int inner, bool accumulate)
        => Launcher.Run(c.Owner, ProductKernel, batches * rows * columns, a.View, b.View, c.View, SpecializedValue.New(new Sizes(rows, columns, inner, transposeA ? 1 : 0, transposeB ? 1 : 0, accumulate ? 1 : 0)));

    internal static void ProductKernel(Index1D e, ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, SpecializedValue<Sizes> sizes)
    {
        var p = sizes.Value;
        int column = e % p.Columns, row = e / p.Columns % p.Rows, batch = e / (p.Rows * p.Columns);
        int aStart = batch * p.Rows * p.Inner, bStart = batch * p.Inner * p.Columns;
        float sum = 0f;
        for (int i = 0; i < p.Inner; i++)
        {
            float left = a[aStart + (p.TransposeA == 1 ? (i * p.Rows) + row : (row * p.Inner) + i)];
            float right = b[bStart + (p.TransposeB == 1 ? (column * p.Inner) + i : (i * p.Columns) + column)];
            sum += left * right;
        }

        c[e] = p.Accumulate == 1 ? c[e] + sum : sum;
    }

    /// <summary>One batched product's sizes and flags, one kernel argument.</summary>
    internal readonly record struct Sizes(int Rows, int Columns, int Inner, int TransposeA, int TransposeB, int Accumulate);
}

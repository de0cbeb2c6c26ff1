using System;
using System.Numerics;

namespace Nxt.Cpu;

/// <summary>
/// MXNet <c>FullyConnected</c> on row-major batches: <c>y (rows×units) = x (rows×inputs) · Wᵀ + b</c>,
/// with <c>W</c> stored <c>(units, inputs)</c> as in MXNet. Called by generated plans.
/// </summary>
public static class DenseKernels
{
    /// <summary><c>y = x · Wᵀ (+ b)</c>. An empty <paramref name="bias"/> means no bias.</summary>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y, int rows, int inputs, int units)
        => Forward(x, weight, bias, default, y, rows, inputs, units, Epilogue.None);

    /// <summary>
    /// The fused form: <c>y = act(x · Wᵀ + b + residual)</c>, the epilogue applied row by row
    /// while each row is still in cache. Empty <paramref name="bias"/> or
    /// <paramref name="residual"/> add nothing.
    /// </summary>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, ReadOnlySpan<float> residual, Span<float> y, int rows, int inputs, int units, Epilogue epilogue)
    {
        Gemm.Multiply(x, false, weight, true, y, rows, units, inputs);
        epilogue.ApplyRows(y, bias, residual, rows, units);
    }

    /// <summary>
    /// <c>y = x · Wᵀ (+ b)</c>, then a generated <paramref name="epilogue"/> over blocks of whole
    /// rows of about 8 KB, each as soon as its bias is added, so the region after the layer reads
    /// <c>y</c> from cache.
    /// </summary>
    public static void Forward<TEpilogue>(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y, int rows, int inputs, int units, TEpilogue epilogue)
        where TEpilogue : IRowEpilogue, allows ref struct
    {
        const int BlockFloats = 2048;
        Gemm.Multiply(x, false, weight, true, y, rows, units, inputs);
        int blockRows = Math.Max(1, BlockFloats / Math.Max(1, units));
        for (int start = 0; start < rows; start += blockRows)
        {
            int count = Math.Min(blockRows, rows - start);
            var block = y.Slice(start * units, count * units);
            Epilogue.None.ApplyRows(block, bias, default, count, units);
            epilogue.Apply(block, start * units);
        }
    }

    /// <summary>
    /// <see cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int, Epilogue)"/>
    /// with <c>Wᵀ</c> already packed by <see cref="PackForward"/>: for a weight used many times in a row.
    /// </summary>
    public static void ForwardPacked(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> packedWeight, ReadOnlySpan<float> bias, ReadOnlySpan<float> residual, Span<float> y, int rows, int inputs, int units)
    {
        Gemm.MultiplyPacked(x, weight, true, packedWeight, y, rows, units, inputs);
        Epilogue.None.ApplyRows(y, bias, residual, rows, units);
    }

    /// <summary>Packs <c>Wᵀ</c> for <see cref="ForwardPacked"/> into <paramref name="packed"/> (<see cref="Gemm.PackedLength"/> of units and inputs).</summary>
    public static void PackForward(ReadOnlySpan<float> weight, Span<float> packed, int inputs, int units) => Gemm.Pack(weight, true, packed, units, inputs);

    /// <summary><see cref="BackwardData"/> with <c>W</c> already packed by <see cref="PackBackwardData"/>.</summary>
    public static void BackwardDataPacked(ReadOnlySpan<float> dy, ReadOnlySpan<float> weight, ReadOnlySpan<float> packedWeight, Span<float> dx, int rows, int inputs, int units, bool accumulate)
        => Gemm.MultiplyPacked(dy, weight, false, packedWeight, dx, rows, inputs, units, accumulate);

    /// <summary>Packs <c>W</c> for <see cref="BackwardDataPacked"/> into <paramref name="packed"/> (<see cref="Gemm.PackedLength"/> of inputs and units).</summary>
    public static void PackBackwardData(ReadOnlySpan<float> weight, Span<float> packed, int inputs, int units) => Gemm.Pack(weight, false, packed, inputs, units);

    /// <summary>Input gradient: <c>dx (+)= dy · W</c>.</summary>
    public static void BackwardData(ReadOnlySpan<float> dy, ReadOnlySpan<float> weight, Span<float> dx, int rows, int inputs, int units, bool accumulate)
        => Gemm.Multiply(dy, false, weight, false, dx, rows, inputs, units, accumulate);

    /// <summary>Weight gradient: <c>dW (+)= dyᵀ · x</c>.</summary>
    public static void BackwardWeight(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, Span<float> dWeight, int rows, int inputs, int units, bool accumulate)
        => Gemm.Multiply(dy, true, x, false, dWeight, units, inputs, rows, accumulate);

    /// <summary>Bias gradient: <c>db (+)= Σ_rows dy</c>.</summary>
    public static void BackwardBias(ReadOnlySpan<float> dy, Span<float> dBias, int rows, int units, bool accumulate)
    {
        Span<float> db = dBias[..units];
        if (!accumulate)
        {
            db.Clear();
        }

        for (int r = 0; r < rows; r++)
        {
            ElementwiseKernels.AddInPlace(db, dy.Slice(r * units, units));
        }
    }
}

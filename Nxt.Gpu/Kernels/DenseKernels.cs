using ILGPU;
using ILGPU.Runtime;

namespace Nxt.Gpu;

/// <summary>
/// FullyConnected on the device (<see cref="Nxt.Cpu.DenseKernels"/>): <c>y = act(x·Wᵀ + b + residual)</c>
/// for x <c>(rows, inputs)</c> and W <c>(units, inputs)</c>, and its gradients, as one GEMM each.
/// </summary>
public static class DenseKernels
{
    /// <summary><c>y = x·Wᵀ + b</c>.</summary>
    public static void Forward(DeviceSpan x, DeviceSpan weight, DeviceSpan bias, DeviceSpan y, int rows, int inputs, int units)
        => Forward(x, weight, bias, default, y, rows, inputs, units, Epilogue.None);

    /// <summary><c>y = act(x·Wᵀ + b + residual)</c>, one kernel.</summary>
    public static void Forward(DeviceSpan x, DeviceSpan weight, DeviceSpan bias, DeviceSpan residual, DeviceSpan y, int rows, int inputs, int units, Epilogue epilogue)
        => Gemm.Run(
            x, new RowMajor(inputs), weight, new Transposed(inputs), y, new RowMajorOutput(units), bias, residual,
            new GemmShape(rows, units, inputs, HasBias: bias.IsEmpty ? 0 : 1, HasResidual: residual.IsEmpty ? 0 : 1, Activation: epilogue.Code),
            epilogue.Slope);

    /// <summary><c>y = x·Wᵀ + b</c>, and a generated <paramref name="epilogue"/> on each element of <c>y</c> as the GEMM stores it: one kernel.</summary>
    public static void Forward<TEpilogue>(DeviceSpan x, DeviceSpan weight, DeviceSpan bias, DeviceSpan y, int rows, int inputs, int units, TEpilogue epilogue)
        where TEpilogue : struct, IGemmEpilogue
        => Gemm.Run(
            x, new RowMajor(inputs), weight, new Transposed(inputs), y, new RowMajorOutput(units), bias, default,
            new GemmShape(rows, units, inputs, HasBias: bias.IsEmpty ? 0 : 1), epilogue);

    /// <summary><c>dx (+)= dy·W</c>.</summary>
    public static void BackwardData(DeviceSpan dy, DeviceSpan weight, DeviceSpan dx, int rows, int inputs, int units, bool accumulate)
        => Gemm.Run(dy, new RowMajor(units), weight, new RowMajor(inputs), dx, new RowMajorOutput(inputs), default, default, new GemmShape(rows, inputs, units, Accumulate: accumulate ? 1 : 0));

    /// <summary><c>dW (+)= dyᵀ·x</c>.</summary>
    public static void BackwardWeight(DeviceSpan dy, DeviceSpan x, DeviceSpan dWeight, int rows, int inputs, int units, bool accumulate)
        => Gemm.Run(dy, new Transposed(units), x, new RowMajor(inputs), dWeight, new RowMajorOutput(inputs), default, default, new GemmShape(units, inputs, rows, Accumulate: accumulate ? 1 : 0));

    /// <summary><c>db (+)= Σ_rows dy</c>, one thread per unit.</summary>
    public static void BackwardBias(DeviceSpan dy, DeviceSpan dBias, int rows, int units, bool accumulate)
        => Launcher.Run(dBias.Owner, ColumnSumKernel, units, dy.View, dBias.View, SpecializedValue.New(rows), SpecializedValue.New(units), SpecializedValue.New(accumulate ? 1 : 0));

    internal static void ColumnSumKernel(Index1D column, ArrayView<float> dy, ArrayView<float> sums, SpecializedValue<int> rows, SpecializedValue<int> columns, SpecializedValue<int> accumulate)
    {
        float sum = 0f;
        for (int r = 0; r < rows.Value; r++)
        {
            sum += dy[(r * columns.Value) + column];
        }

        sums[column] = accumulate.Value != 0 ? sums[column] + sum : sum;
    }
}

using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;
using Nxt.Kernels;

namespace Nxt.Gpu;

/// <summary>
/// MXNet's fused <c>RNN</c> on the device (<see cref="Nxt.Cpu.RnnKernels"/>): the same GEMMs
/// through <see cref="DenseKernels"/>, the same scratch layout and regions, one kernel per cell step.
/// </summary>
public static class RnnKernels
{
    /// <summary><c>y (N, T, H)</c>: the hidden state of every step, from <c>x (N, T, C)</c>, zero initial states.</summary>
    public static void Forward(DeviceSpan x, DeviceSpan i2hWeight, DeviceSpan h2hWeight, DeviceSpan i2hBias, DeviceSpan h2hBias, DeviceSpan y, DeviceSpan scratch, int n, int steps, int inputs, int hidden, RnnCell cell)
    {
        var at = new RnnScratchLayout(n, steps, inputs, hidden, cell.Gates());
        var s = new Regions(scratch, at);
        SwapBatchAndTime(x, s.InputsByTime, n, steps, inputs, accumulate: false);
        DenseKernels.Forward(s.InputsByTime, i2hWeight, i2hBias, s.Projections, at.Rows, inputs, at.GateWidth);
        Clear(s.Zeros);
        for (int t = 0; t < steps; t++)
        {
            var hPrevious = t == 0 ? s.Zeros : s.Hidden(t - 1);
            DenseKernels.Forward(hPrevious, h2hWeight, h2hBias, cell == RnnCell.Gru ? default : s.Projection(t), s.Gates(t), n, hidden, at.GateWidth, Epilogue.None);
            switch (cell)
            {
                case RnnCell.Lstm:
                    Launcher.Run(y.Owner, LstmCellKernel, n * hidden, s.Gates(t).View, (t == 0 ? s.Zeros : s.Cells(t - 1)).View, s.Cells(t).View, s.Hidden(t).View, hidden);
                    break;
                case RnnCell.Gru:
                    Launcher.Run(y.Owner, GruCellKernel, n * hidden, s.Gates(t).View, s.Projection(t).View, hPrevious.View, s.Hidden(t).View, hidden);
                    break;
                default:
                    Launcher.Run(y.Owner, PlainCellKernel, n * hidden, s.Gates(t).View, s.Hidden(t).View, SpecializedValue.New(cell == RnnCell.Relu ? 1 : 0));
                    break;
            }
        }

        SwapBatchAndTime(s.HiddenByTime, y, steps, n, hidden, accumulate: false);
    }

    /// <summary>Back through time, as <see cref="Nxt.Cpu.RnnKernels.Backward"/>.</summary>
    public static void Backward(
        DeviceSpan i2hWeight, DeviceSpan h2hWeight, DeviceSpan dy, DeviceSpan dx,
        DeviceSpan i2hWeightGrad, DeviceSpan h2hWeightGrad, DeviceSpan i2hBiasGrad, DeviceSpan h2hBiasGrad,
        DeviceSpan scratch, int n, int steps, int inputs, int hidden, RnnCell cell,
        bool wantX, bool accumulateX, bool wantI2hWeight, bool accumulateI2hWeight, bool wantH2hWeight, bool accumulateH2hWeight,
        bool wantI2hBias, bool accumulateI2hBias, bool wantH2hBias, bool accumulateH2hBias)
    {
        var at = new RnnScratchLayout(n, steps, inputs, hidden, cell.Gates());
        var s = new Regions(scratch, at);
        Clear(s.HiddenGradient);
        Clear(s.CellGradient);
        for (int t = steps - 1; t >= 0; t--)
        {
            Launcher.Run(dy.Owner, AddStepKernel, n * hidden, dy.View, s.HiddenGradient.View, t, steps, hidden);
            switch (cell)
            {
                case RnnCell.Lstm:
                    Launcher.Run(dy.Owner, LstmCellBackwardKernel, n * hidden, s.Gates(t).View, (t == 0 ? s.Zeros : s.Cells(t - 1)).View, s.Cells(t).View, s.HiddenGradient.View, s.CellGradient.View, s.GateGradients(t).View, hidden);
                    break;
                case RnnCell.Gru:
                    Launcher.Run(dy.Owner, GruCellBackwardKernel, n * hidden, s.Gates(t).View, s.Projection(t).View, (t == 0 ? s.Zeros : s.Hidden(t - 1)).View, s.HiddenGradient.View, s.GateGradients(t).View, hidden);
                    break;
                default:
                    Launcher.Run(dy.Owner, PlainCellBackwardKernel, n * hidden, s.Hidden(t).View, s.HiddenGradient.View, s.GateGradients(t).View, SpecializedValue.New(cell == RnnCell.Relu ? 1 : 0));
                    break;
            }

            DenseKernels.BackwardData(s.RecurrentGradients(t, cell), h2hWeight, s.HiddenGradient, n, hidden, at.GateWidth, accumulate: cell == RnnCell.Gru);
        }

        if (wantH2hWeight && steps > 1)
        {
            DenseKernels.BackwardWeight(s.RecurrentGradientsFrom(1, cell), s.HiddenByTime.Slice(0, (steps - 1) * n * hidden), h2hWeightGrad, (steps - 1) * n, hidden, at.GateWidth, accumulateH2hWeight);
        }
        else if (wantH2hWeight && !accumulateH2hWeight)
        {
            Clear(h2hWeightGrad.Slice(0, at.GateWidth * hidden));
        }

        if (wantI2hWeight)
        {
            DenseKernels.BackwardWeight(s.GateGradientsFrom(0), s.InputsByTime, i2hWeightGrad, at.Rows, inputs, at.GateWidth, accumulateI2hWeight);
        }

        if (wantI2hBias)
        {
            DenseKernels.BackwardBias(s.GateGradientsFrom(0), i2hBiasGrad, at.Rows, at.GateWidth, accumulateI2hBias);
        }

        if (wantH2hBias)
        {
            DenseKernels.BackwardBias(s.RecurrentGradientsFrom(0, cell), h2hBiasGrad, at.Rows, at.GateWidth, accumulateH2hBias);
        }

        if (wantX)
        {
            DenseKernels.BackwardData(s.GateGradientsFrom(0), i2hWeight, s.InputGradientsByTime, at.Rows, inputs, at.GateWidth, accumulate: false);
            SwapBatchAndTime(s.InputGradientsByTime, dx, steps, n, inputs, accumulateX);
        }
    }

    private static void SwapBatchAndTime(DeviceSpan x, DeviceSpan y, int a, int b, int k, bool accumulate)
        => Launcher.Run(y.Owner, SwapKernel, a * b * k, x.View, y.View, new SwapShape(a, b, k), SpecializedValue.New(accumulate ? 1 : 0));

    private static void Clear(DeviceSpan values) => Launcher.Run(values.Owner, ClearKernel, values.Length, values.View);

    internal static void ClearKernel(Index1D i, ArrayView<float> values) => values[i] = 0f;

    // y[j, i, :] (+)= x[i, j, :] for x (A, B, K): one thread per element of x.
    internal static void SwapKernel(Index1D e, ArrayView<float> x, ArrayView<float> y, SwapShape shape, SpecializedValue<int> accumulate)
    {
        int k = e % shape.K, row = e / shape.K, i = row / shape.B, j = row % shape.B;
        int target = (((j * shape.A) + i) * shape.K) + k;
        y[target] = accumulate.Value == 1 ? y[target] + x[e] : x[e];
    }

    internal static void AddStepKernel(Index1D e, ArrayView<float> dy, ArrayView<float> h, int t, int steps, int hidden)
    {
        int r = e / hidden, j = e % hidden;
        h[e] += dy[(((r * steps) + t) * hidden) + j];
    }

    internal static void LstmCellKernel(Index1D e, ArrayView<float> gates, ArrayView<float> cPrevious, ArrayView<float> c, ArrayView<float> h, int hidden)
    {
        int r = e / hidden, j = e % hidden, row = r * 4 * hidden;
        float i = Sigmoid(gates[row + j]), f = Sigmoid(gates[row + hidden + j]), g = XMath.Tanh(gates[row + (2 * hidden) + j]), o = Sigmoid(gates[row + (3 * hidden) + j]);
        gates[row + j] = i;
        gates[row + hidden + j] = f;
        gates[row + (2 * hidden) + j] = g;
        gates[row + (3 * hidden) + j] = o;
        c[e] = (f * cPrevious[e]) + (i * g);
        h[e] = o * XMath.Tanh(c[e]);
    }

    internal static void LstmCellBackwardKernel(Index1D e, ArrayView<float> gates, ArrayView<float> cPrevious, ArrayView<float> c, ArrayView<float> dh, ArrayView<float> dc, ArrayView<float> dGates, int hidden)
    {
        int r = e / hidden, j = e % hidden, row = r * 4 * hidden;
        float i = gates[row + j], f = gates[row + hidden + j], g = gates[row + (2 * hidden) + j], o = gates[row + (3 * hidden) + j];
        float tanhC = XMath.Tanh(c[e]);
        float dCell = dc[e] + (dh[e] * o * (1f - (tanhC * tanhC)));
        dGates[row + j] = dCell * g * i * (1f - i);
        dGates[row + hidden + j] = dCell * cPrevious[e] * f * (1f - f);
        dGates[row + (2 * hidden) + j] = dCell * i * (1f - (g * g));
        dGates[row + (3 * hidden) + j] = dh[e] * tanhC * o * (1f - o);
        dc[e] = dCell * f;
    }

    internal static void GruCellKernel(Index1D e, ArrayView<float> gates, ArrayView<float> projection, ArrayView<float> hPrevious, ArrayView<float> h, int hidden)
    {
        int r = e / hidden, j = e % hidden, row = r * 3 * hidden;
        float reset = Sigmoid(projection[row + j] + gates[row + j]), update = Sigmoid(projection[row + hidden + j] + gates[row + hidden + j]);
        float recurrent = gates[row + (2 * hidden) + j];
        float candidate = XMath.Tanh(projection[row + (2 * hidden) + j] + (reset * recurrent));
        gates[row + j] = reset;
        gates[row + hidden + j] = update;
        gates[row + (2 * hidden) + j] = candidate;
        projection[row + (2 * hidden) + j] = recurrent;
        h[e] = ((1f - update) * candidate) + (update * hPrevious[e]);
    }

    internal static void GruCellBackwardKernel(Index1D e, ArrayView<float> gates, ArrayView<float> projection, ArrayView<float> hPrevious, ArrayView<float> dh, ArrayView<float> dGates, int hidden)
    {
        int r = e / hidden, j = e % hidden, row = r * 3 * hidden;
        float reset = gates[row + j], update = gates[row + hidden + j], candidate = gates[row + (2 * hidden) + j], recurrent = projection[row + (2 * hidden) + j];
        float dCandidate = dh[e] * (1f - update) * (1f - (candidate * candidate));
        float dReset = dCandidate * recurrent * reset * (1f - reset);
        float dUpdate = dh[e] * (hPrevious[e] - candidate) * update * (1f - update);
        dGates[row + j] = dReset;
        projection[row + j] = dReset;
        dGates[row + hidden + j] = dUpdate;
        projection[row + hidden + j] = dUpdate;
        dGates[row + (2 * hidden) + j] = dCandidate;
        projection[row + (2 * hidden) + j] = dCandidate * reset;
        dh[e] *= update;
    }

    internal static void PlainCellKernel(Index1D e, ArrayView<float> gates, ArrayView<float> h, SpecializedValue<int> relu)
        => h[e] = relu.Value == 1 ? XMath.Max(gates[e], 0f) : XMath.Tanh(gates[e]);

    internal static void PlainCellBackwardKernel(Index1D e, ArrayView<float> h, ArrayView<float> dh, ArrayView<float> dGates, SpecializedValue<int> relu)
        => dGates[e] = relu.Value == 1 ? (h[e] > 0f ? dh[e] : 0f) : dh[e] * (1f - (h[e] * h[e]));

    private static float Sigmoid(float x) => 1f / (1f + XMath.Exp(-x));

    /// <summary>The dimensions of a batch-and-time swap, one kernel argument.</summary>
    internal readonly record struct SwapShape(int A, int B, int K);

    /// <summary>The regions of <see cref="RnnScratchLayout"/> as device spans.</summary>
    private readonly struct Regions(DeviceSpan scratch, RnnScratchLayout at)
    {
        public DeviceSpan InputsByTime => scratch.Slice(at.InputsByTime, at.Sequence(at.Inputs));

        public DeviceSpan Projections => scratch.Slice(at.Projections, at.Sequence(at.GateWidth));

        public DeviceSpan Projection(int t) => scratch.Slice(at.Projections + (t * at.Step(at.GateWidth)), at.Step(at.GateWidth));

        public DeviceSpan Gates(int t) => scratch.Slice(at.Gates + (t * at.Step(at.GateWidth)), at.Step(at.GateWidth));

        public DeviceSpan Cells(int t) => scratch.Slice(at.Cells + (t * at.Step(at.Hidden)), at.Step(at.Hidden));

        public DeviceSpan Hidden(int t) => scratch.Slice(at.HiddenStates + (t * at.Step(at.Hidden)), at.Step(at.Hidden));

        public DeviceSpan HiddenByTime => scratch.Slice(at.HiddenStates, at.Sequence(at.Hidden));

        public DeviceSpan GateGradients(int t) => scratch.Slice(at.GateGradients + (t * at.Step(at.GateWidth)), at.Step(at.GateWidth));

        public DeviceSpan GateGradientsFrom(int t) => scratch.Slice(at.GateGradients + (t * at.Step(at.GateWidth)), (at.Steps - t) * at.Step(at.GateWidth));

        public DeviceSpan RecurrentGradients(int t, RnnCell cell) => cell == RnnCell.Gru ? Projection(t) : GateGradients(t);

        public DeviceSpan RecurrentGradientsFrom(int t, RnnCell cell)
            => cell == RnnCell.Gru ? scratch.Slice(at.Projections + (t * at.Step(at.GateWidth)), (at.Steps - t) * at.Step(at.GateWidth)) : GateGradientsFrom(t);

        public DeviceSpan InputGradientsByTime => scratch.Slice(at.InputGradientsByTime, at.Sequence(at.Inputs));

        public DeviceSpan Zeros => scratch.Slice(at.Zeros, at.Step(at.Hidden));

        public DeviceSpan HiddenGradient => scratch.Slice(at.HiddenGradient, at.Step(at.Hidden));

        public DeviceSpan CellGradient => scratch.Slice(at.CellGradient, at.Step(at.Hidden));
    }
}

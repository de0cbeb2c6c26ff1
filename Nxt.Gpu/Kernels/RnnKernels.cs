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
    /// <summary>One layer and direction, as <see cref="Nxt.Cpu.RnnKernels.Forward"/>.</summary>
    public static void Forward(
        DeviceSpan x, DeviceSpan i2hWeight, DeviceSpan h2hWeight, DeviceSpan i2hBias, DeviceSpan h2hBias, DeviceSpan hx, DeviceSpan cx,
        DeviceSpan y, DeviceSpan scratch, int n, int steps, int inputs, int hidden, RnnCell cell, RnnLane lane)
    {
        var at = new RnnScratchLayout(n, steps, inputs, hidden, cell.Gates());
        var s = new Regions(scratch, at);
        ToTimeMajor(x, s.InputsByTime, n, steps, inputs, lane.Reverse);
        DenseKernels.Forward(s.InputsByTime, i2hWeight, i2hBias, s.Projections, at.Rows, inputs, at.GateWidth);
        ReadState(hx, s.InitialHidden, n, hidden, lane);
        ReadState(cx, s.InitialCell, n, hidden, lane);
        Clear(s.FinalHiddenGradient);
        Clear(s.FinalCellGradient);
        for (int t = 0; t < steps; t++)
        {
            var hPrevious = t == 0 ? s.InitialHidden : s.Hidden(t - 1);
            DenseKernels.Forward(hPrevious, h2hWeight, h2hBias, cell == RnnCell.Gru ? default : s.Projection(t), s.Gates(t), n, hidden, at.GateWidth, Epilogue.None);
            switch (cell)
            {
                case RnnCell.Lstm:
                    Launcher.Run(y.Owner, LstmCellKernel, n * hidden, s.Gates(t).View, (t == 0 ? s.InitialCell : s.Cells(t - 1)).View, s.Cells(t).View, s.Hidden(t).View, hidden);
                    break;
                case RnnCell.Gru:
                    Launcher.Run(y.Owner, GruCellKernel, n * hidden, s.Gates(t).View, s.Projection(t).View, hPrevious.View, s.Hidden(t).View, hidden);
                    break;
                default:
                    Launcher.Run(y.Owner, PlainCellKernel, n * hidden, s.Gates(t).View, s.Hidden(t).View, SpecializedValue.New(cell == RnnCell.Relu ? 1 : 0));
                    break;
            }
        }

        FromTimeMajor(s.HiddenByTime, y, n, steps, hidden, lane.Directions * hidden, lane.Direction * hidden, lane.Reverse, accumulate: false);
    }

    /// <summary>Back through time for one lane, as <see cref="Nxt.Cpu.RnnKernels.Backward"/>.</summary>
    public static void Backward(
        DeviceSpan i2hWeight, DeviceSpan h2hWeight, DeviceSpan dy, DeviceSpan dx, DeviceSpan dhx, DeviceSpan dcx,
        DeviceSpan i2hWeightGrad, DeviceSpan h2hWeightGrad, DeviceSpan i2hBiasGrad, DeviceSpan h2hBiasGrad,
        DeviceSpan scratch, int n, int steps, int inputs, int hidden, RnnCell cell, RnnLane lane,
        bool wantX, bool accumulateX, bool accumulateHx, bool accumulateCx, bool wantI2hWeight, bool accumulateI2hWeight, bool wantH2hWeight, bool accumulateH2hWeight,
        bool wantI2hBias, bool accumulateI2hBias, bool wantH2hBias, bool accumulateH2hBias)
    {
        var at = new RnnScratchLayout(n, steps, inputs, hidden, cell.Gates());
        var s = new Regions(scratch, at);
        s.FinalHiddenGradient.CopyTo(s.HiddenGradient);
        s.FinalCellGradient.CopyTo(s.CellGradient);
        var dyColumns = new Columns(lane.Directions * hidden, lane.Direction * hidden);
        for (int t = steps - 1; t >= 0; t--)
        {
            Launcher.Run(dy.Owner, AddStepKernel, n * hidden, dy.View, s.HiddenGradient.View, lane.SequenceStep(t, steps), steps, hidden, dyColumns);
            switch (cell)
            {
                case RnnCell.Lstm:
                    Launcher.Run(dy.Owner, LstmCellBackwardKernel, n * hidden, s.Gates(t).View, (t == 0 ? s.InitialCell : s.Cells(t - 1)).View, s.Cells(t).View, s.HiddenGradient.View, s.CellGradient.View, s.GateGradients(t).View, hidden);
                    break;
                case RnnCell.Gru:
                    Launcher.Run(dy.Owner, GruCellBackwardKernel, n * hidden, s.Gates(t).View, s.Projection(t).View, (t == 0 ? s.InitialHidden : s.Hidden(t - 1)).View, s.HiddenGradient.View, s.GateGradients(t).View, hidden);
                    break;
                default:
                    Launcher.Run(dy.Owner, PlainCellBackwardKernel, n * hidden, s.Hidden(t).View, s.HiddenGradient.View, s.GateGradients(t).View, SpecializedValue.New(cell == RnnCell.Relu ? 1 : 0));
                    break;
            }

            DenseKernels.BackwardData(s.RecurrentGradients(t, cell), h2hWeight, s.HiddenGradient, n, hidden, at.GateWidth, accumulate: cell == RnnCell.Gru);
        }

        WriteState(s.HiddenGradient, dhx, n, hidden, lane, accumulateHx);
        WriteState(s.CellGradient, dcx, n, hidden, lane, accumulateCx);
        if (wantH2hWeight)
        {
            DenseKernels.BackwardWeight(s.RecurrentGradients(0, cell), s.InitialHidden, h2hWeightGrad, n, hidden, at.GateWidth, accumulateH2hWeight);
            if (steps > 1)
            {
                DenseKernels.BackwardWeight(s.RecurrentGradientsFrom(1, cell), s.HiddenByTime.Slice(0, (steps - 1) * n * hidden), h2hWeightGrad, (steps - 1) * n, hidden, at.GateWidth, accumulate: true);
            }
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
            FromTimeMajor(s.InputGradientsByTime, dx, n, steps, inputs, inputs, 0, lane.Reverse, accumulateX);
        }
    }

    /// <summary>One lane's final state into its slot, as <see cref="Nxt.Cpu.RnnKernels.FinalState"/>.</summary>
    public static void FinalState(DeviceSpan laneState, DeviceSpan states, int n, int hidden, RnnLane lane) => WriteState(laneState, states, n, hidden, lane, accumulate: false);

    /// <summary>The gradient of <see cref="FinalState"/>, as <see cref="Nxt.Cpu.RnnKernels.FinalStateBackward"/>.</summary>
    public static void FinalStateBackward(DeviceSpan dStates, DeviceSpan laneGradient, int n, int hidden, RnnLane lane) => ReadState(dStates, laneGradient, n, hidden, lane);

    private static void ToTimeMajor(DeviceSpan x, DeviceSpan byTime, int n, int steps, int width, bool reverse)
        => Launcher.Run(byTime.Owner, ToTimeMajorKernel, n * steps * width, x.View, byTime.View, new SequenceShape(n, steps, width), SpecializedValue.New(reverse ? 1 : 0));

    private static void FromTimeMajor(DeviceSpan byTime, DeviceSpan y, int n, int steps, int k, int width, int offset, bool reverse, bool accumulate)
        => Launcher.Run(y.Owner, FromTimeMajorKernel, n * steps * k, byTime.View, y.View, new SequenceShape(n, steps, k), new Columns(width, offset), SpecializedValue.New(reverse ? 1 : 0), SpecializedValue.New(accumulate ? 1 : 0));

    private static void ReadState(DeviceSpan states, DeviceSpan h, int n, int hidden, RnnLane lane)
    {
        if (states.IsEmpty)
        {
            Clear(h);
            return;
        }

        Launcher.Run(h.Owner, ReadStateKernel, n * hidden, states.View, h.View, hidden, lane.StateSlot, lane.StateSlots);
    }

    private static void WriteState(DeviceSpan h, DeviceSpan states, int n, int hidden, RnnLane lane, bool accumulate)
    {
        if (!states.IsEmpty)
        {
            Launcher.Run(h.Owner, WriteStateKernel, n * hidden, h.View, states.View, hidden, lane.StateSlot, lane.StateSlots, SpecializedValue.New(accumulate ? 1 : 0));
        }
    }

    private static void Clear(DeviceSpan values) => Launcher.Run(values.Owner, ClearKernel, values.Length, values.View);

    internal static void ClearKernel(Index1D i, ArrayView<float> values) => values[i] = 0f;

    // byTime[t, r, :] = x[r, step, :], step = t or T-1-t: one thread per element of byTime.
    internal static void ToTimeMajorKernel(Index1D e, ArrayView<float> x, ArrayView<float> byTime, SequenceShape shape, SpecializedValue<int> reverse)
    {
        int k = e % shape.Width, row = e / shape.Width, t = row / shape.N, r = row % shape.N;
        int step = reverse.Value == 1 ? shape.Steps - 1 - t : t;
        byTime[e] = x[(((r * shape.Steps) + step) * shape.Width) + k];
    }

    // y[r, step, offset + k] (+)= byTime[t, r, k]: one thread per element of byTime.
    internal static void FromTimeMajorKernel(Index1D e, ArrayView<float> byTime, ArrayView<float> y, SequenceShape shape, Columns columns, SpecializedValue<int> reverse, SpecializedValue<int> accumulate)
    {
        int k = e % shape.Width, row = e / shape.Width, t = row / shape.N, r = row % shape.N;
        int step = reverse.Value == 1 ? shape.Steps - 1 - t : t;
        int target = (((r * shape.Steps) + step) * columns.Width) + columns.Offset + k;
        y[target] = accumulate.Value == 1 ? y[target] + byTime[e] : byTime[e];
    }

    internal static void AddStepKernel(Index1D e, ArrayView<float> dy, ArrayView<float> h, int step, int steps, int hidden, Columns columns)
    {
        int r = e / hidden, j = e % hidden;
        h[e] += dy[(((r * steps) + step) * columns.Width) + columns.Offset + j];
    }

    internal static void ReadStateKernel(Index1D e, ArrayView<float> states, ArrayView<float> h, int hidden, int slot, int slots)
    {
        int r = e / hidden, j = e % hidden;
        h[e] = states[(((r * slots) + slot) * hidden) + j];
    }

    internal static void WriteStateKernel(Index1D e, ArrayView<float> h, ArrayView<float> states, int hidden, int slot, int slots, SpecializedValue<int> accumulate)
    {
        int r = e / hidden, j = e % hidden, target = (((r * slots) + slot) * hidden) + j;
        states[target] = accumulate.Value == 1 ? states[target] + h[e] : h[e];
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

    /// <summary>A batch-major sequence's dimensions <c>(N, T, Width)</c>, one kernel argument.</summary>
    internal readonly record struct SequenceShape(int N, int Steps, int Width);

    /// <summary>Columns <c>[Offset, Offset + H)</c> of rows <paramref name="Width"/> wide: one direction's part of a layer's output.</summary>
    internal readonly record struct Columns(int Width, int Offset);

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

        public DeviceSpan InitialHidden => scratch.Slice(at.InitialHidden, at.Step(at.Hidden));

        public DeviceSpan InitialCell => scratch.Slice(at.InitialCell, at.Step(at.Hidden));

        public DeviceSpan HiddenGradient => scratch.Slice(at.HiddenGradient, at.Step(at.Hidden));

        public DeviceSpan CellGradient => scratch.Slice(at.CellGradient, at.Step(at.Hidden));

        public DeviceSpan FinalHiddenGradient => scratch.Slice(at.FinalHiddenGradient, at.Step(at.Hidden));

        public DeviceSpan FinalCellGradient => scratch.Slice(at.FinalCellGradient, at.Step(at.Hidden));
    }
}

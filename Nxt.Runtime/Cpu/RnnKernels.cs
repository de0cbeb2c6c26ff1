using System;
using Nxt.Kernels;

namespace Nxt.Cpu;

/// <summary>
/// MXNet's fused <c>RNN</c> in LSTM mode, one layer, one direction, batch-major (<c>NTC</c>):
/// gates in MXNet's order <c>[i, f, g, o]</c>, weights <c>i2h (4H, C)</c> and <c>h2h (4H, H)</c>,
/// biases <c>i2h</c> and <c>h2h</c> of <c>4H</c> each. Every time step's input projection is one
/// GEMM over all steps; the recurrence is one <c>(N, H) x (H, 4H)</c> GEMM per step. The work
/// happens time-major in the node's scratch (<see cref="Kernels.LstmScratchLayout"/>):
/// the inputs transposed, the projections, the activated gates, the cells and the hidden
/// states of every step, which the backward pass (through time) reads.
/// </summary>
public static class RnnKernels
{
    /// <summary><c>y (N, T, H)</c>: the hidden state of every step, from <c>x (N, T, C)</c>, zero initial states.</summary>
    public static void LstmForward(
        ReadOnlySpan<float> x, ReadOnlySpan<float> i2hWeight, ReadOnlySpan<float> h2hWeight, ReadOnlySpan<float> i2hBias, ReadOnlySpan<float> h2hBias,
        Span<float> y, Span<float> scratch, int n, int steps, int inputs, int hidden)
    {
        var s = new LstmScratch(scratch, n, steps, inputs, hidden);
        int gateWidth = 4 * hidden, rows = n * steps;
        SequenceKernels.SwapBatchAndTime(x, s.InputsByTime, n, steps, inputs);
        DenseKernels.Forward(s.InputsByTime, i2hWeight, i2hBias, s.Projections, rows, inputs, gateWidth);
        s.Zeros.Clear();
        for (int t = 0; t < steps; t++)
        {
            var hPrevious = t == 0 ? s.Zeros : s.Hidden(t - 1);
            var cPrevious = t == 0 ? s.Zeros : s.Cells(t - 1);
            DenseKernels.Forward(hPrevious, h2hWeight, h2hBias, s.Projection(t), s.Gates(t), n, hidden, gateWidth, Epilogue.None);
            LstmCell(s.Gates(t), cPrevious, s.Cells(t), s.Hidden(t), n, hidden);
        }

        SequenceKernels.SwapBatchAndTime(s.HiddenByTime, y, steps, n, hidden);
    }

    /// <summary>
    /// Back through time: the gradients of the four parameters (each under its own flags) and,
    /// when <paramref name="wantX"/>, of the input, from <c>dy (N, T, H)</c> and the forward pass's scratch.
    /// </summary>
    public static void LstmBackward(
        ReadOnlySpan<float> i2hWeight, ReadOnlySpan<float> h2hWeight, ReadOnlySpan<float> dy, Span<float> dx,
        Span<float> i2hWeightGrad, Span<float> h2hWeightGrad, Span<float> i2hBiasGrad, Span<float> h2hBiasGrad,
        Span<float> scratch, int n, int steps, int inputs, int hidden,
        bool wantX, bool accumulateX, bool wantI2hWeight, bool accumulateI2hWeight, bool wantH2hWeight, bool accumulateH2hWeight,
        bool wantI2hBias, bool accumulateI2hBias, bool wantH2hBias, bool accumulateH2hBias)
    {
        var s = new LstmScratch(scratch, n, steps, inputs, hidden);
        int gateWidth = 4 * hidden, rows = n * steps;
        s.HiddenGradient.Clear();
        s.CellGradient.Clear();
        for (int t = steps - 1; t >= 0; t--)
        {
            // dh_t: this step's output gradient plus what the next step sent back.
            SequenceKernels.AddStep(dy, s.HiddenGradient, t, n, steps, hidden);
            var cPrevious = t == 0 ? s.Zeros : s.Cells(t - 1);
            LstmCellBackward(s.Gates(t), cPrevious, s.Cells(t), s.HiddenGradient, s.CellGradient, s.GateGradients(t), n, hidden);
            DenseKernels.BackwardData(s.GateGradients(t), h2hWeight, s.HiddenGradient, n, hidden, gateWidth, accumulate: false);
        }

        if (wantH2hWeight && steps > 1)
        {
            // The first step's previous hidden state is zero: it adds nothing.
            DenseKernels.BackwardWeight(s.GateGradientsFrom(1), s.HiddenByTime[..((steps - 1) * n * hidden)], h2hWeightGrad, (steps - 1) * n, hidden, gateWidth, accumulateH2hWeight);
        }
        else if (wantH2hWeight && !accumulateH2hWeight)
        {
            h2hWeightGrad[..(gateWidth * hidden)].Clear();
        }

        if (wantI2hWeight)
        {
            DenseKernels.BackwardWeight(s.GateGradientsFrom(0), s.InputsByTime, i2hWeightGrad, rows, inputs, gateWidth, accumulateI2hWeight);
        }

        if (wantI2hBias)
        {
            DenseKernels.BackwardBias(s.GateGradientsFrom(0), i2hBiasGrad, rows, gateWidth, accumulateI2hBias);
        }

        if (wantH2hBias)
        {
            DenseKernels.BackwardBias(s.GateGradientsFrom(0), h2hBiasGrad, rows, gateWidth, accumulateH2hBias);
        }

        if (wantX)
        {
            DenseKernels.BackwardData(s.GateGradientsFrom(0), i2hWeight, s.InputGradientsByTime, rows, inputs, gateWidth, accumulate: false);
            SequenceKernels.SwapBatchAndTime(s.InputGradientsByTime, dx, steps, n, inputs, accumulateX);
        }
    }

    /// <summary>One step's cell: the gates activated in place (<c>i, f, o</c> sigmoid, <c>g</c> tanh), <c>c = f·c' + i·g</c>, <c>h = o·tanh(c)</c>.</summary>
    public static void LstmCell(Span<float> gates, ReadOnlySpan<float> cPrevious, Span<float> c, Span<float> h, int n, int hidden)
    {
        for (int r = 0; r < n; r++)
        {
            var row = gates.Slice(r * 4 * hidden, 4 * hidden);
            for (int j = 0; j < hidden; j++)
            {
                float i = Sigmoid(row[j]), f = Sigmoid(row[hidden + j]), g = MathF.Tanh(row[(2 * hidden) + j]), o = Sigmoid(row[(3 * hidden) + j]);
                row[j] = i;
                row[hidden + j] = f;
                row[(2 * hidden) + j] = g;
                row[(3 * hidden) + j] = o;
                int k = (r * hidden) + j;
                c[k] = (f * cPrevious[k]) + (i * g);
                h[k] = o * MathF.Tanh(c[k]);
            }
        }
    }

    /// <summary>
    /// One step's cell backward: from <c>dh</c> and the next step's <c>dc</c> (replaced by this
    /// step's, carried to the previous one), the gradients of the gates' pre-activations.
    /// </summary>
    public static void LstmCellBackward(ReadOnlySpan<float> gates, ReadOnlySpan<float> cPrevious, ReadOnlySpan<float> c, ReadOnlySpan<float> dh, Span<float> dc, Span<float> dGates, int n, int hidden)
    {
        for (int r = 0; r < n; r++)
        {
            var row = gates.Slice(r * 4 * hidden, 4 * hidden);
            var dRow = dGates.Slice(r * 4 * hidden, 4 * hidden);
            for (int j = 0; j < hidden; j++)
            {
                int k = (r * hidden) + j;
                float i = row[j], f = row[hidden + j], g = row[(2 * hidden) + j], o = row[(3 * hidden) + j];
                float tanhC = MathF.Tanh(c[k]);
                float dCell = dc[k] + (dh[k] * o * (1f - (tanhC * tanhC)));
                dRow[j] = dCell * g * i * (1f - i);
                dRow[hidden + j] = dCell * cPrevious[k] * f * (1f - f);
                dRow[(2 * hidden) + j] = dCell * i * (1f - (g * g));
                dRow[(3 * hidden) + j] = dh[k] * tanhC * o * (1f - o);
                dc[k] = dCell * f;
            }
        }
    }

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    /// <summary>The regions of <see cref="LstmScratchLayout"/> as spans.</summary>
    private readonly ref struct LstmScratch
    {
        private readonly Span<float> _scratch;
        private readonly LstmScratchLayout _at;

        public LstmScratch(Span<float> scratch, int n, int steps, int inputs, int hidden)
        {
            _scratch = scratch;
            _at = new LstmScratchLayout(n, steps, inputs, hidden);
        }

        public Span<float> InputsByTime => _scratch.Slice(_at.InputsByTime, _at.Sequence(_at.Inputs));

        public Span<float> Projections => _scratch.Slice(_at.Projections, _at.Sequence(_at.GateWidth));

        public Span<float> Projection(int t) => _scratch.Slice(_at.Projections + (t * _at.Step(_at.GateWidth)), _at.Step(_at.GateWidth));

        public Span<float> Gates(int t) => _scratch.Slice(_at.Gates + (t * _at.Step(_at.GateWidth)), _at.Step(_at.GateWidth));

        public Span<float> Cells(int t) => _scratch.Slice(_at.Cells + (t * _at.Step(_at.Hidden)), _at.Step(_at.Hidden));

        public Span<float> Hidden(int t) => _scratch.Slice(_at.HiddenStates + (t * _at.Step(_at.Hidden)), _at.Step(_at.Hidden));

        public Span<float> HiddenByTime => _scratch.Slice(_at.HiddenStates, _at.Sequence(_at.Hidden));

        public Span<float> GateGradients(int t) => _scratch.Slice(_at.GateGradients + (t * _at.Step(_at.GateWidth)), _at.Step(_at.GateWidth));

        public Span<float> GateGradientsFrom(int t) => _scratch.Slice(_at.GateGradients + (t * _at.Step(_at.GateWidth)), (_at.Steps - t) * _at.Step(_at.GateWidth));

        public Span<float> InputGradientsByTime => _scratch.Slice(_at.InputGradientsByTime, _at.Sequence(_at.Inputs));

        public Span<float> Zeros => _scratch.Slice(_at.Zeros, _at.Step(_at.Hidden));

        public Span<float> HiddenGradient => _scratch.Slice(_at.HiddenGradient, _at.Step(_at.Hidden));

        public Span<float> CellGradient => _scratch.Slice(_at.CellGradient, _at.Step(_at.Hidden));
    }
}

using System;
using System.Numerics;
using System.Runtime.InteropServices;
using Nxt.Kernels;

namespace Nxt.Cpu;

/// <summary>
/// MXNet's fused <c>RNN</c>, one layer and direction a call (an <see cref="RnnLane"/>: the
/// generated plan runs a call per layer and direction), batch-major (<c>NTC</c>), with any of its
/// cells (<see cref="RnnCell"/>): gates in MXNet's order (LSTM <c>[i, f, g, o]</c>, GRU
/// <c>[r, z, n]</c>), weights <c>i2h (G·H, C)</c> and <c>h2h (G·H, H)</c>, biases <c>i2h</c> and
/// <c>h2h</c> of <c>G·H</c> each. Every time step's input projection is one GEMM over all steps;
/// the recurrence is one <c>(N, H) x (H, G·H)</c> GEMM per step. The work happens time-major in
/// the node's scratch (<see cref="RnnScratchLayout"/>): the inputs transposed, the projections,
/// the gates, the cells and the hidden states of every step, which the backward pass (through
/// time) reads. A GRU's reset gate scales only the recurrent part of <c>n</c>, so its step GEMM
/// is kept apart from the projection, whose <c>n</c> slot then keeps that recurrent part for
/// backward, and later the recurrent half of the gate gradients.
/// </summary>
public static unsafe partial class RnnKernels
{
    // The recurrent weight packed once per pass for its T step GEMMs (native memory, grown as needed, one per thread).
    [ThreadStatic]
    private static float* t_packed;

    [ThreadStatic]
    private static int t_packedLength;

    /// <summary>
    /// One layer and direction (<paramref name="lane"/>) of the operator: its hidden state at every
    /// step into its columns of <c>y (N, T, D·H)</c>, from <c>x (N, T, C)</c> and the initial
    /// states <c>hx</c> and <c>cx (N, L·D, H)</c>, or zeros where those are empty.
    /// </summary>
    public static void Forward(
        ReadOnlySpan<float> x, ReadOnlySpan<float> i2hWeight, ReadOnlySpan<float> h2hWeight, ReadOnlySpan<float> i2hBias, ReadOnlySpan<float> h2hBias,
        ReadOnlySpan<float> hx, ReadOnlySpan<float> cx, Span<float> y, Span<float> scratch, int n, int steps, int inputs, int hidden, RnnCell cell, RnnLane lane)
    {
        var s = new Scratch(scratch, new RnnScratchLayout(n, steps, inputs, hidden, cell.Gates()), cell);
        int gateWidth = cell.Gates() * hidden, rows = n * steps;
        SequenceKernels.ToTimeMajor(x, s.InputsByTime, n, steps, inputs, lane.Reverse);
        // The projections start as the biases (both, so that each step only adds its recurrent
        // product in place; a GRU's recurrent bias stays with its recurrent part) and the GEMM
        // accumulates onto them: a pass over (T·N, G·H) fewer than adding each bias after it.
        var biases = s.Projections[..gateWidth];
        i2hBias.CopyTo(biases);
        if (cell != RnnCell.Gru)
        {
            ElementwiseKernels.AddInPlace(biases, h2hBias);
        }

        ElementwiseKernels.BroadcastRows(biases, s.Projections, rows);
        Gemm.Multiply(s.InputsByTime, false, i2hWeight, true, s.Projections, rows, gateWidth, inputs, accumulate: true);

        SequenceKernels.ReadState(hx, s.InitialHidden, n, hidden, lane.StateSlot, lane.StateSlots);
        SequenceKernels.ReadState(cx, s.InitialCell, n, hidden, lane.StateSlot, lane.StateSlots);
        s.FinalHiddenGradient.Clear();
        s.FinalCellGradient.Clear();
        var packed = PackedWeight(Gemm.PackedLength(gateWidth, hidden));
        DenseKernels.PackForward(h2hWeight, packed, hidden, gateWidth);
        fixed (float* pScratch = scratch)
        fixed (float* pWeight = h2hWeight)
        fixed (float* pBias = h2hBias)
        {
            var step = RnnStepWork.ForThisThread;
            step.SetForward(new Pinned(pScratch, scratch.Length), s.Layout, cell, new Pinned(pWeight, h2hWeight.Length), packed, new Pinned(pBias, h2hBias.Length));
            for (int t = 0; t < steps; t++)
            {
                step.Run(t);
            }

            step.Clear();
        }

        SequenceKernels.FromTimeMajor(s.HiddenByTime, y, n, steps, hidden, lane.Directions * hidden, lane.Direction * hidden, lane.Reverse, accumulate: false);
    }

    /// <summary>
    /// Back through time for one lane: the gradients of its four parameters (each under its own
    /// flags), of the input when <paramref name="wantX"/>, and of the initial states where
    /// <paramref name="dhx"/> and <paramref name="dcx"/> are not empty, from its columns of
    /// <c>dy (N, T, D·H)</c> and the forward pass's scratch.
    /// </summary>
    public static void Backward(
        ReadOnlySpan<float> i2hWeight, ReadOnlySpan<float> h2hWeight, ReadOnlySpan<float> dy, Span<float> dx, Span<float> dhx, Span<float> dcx,
        Span<float> i2hWeightGrad, Span<float> h2hWeightGrad, Span<float> i2hBiasGrad, Span<float> h2hBiasGrad,
        Span<float> scratch, int n, int steps, int inputs, int hidden, RnnCell cell, RnnLane lane,
        bool wantX, bool accumulateX, bool accumulateHx, bool accumulateCx, bool wantI2hWeight, bool accumulateI2hWeight, bool wantH2hWeight, bool accumulateH2hWeight,
        bool wantI2hBias, bool accumulateI2hBias, bool wantH2hBias, bool accumulateH2hBias)
    {
        var s = new Scratch(scratch, new RnnScratchLayout(n, steps, inputs, hidden, cell.Gates()), cell);
        int gateWidth = cell.Gates() * hidden, rows = n * steps;
        // The final states' gradients: what an RNNState node sent back, else zeros.
        s.FinalHiddenGradient.CopyTo(s.HiddenGradient);
        s.FinalCellGradient.CopyTo(s.CellGradient);
        var packed = PackedWeight(Gemm.PackedLength(hidden, gateWidth));
        DenseKernels.PackBackwardData(h2hWeight, packed, hidden, gateWidth);
        fixed (float* pScratch = scratch)
        fixed (float* pWeight = h2hWeight)
        fixed (float* pDy = dy)
        {
            var step = RnnStepWork.ForThisThread;
            step.SetBackward(new Pinned(pScratch, scratch.Length), s.Layout, cell, new Pinned(pWeight, h2hWeight.Length), packed, new Pinned(pDy, dy.Length), lane);
            for (int t = steps - 1; t >= 0; t--)
            {
                step.Run(t);
            }

            step.Clear();
        }

        // What is left is the gradient of the states before the first step.
        SequenceKernels.WriteState(s.HiddenGradient, dhx, n, hidden, lane.StateSlot, lane.StateSlots, accumulateHx);
        SequenceKernels.WriteState(s.CellGradient, dcx, n, hidden, lane.StateSlot, lane.StateSlots, accumulateCx);
        if (wantH2hWeight)
        {
            // Step 0 saw the initial hidden state, the later steps their predecessors' (contiguous).
            DenseKernels.BackwardWeight(s.RecurrentGradients(0, cell), s.InitialHidden, h2hWeightGrad, n, hidden, gateWidth, accumulateH2hWeight);
            if (steps > 1)
            {
                DenseKernels.BackwardWeight(s.RecurrentGradientsFrom(1, cell), s.HiddenByTime[..((steps - 1) * n * hidden)], h2hWeightGrad, (steps - 1) * n, hidden, gateWidth, accumulate: true);
            }
        }

        if (wantI2hWeight)
        {
            DenseKernels.BackwardWeight(s.GateGradientsFrom(0), s.InputsByTime, i2hWeightGrad, rows, inputs, gateWidth, accumulateI2hWeight);
        }

        if (wantI2hBias)
        {
            DenseKernels.BackwardBias(s.GateGradientsFrom(0), i2hBiasGrad, rows, gateWidth, accumulateI2hBias);
        }

        if (wantH2hBias && wantI2hBias && cell != RnnCell.Gru && !accumulateI2hBias && !accumulateH2hBias)
        {
            i2hBiasGrad[..gateWidth].CopyTo(h2hBiasGrad); // the same sums: both biases add to the same pre-activations
        }
        else if (wantH2hBias)
        {
            DenseKernels.BackwardBias(s.RecurrentGradientsFrom(0, cell), h2hBiasGrad, rows, gateWidth, accumulateH2hBias);
        }

        if (wantX)
        {
            DenseKernels.BackwardData(s.GateGradientsFrom(0), i2hWeight, s.InputGradientsByTime, rows, inputs, gateWidth, accumulate: false);
            SequenceKernels.FromTimeMajor(s.InputGradientsByTime, dx, n, steps, inputs, inputs, 0, lane.Reverse, accumulateX);
        }
    }

    /// <summary>
    /// Step <paramref name="t"/> forward for the batch rows <paramref name="rows"/>: the recurrent
    /// GEMM added onto the step's projection (which is the gates' region), or for a GRU into the
    /// gates with its bias, the projection kept apart for the reset gate; then the cell.
    /// </summary>
    private static void ForwardStep(Scratch s, RnnCell cell, int t, RowRange rows, ReadOnlySpan<float> h2hWeight, ReadOnlySpan<float> packed, ReadOnlySpan<float> h2hBias)
    {
        int hidden = s.Layout.Hidden, gateWidth = s.Layout.GateWidth;
        var hPrevious = rows.Of(t == 0 ? s.InitialHidden : s.Hidden(t - 1), hidden);
        var gates = rows.Of(s.Gates(t), gateWidth);
        var h = rows.Of(s.Hidden(t), hidden);
        if (cell == RnnCell.Gru)
        {
            DenseKernels.ForwardPacked(hPrevious, h2hWeight, packed, h2hBias, default, gates, rows.Count, hidden, gateWidth);
        }
        else
        {
            Gemm.MultiplyPacked(hPrevious, h2hWeight, true, packed, gates, rows.Count, gateWidth, hidden, accumulate: true);
        }

        switch (cell)
        {
            case RnnCell.Lstm:
                LstmCell(gates, rows.Of(t == 0 ? s.InitialCell : s.Cells(t - 1), hidden), rows.Of(s.Cells(t), hidden), h, rows.Count, hidden);
                break;
            case RnnCell.Gru:
                GruCell(gates, rows.Of(s.Projection(t), gateWidth), hPrevious, h, rows.Count, hidden);
                break;
            default:
                PlainCell(gates, h, cell == RnnCell.Relu);
                break;
        }
    }

    /// <summary>
    /// Step <paramref name="t"/> back for the batch rows <paramref name="rows"/>: <c>dh_t</c> is
    /// this step's output gradient plus what the next step sent back; the cell's backward gives the
    /// gate gradients, whose product with the recurrent weight is what this step sends back.
    /// </summary>
    private static void BackwardStep(Scratch s, RnnCell cell, int t, RowRange rows, ReadOnlySpan<float> h2hWeight, ReadOnlySpan<float> packed, ReadOnlySpan<float> dy, RnnLane lane)
    {
        int hidden = s.Layout.Hidden, gateWidth = s.Layout.GateWidth, steps = s.Layout.Steps, width = lane.Directions * hidden;
        var dh = rows.Of(s.HiddenGradient, hidden);
        var dGates = rows.Of(s.GateGradients(t), gateWidth);
        SequenceKernels.AddStep(dy[(rows.First * steps * width)..], dh, lane.SequenceStep(t, steps), rows.Count, steps, hidden, width, lane.Direction * hidden);
        switch (cell)
        {
            case RnnCell.Lstm:
                LstmCellBackward(rows.Of(s.Gates(t), gateWidth), rows.Of(t == 0 ? s.InitialCell : s.Cells(t - 1), hidden), rows.Of(s.Cells(t), hidden), dh, rows.Of(s.CellGradient, hidden), dGates, rows.Count, hidden);
                break;
            case RnnCell.Gru:
                // Leaves z·dh_t, the direct path to h_{t-1}, in the hidden gradient.
                GruCellBackward(rows.Of(s.Gates(t), gateWidth), rows.Of(s.Projection(t), gateWidth), rows.Of(t == 0 ? s.InitialHidden : s.Hidden(t - 1), hidden), dh, dGates, rows.Count, hidden);
                break;
            default:
                PlainCellBackward(rows.Of(s.Hidden(t), hidden), dh, dGates, cell == RnnCell.Relu);
                break;
        }

        DenseKernels.BackwardDataPacked(rows.Of(s.RecurrentGradients(t, cell), gateWidth), h2hWeight, packed, dh, rows.Count, hidden, gateWidth, accumulate: cell == RnnCell.Gru);
    }

    /// <summary>
    /// MXNet's <c>state_outputs</c>: this lane's final hidden state or cell, <paramref name="laneState"/>
    /// (its last time-major step, <c>(N, H)</c>), into its slot of <c>states (N, L·D, H)</c>.
    /// </summary>
    public static void FinalState(ReadOnlySpan<float> laneState, Span<float> states, int n, int hidden, RnnLane lane)
        => SequenceKernels.WriteState(laneState, states, n, hidden, lane.StateSlot, lane.StateSlots, accumulate: false);

    /// <summary>The gradient of <see cref="FinalState"/>: the lane's slot of <c>dStates</c> into the region its backward pass starts from.</summary>
    public static void FinalStateBackward(ReadOnlySpan<float> dStates, Span<float> laneGradient, int n, int hidden, RnnLane lane)
        => SequenceKernels.ReadState(dStates, laneGradient, n, hidden, lane.StateSlot, lane.StateSlots);

    /// <summary>One step's cell: the gates activated in place (<c>i, f, o</c> sigmoid, <c>g</c> tanh), <c>c = f·c' + i·g</c>, <c>h = o·tanh(c)</c>.</summary>
    public static void LstmCell(Span<float> gates, ReadOnlySpan<float> cPrevious, Span<float> c, Span<float> h, int n, int hidden)
    {
        int width = Vector<float>.Count;
        for (int r = 0; r < n; r++)
        {
            var row = gates.Slice(r * 4 * hidden, 4 * hidden);
            Span<float> ig = row[..hidden], fg = row.Slice(hidden, hidden), gg = row.Slice(2 * hidden, hidden), og = row.Slice(3 * hidden, hidden);
            ReadOnlySpan<float> cp = cPrevious.Slice(r * hidden, hidden);
            Span<float> cr = c.Slice(r * hidden, hidden), hr = h.Slice(r * hidden, hidden);
            int j = 0;
            for (; j + width <= hidden; j += width)
            {
                var i = Sigmoid(new Vector<float>(ig[j..]));
                var f = Sigmoid(new Vector<float>(fg[j..]));
                var g = Tanh(new Vector<float>(gg[j..]));
                var o = Sigmoid(new Vector<float>(og[j..]));
                i.CopyTo(ig[j..]);
                f.CopyTo(fg[j..]);
                g.CopyTo(gg[j..]);
                o.CopyTo(og[j..]);
                var cell = (f * new Vector<float>(cp[j..])) + (i * g);
                cell.CopyTo(cr[j..]);
                (o * Tanh(cell)).CopyTo(hr[j..]);
            }

            for (; j < hidden; j++)
            {
                float i = Sigmoid(ig[j]), f = Sigmoid(fg[j]), g = MathF.Tanh(gg[j]), o = Sigmoid(og[j]);
                (ig[j], fg[j], gg[j], og[j]) = (i, f, g, o);
                cr[j] = (f * cp[j]) + (i * g);
                hr[j] = o * MathF.Tanh(cr[j]);
            }
        }
    }

    /// <summary>
    /// One step's cell backward: from <c>dh</c> and the next step's <c>dc</c> (replaced by this
    /// step's, carried to the previous one), the gradients of the gates' pre-activations.
    /// </summary>
    public static void LstmCellBackward(ReadOnlySpan<float> gates, ReadOnlySpan<float> cPrevious, ReadOnlySpan<float> c, ReadOnlySpan<float> dh, Span<float> dc, Span<float> dGates, int n, int hidden)
    {
        int width = Vector<float>.Count;
        var one = Vector<float>.One;
        for (int r = 0; r < n; r++)
        {
            var row = gates.Slice(r * 4 * hidden, 4 * hidden);
            var dRow = dGates.Slice(r * 4 * hidden, 4 * hidden);
            ReadOnlySpan<float> cp = cPrevious.Slice(r * hidden, hidden), cr = c.Slice(r * hidden, hidden), dhr = dh.Slice(r * hidden, hidden);
            var dcr = dc.Slice(r * hidden, hidden);
            int j = 0;
            for (; j + width <= hidden; j += width)
            {
                var i = new Vector<float>(row[j..]);
                var f = new Vector<float>(row[(hidden + j)..]);
                var g = new Vector<float>(row[((2 * hidden) + j)..]);
                var o = new Vector<float>(row[((3 * hidden) + j)..]);
                var d = new Vector<float>(dhr[j..]);
                var tanhC = Tanh(new Vector<float>(cr[j..]));
                var dCell = new Vector<float>(dcr[j..]) + (d * o * (one - (tanhC * tanhC)));
                (dCell * g * i * (one - i)).CopyTo(dRow[j..]);
                (dCell * new Vector<float>(cp[j..]) * f * (one - f)).CopyTo(dRow[(hidden + j)..]);
                (dCell * i * (one - (g * g))).CopyTo(dRow[((2 * hidden) + j)..]);
                (d * tanhC * o * (one - o)).CopyTo(dRow[((3 * hidden) + j)..]);
                (dCell * f).CopyTo(dcr[j..]);
            }

            for (; j < hidden; j++)
            {
                float i = row[j], f = row[hidden + j], g = row[(2 * hidden) + j], o = row[(3 * hidden) + j];
                float tanhC = MathF.Tanh(cr[j]);
                float dCell = dcr[j] + (dhr[j] * o * (1f - (tanhC * tanhC)));
                dRow[j] = dCell * g * i * (1f - i);
                dRow[hidden + j] = dCell * cp[j] * f * (1f - f);
                dRow[(2 * hidden) + j] = dCell * i * (1f - (g * g));
                dRow[(3 * hidden) + j] = dhr[j] * tanhC * o * (1f - o);
                dcr[j] = dCell * f;
            }
        }
    }

    /// <summary>
    /// One GRU step: from the recurrent part <c>W_hh·h' + b_hh</c> in <paramref name="gates"/> and
    /// the input projection, <c>r = σ(p_r + a_r)</c>, <c>z = σ(p_z + a_z)</c>,
    /// <c>n = tanh(p_n + r·a_n)</c>, <c>h = (1 - z)·n + z·h'</c>; the gates become <c>[r, z, n]</c>
    /// and the projection's <c>n</c> slot keeps <c>a_n</c> for backward.
    /// </summary>
    public static void GruCell(Span<float> gates, Span<float> projection, ReadOnlySpan<float> hPrevious, Span<float> h, int n, int hidden)
    {
        for (int row = 0; row < n; row++)
        {
            var a = gates.Slice(row * 3 * hidden, 3 * hidden);
            var p = projection.Slice(row * 3 * hidden, 3 * hidden);
            for (int j = 0; j < hidden; j++)
            {
                float r = Sigmoid(p[j] + a[j]), z = Sigmoid(p[hidden + j] + a[hidden + j]), recurrent = a[(2 * hidden) + j];
                float candidate = MathF.Tanh(p[(2 * hidden) + j] + (r * recurrent));
                a[j] = r;
                a[hidden + j] = z;
                a[(2 * hidden) + j] = candidate;
                p[(2 * hidden) + j] = recurrent;
                int k = (row * hidden) + j;
                h[k] = ((1f - z) * candidate) + (z * hPrevious[k]);
            }
        }
    }

    /// <summary>
    /// One GRU step backward from <c>dh</c>: the input side's gate gradients
    /// <c>[dr, dz, dn]</c> (pre-activation) into <paramref name="dGates"/>, the recurrent side's
    /// <c>[dr, dz, r·dn]</c> over the projection, and <c>z·dh</c> left in <paramref name="dh"/>.
    /// </summary>
    public static void GruCellBackward(ReadOnlySpan<float> gates, Span<float> projection, ReadOnlySpan<float> hPrevious, Span<float> dh, Span<float> dGates, int n, int hidden)
    {
        for (int row = 0; row < n; row++)
        {
            var g = gates.Slice(row * 3 * hidden, 3 * hidden);
            var p = projection.Slice(row * 3 * hidden, 3 * hidden);
            var d = dGates.Slice(row * 3 * hidden, 3 * hidden);
            for (int j = 0; j < hidden; j++)
            {
                int k = (row * hidden) + j;
                float r = g[j], z = g[hidden + j], candidate = g[(2 * hidden) + j], recurrent = p[(2 * hidden) + j];
                float dCandidate = dh[k] * (1f - z) * (1f - (candidate * candidate));
                float dReset = dCandidate * recurrent * r * (1f - r);
                float dUpdate = dh[k] * (hPrevious[k] - candidate) * z * (1f - z);
                d[j] = p[j] = dReset;
                d[hidden + j] = p[hidden + j] = dUpdate;
                d[(2 * hidden) + j] = dCandidate;
                p[(2 * hidden) + j] = dCandidate * r;
                dh[k] *= z;
            }
        }
    }

    /// <summary>A plain RNN step: <c>h = tanh(a)</c> or <c>relu(a)</c> of the pre-activations in <paramref name="gates"/>.</summary>
    public static void PlainCell(ReadOnlySpan<float> gates, Span<float> h, bool relu)
    {
        for (int k = 0; k < h.Length; k++)
        {
            h[k] = relu ? MathF.Max(gates[k], 0f) : MathF.Tanh(gates[k]);
        }
    }

    /// <summary>A plain RNN step backward: the pre-activation gradient from <c>dh</c> and the output.</summary>
    public static void PlainCellBackward(ReadOnlySpan<float> h, ReadOnlySpan<float> dh, Span<float> dGates, bool relu)
    {
        for (int k = 0; k < h.Length; k++)
        {
            dGates[k] = relu ? (h[k] > 0f ? dh[k] : 0f) : dh[k] * (1f - (h[k] * h[k]));
        }
    }

    private static Span<float> PackedWeight(int length)
    {
        if (t_packedLength < length)
        {
            NativeMemory.AlignedFree(t_packed);
            t_packed = (float*)NativeMemory.AlignedAlloc((nuint)length * sizeof(float), 64);
            t_packedLength = length;
        }

        return new Span<float>(t_packed, length);
    }

    private static Vector<float> Sigmoid(Vector<float> x) => Vector<float>.One / (Vector<float>.One + Vector.Exp(-x));

    // tanh(x) = 2·σ(2x) - 1: one exponential, as the sigmoid gates take.
    private static Vector<float> Tanh(Vector<float> x) => (new Vector<float>(2f) * Sigmoid(x + x)) - Vector<float>.One;

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    /// <summary>The regions of <see cref="RnnScratchLayout"/> as spans.</summary>
    private readonly ref struct Scratch
    {
        private readonly Span<float> _scratch;
        private readonly RnnScratchLayout _at;

        private readonly bool _gatesInProjections;

        public Scratch(Span<float> scratch, RnnScratchLayout at, RnnCell cell)
        {
            _scratch = scratch;
            _at = at;
            _gatesInProjections = cell != RnnCell.Gru;
        }

        public RnnScratchLayout Layout => _at;

        public Span<float> InputsByTime => _scratch.Slice(_at.InputsByTime, _at.Sequence(_at.Inputs));

        public Span<float> Projections => _scratch.Slice(_at.Projections, _at.Sequence(_at.GateWidth));

        public Span<float> Projection(int t) => _scratch.Slice(_at.Projections + (t * _at.Step(_at.GateWidth)), _at.Step(_at.GateWidth));

        /// <summary>Step t's gates: on the CPU an LSTM's and a plain cell's are computed over their projection, which nothing reads later.</summary>
        public Span<float> Gates(int t) => _scratch.Slice((_gatesInProjections ? _at.Projections : _at.Gates) + (t * _at.Step(_at.GateWidth)), _at.Step(_at.GateWidth));

        public Span<float> Cells(int t) => _scratch.Slice(_at.Cells + (t * _at.Step(_at.Hidden)), _at.Step(_at.Hidden));

        public Span<float> Hidden(int t) => _scratch.Slice(_at.HiddenStates + (t * _at.Step(_at.Hidden)), _at.Step(_at.Hidden));

        public Span<float> HiddenByTime => _scratch.Slice(_at.HiddenStates, _at.Sequence(_at.Hidden));

        public Span<float> GateGradients(int t) => _scratch.Slice(_at.GateGradients + (t * _at.Step(_at.GateWidth)), _at.Step(_at.GateWidth));

        public Span<float> GateGradientsFrom(int t) => _scratch.Slice(_at.GateGradients + (t * _at.Step(_at.GateWidth)), (_at.Steps - t) * _at.Step(_at.GateWidth));

        /// <summary>The gate gradients the recurrent weights see: a GRU's own, over its projections; the input side's for the others.</summary>
        public Span<float> RecurrentGradients(int t, RnnCell cell) => cell == RnnCell.Gru ? Projection(t) : GateGradients(t);

        public Span<float> RecurrentGradientsFrom(int t, RnnCell cell)
            => cell == RnnCell.Gru ? _scratch.Slice(_at.Projections + (t * _at.Step(_at.GateWidth)), (_at.Steps - t) * _at.Step(_at.GateWidth)) : GateGradientsFrom(t);

        public Span<float> InputGradientsByTime => _scratch.Slice(_at.InputGradientsByTime, _at.Sequence(_at.Inputs));

        public Span<float> InitialHidden => _scratch.Slice(_at.InitialHidden, _at.Step(_at.Hidden));

        public Span<float> InitialCell => _scratch.Slice(_at.InitialCell, _at.Step(_at.Hidden));

        public Span<float> HiddenGradient => _scratch.Slice(_at.HiddenGradient, _at.Step(_at.Hidden));

        public Span<float> CellGradient => _scratch.Slice(_at.CellGradient, _at.Step(_at.Hidden));

        public Span<float> FinalHiddenGradient => _scratch.Slice(_at.FinalHiddenGradient, _at.Step(_at.Hidden));

        public Span<float> FinalCellGradient => _scratch.Slice(_at.FinalCellGradient, _at.Step(_at.Hidden));
    }
}

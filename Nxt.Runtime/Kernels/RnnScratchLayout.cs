namespace Nxt.Kernels;

/// <summary>
/// Where a fused RNN's regions lie in its node's scratch, for every backend: time-major (step
/// <c>t</c> of a region is rows <c>[t·N, (t+1)·N)</c>), in this order: the inputs transposed
/// <c>(T, N, C)</c>, the input projections and the gates <c>(T, N, G·H)</c>, the cells and
/// hidden states <c>(T, N, H)</c>, the gates' gradients <c>(T, N, G·H)</c>, the inputs'
/// gradients <c>(T, N, C)</c>, then the initial hidden state and cell (zeros, or the states the
/// network gave), the hidden state's and the cell's running gradients, and the gradients of the
/// final hidden state and cell that an <c>RNNState</c> node sends back (zeros otherwise), <c>(N, H)</c> each.
/// <c>G</c> is the cell's gate count (<see cref="RnnCells.Gates"/>); only the LSTM uses the cells.
/// </summary>
internal readonly record struct RnnScratchLayout(int N, int Steps, int Inputs, int Hidden, int GateCount)
{
    /// <summary>
    /// The scratch floats one sample needs. The generator's <c>RnnOperator</c> computes the same
    /// number; one smaller would fail every RNN test with a slice out of range.
    /// </summary>
    public static int PerSample(int steps, int inputs, int hidden, int gateCount) => (2 * steps * inputs) + (3 * steps * gateCount * hidden) + (2 * steps * hidden) + (6 * hidden);

    public int GateWidth => GateCount * Hidden;

    public int Rows => N * Steps;

    public int InputsByTime => 0;

    public int Projections => Sequence(Inputs);

    public int Gates => Projections + Sequence(GateWidth);

    public int Cells => Gates + Sequence(GateWidth);

    public int HiddenStates => Cells + Sequence(Hidden);

    public int GateGradients => HiddenStates + Sequence(Hidden);

    public int InputGradientsByTime => GateGradients + Sequence(GateWidth);

    public int InitialHidden => InputGradientsByTime + Sequence(Inputs);

    public int InitialCell => InitialHidden + (N * Hidden);

    public int HiddenGradient => InitialCell + (N * Hidden);

    public int CellGradient => HiddenGradient + (N * Hidden);

    public int FinalHiddenGradient => CellGradient + (N * Hidden);

    public int FinalCellGradient => FinalHiddenGradient + (N * Hidden);

    /// <summary>Floats of one step of a region <paramref name="width"/> wide.</summary>
    public int Step(int width) => N * width;

    /// <summary>Floats of a whole region <paramref name="width"/> wide.</summary>
    public int Sequence(int width) => Steps * N * width;
}

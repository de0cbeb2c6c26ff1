namespace Nxt.Kernels;

/// <summary>
/// Where an LSTM's regions lie in its node's scratch, for every backend: time-major (step
/// <c>t</c> of a region is rows <c>[t·N, (t+1)·N)</c>), in this order: the inputs transposed
/// <c>(T, N, C)</c>, the input projections and the activated gates <c>(T, N, 4H)</c>, the cells
/// and hidden states <c>(T, N, H)</c>, the gates' gradients <c>(T, N, 4H)</c>, the inputs'
/// gradients <c>(T, N, C)</c>, then zeros (the initial states), the hidden state's and the
/// cell's running gradients <c>(N, H)</c> each, and one spare <c>(N, H)</c>.
/// </summary>
internal readonly record struct LstmScratchLayout(int N, int Steps, int Inputs, int Hidden)
{
    /// <summary>The scratch floats one sample needs.</summary>
    public static int PerSample(int steps, int inputs, int hidden) => (2 * steps * inputs) + (3 * steps * 4 * hidden) + (2 * steps * hidden) + (4 * hidden);

    public int GateWidth => 4 * Hidden;

    public int Rows => N * Steps;

    public int InputsByTime => 0;

    public int Projections => Sequence(Inputs);

    public int Gates => Projections + Sequence(GateWidth);

    public int Cells => Gates + Sequence(GateWidth);

    public int HiddenStates => Cells + Sequence(Hidden);

    public int GateGradients => HiddenStates + Sequence(Hidden);

    public int InputGradientsByTime => GateGradients + Sequence(GateWidth);

    public int Zeros => InputGradientsByTime + Sequence(Inputs);

    public int HiddenGradient => Zeros + (N * Hidden);

    public int CellGradient => HiddenGradient + (N * Hidden);

    /// <summary>Floats of one step of a region <paramref name="width"/> wide.</summary>
    public int Step(int width) => N * width;

    /// <summary>Floats of a whole region <paramref name="width"/> wide.</summary>
    public int Sequence(int width) => Steps * N * width;
}

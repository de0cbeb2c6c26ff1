namespace Nxt.Kernels;

/// <summary>
/// Which of a fused RNN's layer-and-direction runs a kernel call is: the reverse direction reads
/// and writes the sequence from its last step back, every direction writes its hidden states
/// into its own <c>H</c> columns of the layer's <c>(N, T, D·H)</c> output, and its initial and
/// final states are slot <see cref="StateSlot"/> of MXNet's <c>(L·D)</c> states (per sample here,
/// as every Nxt value has the batch first).
/// </summary>
/// <param name="Layer">The layer, from 0 at the input.</param>
/// <param name="Layers">MXNet <c>num_layers</c>.</param>
/// <param name="Direction">0 forward in time, 1 backward.</param>
/// <param name="Directions">2 when bidirectional, else 1.</param>
public readonly record struct RnnLane(int Layer, int Layers, int Direction, int Directions)
{
    /// <summary>One layer, one direction: the whole operator.</summary>
    public static RnnLane Single { get; } = new(0, 1, 0, 1);

    /// <summary>Whether this run goes from the last step back to the first.</summary>
    public bool Reverse => Direction == 1;

    /// <summary>This run's initial and final states among MXNet's <c>L·D</c> (layer-major, direction inside).</summary>
    public int StateSlot => (Layer * Directions) + Direction;

    /// <summary><c>L·D</c>: the states one sample holds.</summary>
    public int StateSlots => Layers * Directions;

    /// <summary>The batch-major step a time-major step <paramref name="t"/> of this run reads and writes.</summary>
    public int SequenceStep(int t, int steps) => Reverse ? steps - 1 - t : t;
}

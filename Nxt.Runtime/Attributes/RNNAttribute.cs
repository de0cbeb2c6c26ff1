namespace Nxt;

/// <summary>The recurrent cell of <see cref="RNNAttribute"/> (MXNet <c>mode</c>).</summary>
public enum RnnMode
{
    /// <summary>Long short-term memory: gates <c>[i, f, g, o]</c>, a cell state besides the hidden state.</summary>
    Lstm,
    /// <summary>Gated recurrent unit: gates <c>[r, z, n]</c>.</summary>
    Gru,
    /// <summary>A plain recurrence through tanh.</summary>
    RnnTanh,
    /// <summary>A plain recurrence through relu.</summary>
    RnnRelu,
}

/// <summary>How <see cref="RNNAttribute"/>'s sequences lie: batch-major <c>(N, T, C)</c> or MXNet's default time-major <c>(T, N, C)</c>.</summary>
public enum RnnLayout
{
    /// <summary>Time-major, MXNet's default: not a layout Nxt's batch-first values can take.</summary>
    Tnc,
    /// <summary>Batch-major: a sample is <c>(T, C)</c>.</summary>
    Ntc,
}

/// <summary>
/// MXNet's fused <c>RNN</c> operator over a sequence <c>(N, T, C)</c>: the hidden state of every
/// step, <c>(N, T, StateSize)</c>, from zero initial states. Its parameters are MXNet's
/// unfused names for layer 0, <c>NAME_l0_i2h_weight (4H, C)</c>, <c>NAME_l0_h2h_weight (4H, H)</c>,
/// <c>NAME_l0_i2h_bias</c> and <c>NAME_l0_h2h_bias</c>, consecutive in that order, which is the
/// layout of MXNet's flattened <c>parameters</c> for one layer, gates in MXNet's order.
/// Nxt has so far <see cref="RnnMode.Lstm"/>, one layer, one direction and <see cref="RnnLayout.Ntc"/>;
/// the other values are a build error.
/// </summary>
public sealed class RNNAttribute : LayerAttribute
{
    /// <summary>Declares a recurrent layer of <paramref name="stateSize"/> hidden units.</summary>
    public RNNAttribute(int stateSize) => StateSize = stateSize;

    /// <summary>The hidden units (MXNet <c>state_size</c>).</summary>
    public int StateSize { get; }

    /// <summary>The cell (MXNet <c>mode</c>); LSTM by default.</summary>
    public RnnMode Mode { get; set; } = RnnMode.Lstm;

    /// <summary>Stacked layers (MXNet <c>num_layers</c>).</summary>
    public int NumLayers { get; set; } = 1;

    /// <summary>Both directions (MXNet <c>bidirectional</c>).</summary>
    public bool Bidirectional { get; set; }

    /// <summary>How the sequence lies; batch-major here, as every Nxt value has the batch first.</summary>
    public RnnLayout Layout { get; set; } = RnnLayout.Ntc;
}

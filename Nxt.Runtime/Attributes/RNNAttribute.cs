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
/// MXNet's fused <c>RNN</c> operator over a sequence <c>(N, T, C)</c>: the top layer's hidden
/// state at every step, <c>(N, T, D·StateSize)</c> (<c>D</c> = 2 when
/// <see cref="Bidirectional"/>: the forward direction's units, then the reverse one's). Its
/// parameters are MXNet's flattened <c>parameters</c> under the names MXNet's <c>unfuse()</c>
/// gives them, in MXNet's flat order: for every layer <c>k</c> and direction (<c>l</c> forward,
/// <c>r</c> reverse) <c>NAME_lk_i2h_weight (G·H, C)</c> and <c>NAME_lk_h2h_weight (G·H, H)</c>,
/// then every <c>NAME_lk_i2h_bias</c> and <c>NAME_lk_h2h_bias (G·H)</c>, gates in MXNet's order;
/// an MXNet <c>NAME_parameters</c> in a checkpoint splits into them on load.
/// The initial states are zero unless <see cref="State"/> (and an LSTM's <see cref="StateCell"/>)
/// name nodes of sample shape <c>(NumLayers·D, StateSize)</c>: MXNet's <c>(L·D, N, H)</c> with the
/// batch first. The final states (MXNet's <c>state_outputs</c>) are <see cref="RNNStateAttribute"/> nodes.
/// </summary>
public sealed class RNNAttribute : LayerAttribute
{
    /// <summary>Declares a recurrent layer of <paramref name="stateSize"/> hidden units.</summary>
    public RNNAttribute(int stateSize) => StateSize = stateSize;

    /// <summary>The hidden units (MXNet <c>state_size</c>).</summary>
    public int StateSize { get; }

    /// <summary>The cell (MXNet <c>mode</c>); LSTM by default.</summary>
    public RnnMode Mode { get; set; } = RnnMode.Lstm;

    /// <summary>Stacked layers (MXNet <c>num_layers</c>): each reads the previous one's output.</summary>
    public int NumLayers { get; set; } = 1;

    /// <summary>Both directions (MXNet <c>bidirectional</c>): each layer's output is the two directions' side by side.</summary>
    public bool Bidirectional { get; set; }

    /// <summary>Dropout on each layer's output but the last, in training (MXNet <c>p</c>); 0 by default.</summary>
    public double P { get; set; }

    /// <summary>The node holding the initial hidden states (MXNet <c>state</c>), <c>(NumLayers·D, StateSize)</c> a sample; zeros when unset. The sequence is then named by <see cref="LayerAttribute.From"/>.</summary>
    public string? State { get; set; }

    /// <summary>An LSTM's initial cells (MXNet <c>state_cell</c>), shaped as <see cref="State"/>; zeros when unset.</summary>
    public string? StateCell { get; set; }

    /// <summary>How the sequence lies; batch-major here, as every Nxt value has the batch first.</summary>
    public RnnLayout Layout { get; set; } = RnnLayout.Ntc;
}

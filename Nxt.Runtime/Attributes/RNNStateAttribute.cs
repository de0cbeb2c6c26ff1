namespace Nxt;

/// <summary>
/// MXNet's <c>state_outputs</c> of the fused <c>RNN</c>: the final hidden states of
/// <paramref name="rnn"/> (an <see cref="RNNAttribute"/> node), or with <see cref="Cell"/> an LSTM's
/// final cells, as a value of sample shape <c>(NumLayers·D, StateSize)</c>, MXNet's
/// <c>(L·D, N, H)</c> with the batch first (the reverse direction's final state is the one after it
/// read the first step). Mark it <see cref="OutputAttribute"/> to return it, or feed it on (a
/// decoder's <see cref="RNNAttribute.State"/>); gradients flow back into the RNN.
/// </summary>
/// <param name="rnn">The RNN node.</param>
public sealed class RNNStateAttribute(string rnn) : NodeAttribute
{
    /// <summary>The RNN node.</summary>
    public string Rnn { get; } = rnn;

    /// <summary>The final cells (MXNet's third output) rather than the hidden states (its second); LSTM only.</summary>
    public bool Cell { get; set; }
}

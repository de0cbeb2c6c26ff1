namespace Nxt;

/// <summary>
/// MXNet <c>SequenceMask</c> with <c>use_sequence_length</c>: in a sequence <c>(N, T, ...)</c>,
/// every step at or past its sample's length (a value of <paramref name="sequenceLength"/>,
/// one per sample, shape <c>(N)</c> or <c>(N, 1)</c>) set to <see cref="Value"/>. The time axis
/// is 1, as a Nxt value has the batch first. The lengths get no gradient.
/// </summary>
/// <param name="data">The sequence.</param>
/// <param name="sequenceLength">The lengths, one per sample (whole numbers; a length past T masks nothing).</param>
public sealed class SequenceMaskAttribute(string data, string sequenceLength) : NodeAttribute
{
    /// <summary>The sequence.</summary>
    public string Data { get; } = data;

    /// <summary>The node holding each sample's length.</summary>
    public string SequenceLength { get; } = sequenceLength;

    /// <summary>What masked steps hold (MXNet <c>value</c>, default 0).</summary>
    public double Value { get; set; }

    /// <summary>The time axis (MXNet <c>axis</c>): 1.</summary>
    public int Axis { get; set; } = 1;
}

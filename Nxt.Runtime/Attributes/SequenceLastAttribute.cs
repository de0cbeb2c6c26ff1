namespace Nxt;

/// <summary>
/// MXNet <c>SequenceLast</c>: the last step of a sequence, <c>(N, T, ...)</c> to <c>(N, ...)</c>.
/// MXNet's default axis is 0 (time-major); a Nxt value has the batch first, so the time axis is
/// 1, the only one this takes.
/// </summary>
public sealed class SequenceLastAttribute : LayerAttribute
{
    /// <summary>The time axis (MXNet <c>axis</c>): 1.</summary>
    public int Axis { get; set; } = 1;
}

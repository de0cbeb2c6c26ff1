using System;

namespace Nxt.Distributed;

/// <summary>
/// Which ranges of the parameter gradients to start summing over the workers as the backward
/// pass finishes them. The backward pass finishes the gradients from the end of the buffer
/// towards its start (parameters are laid out in forward order), and tells how far it has come
/// with <see cref="Ready"/>: a range starts once at least <see cref="MinFloats"/> new floats are
/// final (smaller sums cost more in latency than they win in overlap), cut into pieces of at most
/// <see cref="MaxFloats"/>. What no range has taken when the pass ends (<see cref="Unstarted"/>)
/// is summed at the update. Every
/// worker runs the same plan with the same offsets, so every worker starts the same sums in the
/// same order, as MPI's collectives require.
/// </summary>
internal sealed class GradientBuckets
{
    private readonly (int Start, int Count)[] _ranges;
    private int _started;

    public GradientBuckets(int totalFloats, int minFloats, int maxFloats)
    {
        if (minFloats <= 0 || maxFloats < minFloats)
        {
            throw new ArgumentOutOfRangeException(nameof(minFloats), $"buckets of {minFloats} to {maxFloats} floats");
        }

        TotalFloats = totalFloats;
        MinFloats = minFloats;
        MaxFloats = maxFloats;
        _started = totalFloats;

        // Each start adds at most one piece beyond what its length in whole pieces needs, and there are at most total / min starts.
        _ranges = new (int, int)[(totalFloats / maxFloats) + (totalFloats / minFloats) + 2];
    }

    public int TotalFloats { get; }

    public int MinFloats { get; }

    public int MaxFloats { get; }

    /// <summary>The most ranges one pass can start.</summary>
    public int Capacity => _ranges.Length;

    /// <summary>The ranges started since <see cref="Reset"/>, in the order they started.</summary>
    public ReadOnlySpan<(int Start, int Count)> Started => _ranges.AsSpan(0, StartedCount);

    public int StartedCount { get; private set; }

    /// <summary>
    /// The gradients at offsets from <paramref name="from"/> on are final: returns how many new
    /// ranges start (the last ones of <see cref="Started"/>).
    /// </summary>
    public int Ready(int from) => _started - from >= MinFloats ? StartRange(from) : 0;

    /// <summary>How many floats at the start of the buffer no range has taken yet.</summary>
    public int Unstarted => _started;

    /// <summary>Forgets the started ranges (before the next backward pass).</summary>
    public void Reset()
    {
        _started = TotalFloats;
        StartedCount = 0;
    }

    private int StartRange(int from)
    {
        int before = StartedCount;
        for (int end = _started; end > from; end -= MaxFloats)
        {
            int start = Math.Max(from, end - MaxFloats);
            _ranges[StartedCount++] = (start, end - start);
        }

        _started = from;
        return StartedCount - before;
    }
}

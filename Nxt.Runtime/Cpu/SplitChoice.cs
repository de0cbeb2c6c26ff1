namespace Nxt.Cpu;

/// <summary>
/// Whether a light, repeated piece of work (a batch-1 prediction's largest product) runs faster
/// split over the workers or on its caller alone, measured as it runs. On a virtual machine the
/// answer changes while a process runs: with the two vCPUs near each other the split product takes
/// 3.5 µs against 4.5 on one core (the 784×128 layer on Zen 4), while in some spells (the host's
/// placement) the split one takes 6.4 and the lone one still 4.5. Calls run the way measured
/// faster, timed one in <see cref="TimingInterval"/>; every <see cref="ProbeInterval"/> calls a
/// run of <see cref="ProbeLength"/> goes the other way, timed only over its last calls: the first
/// ones of a run find the weights in the other core's cache (a lone call after split ones reads
/// half of them from the other core), so a single probe would measure the switch, not the way.
/// Both ways give the same bits.
/// </summary>
internal struct SplitChoice
{
    /// <summary>Every this many calls, a run of <see cref="ProbeLength"/> goes the way not preferred.</summary>
    public const int ProbeInterval = 2048;

    /// <summary>The length of a probing run; its last <see cref="TimingInterval"/> calls are timed.</summary>
    public const int ProbeLength = 24;

    /// <summary>One call in this many of the preferred way is timed.</summary>
    public const int TimingInterval = 8;

    // Smoothed cost per unit of work of each way (timer ticks); 0 until first measured.
    private double _splitCost, _aloneCost;
    private int _calls;
    private bool _probeSplits;

    /// <summary>Whether the split way is the faster one measured so far (it is until one-core timings say otherwise).</summary>
    public readonly bool PrefersSplit => _aloneCost == 0 || _splitCost == 0 || _splitCost <= _aloneCost;

    /// <summary>Whether this call splits, and whether it is to be timed and passed to <see cref="Record"/>.</summary>
    public bool Next(out bool timed)
    {
        int call = _calls;
        _calls = (call + 1) % ProbeInterval;
        int probeStart = ProbeInterval - ProbeLength;
        if (call < probeStart)
        {
            timed = call % TimingInterval == 0;
            return PrefersSplit;
        }

        if (call == probeStart)
        {
            _probeSplits = !PrefersSplit; // fixed for the whole run, whatever its timings say meanwhile
        }

        timed = call >= ProbeInterval - TimingInterval;
        return _probeSplits;
    }

    /// <summary>Adds a timed call: <paramref name="ticks"/> for <paramref name="work"/> units of work.</summary>
    public void Record(bool split, long ticks, long work)
    {
        double cost = (double)ticks / System.Math.Max(1, work);
        ref double smoothed = ref split ? ref _splitCost : ref _aloneCost;
        if (smoothed == 0)
        {
            smoothed = cost;
            return;
        }

        // A call the host preempted can take ten times as long: counted at twice the average at
        // most, it moves the average by a quarter, less than the ways differ by (3.5 against 4.5 µs).
        cost = System.Math.Min(cost, 2 * smoothed);
        smoothed += (cost - smoothed) / 4;
    }
}

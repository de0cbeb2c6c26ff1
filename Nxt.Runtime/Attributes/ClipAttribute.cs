namespace Nxt;

/// <summary>
/// MXNet <c>clip(a_min, a_max)</c>: each element limited to <c>[aMin, aMax]</c>. Backward, the
/// gradient passes where the input lies in that range (ends included) and is zero where it was clipped.
/// </summary>
public sealed class ClipAttribute : LayerAttribute
{
    /// <summary>Declares a clip to <c>[aMin, aMax]</c>; both finite, <paramref name="aMin"/> at most <paramref name="aMax"/>.</summary>
    public ClipAttribute(double aMin, double aMax)
    {
        AMin = aMin;
        AMax = aMax;
    }

    /// <summary>The lower bound (MXNet <c>a_min</c>).</summary>
    public double AMin { get; }

    /// <summary>The upper bound (MXNet <c>a_max</c>).</summary>
    public double AMax { get; }
}

namespace Nxt;

/// <summary>
/// MXNet <c>LayerNorm</c> over the last axis: each row normalised to zero mean and unit variance
/// (<c>eps</c> added to the variance), then scaled by <c>NAME_gamma</c> and shifted by
/// <c>NAME_beta</c>, both of the last axis's length.
/// </summary>
public sealed class LayerNormAttribute : LayerAttribute
{
    /// <summary>The axis normalised (MXNet <c>axis</c>): the last, -1.</summary>
    public int Axis { get; set; } = -1;

    /// <summary>Added to the variance (MXNet <c>eps</c>, default 1e-5).</summary>
    public double Eps { get; set; } = 1e-5;
}

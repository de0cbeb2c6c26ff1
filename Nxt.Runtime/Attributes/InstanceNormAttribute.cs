namespace Nxt;

/// <summary>
/// MXNet <c>InstanceNorm</c> over images or sequences (N,C,...): each sample's plane of each
/// channel normalised to zero mean and unit variance (<c>eps</c> added to the variance), then
/// scaled by <c>NAME_gamma</c> and shifted by <c>NAME_beta</c>, one of each per channel.
/// </summary>
public sealed class InstanceNormAttribute : LayerAttribute
{
    /// <summary>Added to the variance (MXNet <c>eps</c>, default 1e-3).</summary>
    public double Eps { get; set; } = 1e-3;
}

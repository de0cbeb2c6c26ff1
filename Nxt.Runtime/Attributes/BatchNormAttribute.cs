namespace Nxt;

/// <summary>
/// MXNet <c>BatchNorm</c> over axis 1. Parameters <c>gamma</c>, <c>beta</c>; auxiliary states
/// <c>moving_mean</c>, <c>moving_var</c>, updated in training and used in inference.
/// </summary>
public sealed class BatchNormAttribute : LayerAttribute
{
    /// <summary>Added to the variance (MXNet default 1e-3).</summary>
    public double Eps { get; set; } = 1e-3;

    /// <summary>Moving statistics keep this share of their old value each batch (MXNet default 0.9).</summary>
    public double Momentum { get; set; } = 0.9;

    /// <summary>Fix gamma at 1 (MXNet's default is true).</summary>
    public bool FixGamma { get; set; } = true;

    /// <summary>Normalise by the moving statistics in training too.</summary>
    public bool UseGlobalStats { get; set; }
}

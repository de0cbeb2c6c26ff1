namespace Nxt;

/// <summary>
/// MXNet <c>FullyConnected</c>: <c>y = x · Wᵀ + b</c> with weight <c>(NumHidden, K)</c> and
/// bias <c>(NumHidden)</c>. With <see cref="Flatten"/> (the default) the input is flattened to
/// <c>(N, K)</c>; without it the layer applies to the last axis.
/// </summary>
public sealed class FullyConnectedAttribute : LayerAttribute
{
    /// <summary>Declares a dense layer with <paramref name="numHidden"/> outputs.</summary>
    public FullyConnectedAttribute(int numHidden) => NumHidden = numHidden;

    /// <summary>The number of output units.</summary>
    public int NumHidden { get; }

    /// <summary>Leave out the bias term.</summary>
    public bool NoBias { get; set; }

    /// <summary>Flatten all but the batch axis first (MXNet default true).</summary>
    public bool Flatten { get; set; } = true;
}

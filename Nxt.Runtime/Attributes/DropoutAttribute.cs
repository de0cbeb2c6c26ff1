namespace Nxt;

/// <summary>
/// MXNet <c>Dropout</c>: in training, zeroes each element with probability <see cref="P"/> and
/// scales the rest by <c>1/(1-p)</c>; in inference, the identity.
/// </summary>
public sealed class DropoutAttribute : LayerAttribute
{
    /// <summary>Declares dropout with drop probability <paramref name="p"/> in [0, 1).</summary>
    public DropoutAttribute(double p = 0.5) => P = p;

    /// <summary>The probability of dropping an element.</summary>
    public double P { get; }
}

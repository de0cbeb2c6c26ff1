namespace Nxt;

/// <summary>The activations of MXNet's <c>LeakyReLU</c> operator.</summary>
public enum LeakyAct
{
    /// <summary><c>x</c> if positive, else <c>slope·x</c>.</summary>
    Leaky,
    /// <summary><c>x</c> if positive, else <c>slope·(eˣ - 1)</c>.</summary>
    Elu,
    /// <summary><c>x</c> if positive, else <c>gamma[c]·x</c> with a learned slope per channel (<c>NAME_gamma</c>).</summary>
    PRelu,
    /// <summary><c>x·Φ(x)</c>.</summary>
    Gelu,
}

/// <summary>MXNet <c>LeakyReLU</c>: leaky, elu, prelu or gelu.</summary>
public sealed class LeakyReLUAttribute : LayerAttribute
{
    /// <summary>Declares the activation (MXNet default leaky).</summary>
    public LeakyReLUAttribute(LeakyAct actType = LeakyAct.Leaky) => ActType = actType;

    /// <summary>Which activation.</summary>
    public LeakyAct ActType { get; }

    /// <summary>The negative slope of leaky and elu (MXNet default 0.25).</summary>
    public double Slope { get; set; } = 0.25;
}

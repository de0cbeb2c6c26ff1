namespace Nxt;

/// <summary>The element-wise activation functions of MXNet's <c>Activation</c> operator.</summary>
public enum Act
{
    /// <summary><c>max(x, 0)</c>.</summary>
    Relu,
    /// <summary><c>1 / (1 + exp(-x))</c>.</summary>
    Sigmoid,
    /// <summary><c>tanh(x)</c>.</summary>
    Tanh,
    /// <summary><c>log(1 + exp(x))</c>.</summary>
    SoftRelu,
    /// <summary><c>x / (1 + |x|)</c>.</summary>
    SoftSign,
}

/// <summary>MXNet <c>Activation</c>: applies <see cref="Act"/> element-wise.</summary>
public sealed class ActivationAttribute : LayerAttribute
{
    /// <summary>Declares an activation of the given type.</summary>
    public ActivationAttribute(Act actType) => ActType = actType;

    /// <summary>The activation function.</summary>
    public Act ActType { get; }
}

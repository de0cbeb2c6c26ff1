using System;

namespace Nxt;

/// <summary>Base of every node attribute: one per field, the field's name is the node's name.</summary>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public abstract class NodeAttribute : Attribute
{
}

/// <summary>
/// Base of the nodes that consume another node. The input is the node declared just above,
/// unless <see cref="From"/> names an earlier one (use <c>nameof</c> so renames follow).
/// </summary>
public abstract class LayerAttribute : NodeAttribute
{
    /// <summary>The node this layer reads, when it is not the one declared just above.</summary>
    public string? From { get; set; }
}

/// <summary>
/// The network's data input. The arguments are the shape of one sample; the batch dimension
/// is implicit and comes from <c>Bind</c>. Named <c>data</c> by MXNet convention.
/// </summary>
public sealed class InputAttribute : NodeAttribute
{
    /// <summary>Declares an input whose samples have the given shape, e.g. <c>[Input(784)]</c>.</summary>
    public InputAttribute(params int[] shape) => Shape = shape;

    /// <summary>The shape of one sample.</summary>
    public int[] Shape { get; }
}

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

/// <summary>MXNet <c>Flatten</c>: <c>(N, d1, d2, ...)</c> to <c>(N, d1·d2·...)</c>.</summary>
public sealed class FlattenAttribute : LayerAttribute
{
}

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


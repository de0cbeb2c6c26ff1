namespace Nxt;

/// <summary>Base of the element-wise arithmetic nodes: two named nodes, or one node and a <see cref="Scalar"/>.</summary>
public abstract class ElementwiseAttribute : NodeAttribute
{
    /// <summary>Names the operands: two nodes; or one (or none: the node above) with a <see cref="Scalar"/>.</summary>
    protected ElementwiseAttribute(string[] inputs) => Inputs = inputs;

    /// <summary>The operand nodes.</summary>
    public string[] Inputs { get; }

    /// <summary>A constant second operand (MXNet's <c>_plus_scalar</c> and friends).</summary>
    public double Scalar { get; set; }
}

/// <summary>Element-wise <c>a + b</c> (<c>elemwise_add</c>), or <c>x + Scalar</c>; shapes must match.</summary>
public sealed class AddAttribute(params string[] inputs) : ElementwiseAttribute(inputs);

/// <summary>Element-wise <c>a - b</c>, or <c>x - Scalar</c>.</summary>
public sealed class SubAttribute(params string[] inputs) : ElementwiseAttribute(inputs);

/// <summary>Element-wise <c>a · b</c>, or <c>x · Scalar</c>.</summary>
public sealed class MulAttribute(params string[] inputs) : ElementwiseAttribute(inputs);

/// <summary>Element-wise <c>a / b</c>, or <c>x / Scalar</c>.</summary>
public sealed class DivAttribute(params string[] inputs) : ElementwiseAttribute(inputs);

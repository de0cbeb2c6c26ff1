namespace Nxt;

/// <summary>
/// MXNet <c>Concat</c>: the named nodes side by side along <see cref="Dim"/> (default 1, the
/// channels); every other dimension must agree.
/// </summary>
public sealed class ConcatAttribute : NodeAttribute
{
    /// <summary>Declares the concatenation of the named nodes (use <c>nameof</c>).</summary>
    public ConcatAttribute(params string[] inputs) => Inputs = inputs;

    /// <summary>The nodes joined, in order.</summary>
    public string[] Inputs { get; }

    /// <summary>The axis, counting the batch as 0 (MXNet default 1).</summary>
    public int Dim { get; set; } = 1;
}

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

/// <summary>MXNet <c>ElementwiseSum</c> (<c>add_n</c>): the sum of two or more nodes of one shape.</summary>
public sealed class ElementwiseSumAttribute : NodeAttribute
{
    /// <summary>Declares the sum of the named nodes.</summary>
    public ElementwiseSumAttribute(params string[] inputs) => Inputs = inputs;

    /// <summary>The nodes summed.</summary>
    public string[] Inputs { get; }
}

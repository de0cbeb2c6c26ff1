namespace Nxt;

/// <summary>MXNet <c>ElementwiseSum</c> (<c>add_n</c>): the sum of two or more nodes of one shape.</summary>
public sealed class ElementwiseSumAttribute : NodeAttribute
{
    /// <summary>Declares the sum of the named nodes.</summary>
    public ElementwiseSumAttribute(params string[] inputs) => Inputs = inputs;

    /// <summary>The nodes summed.</summary>
    public string[] Inputs { get; }
}

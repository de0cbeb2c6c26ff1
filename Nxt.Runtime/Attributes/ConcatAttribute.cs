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

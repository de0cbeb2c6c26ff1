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

using System;

namespace Nxt;

/// <summary>
/// Marks a <c>partial class</c> as a reusable block of nodes (a residual unit, an inception
/// module). Its first member is a <see cref="BlockInputAttribute"/>; the others are nodes as in
/// a network. A network uses it with <see cref="UseAttribute{TBlock}"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class BlockAttribute : Attribute
{
}

/// <summary>The value a block reads: whatever the node that uses the block reads.</summary>
public sealed class BlockInputAttribute : NodeAttribute
{
}

/// <summary>
/// Uses the block <typeparamref name="TBlock"/> as a layer, <see cref="Repeat"/> times in a
/// row. Its nodes are named after this member, MXNet style: <c>stage1_unit2_conv1</c> (with
/// one repeat, <c>stage1_conv1</c>); this member is the output of the last unit.
/// </summary>
/// <typeparam name="TBlock">A class marked <see cref="BlockAttribute"/>.</typeparam>
public sealed class UseAttribute<TBlock> : LayerAttribute
    where TBlock : class
{
    /// <summary>How many units, each reading the one before (default 1).</summary>
    public int Repeat { get; set; } = 1;
}

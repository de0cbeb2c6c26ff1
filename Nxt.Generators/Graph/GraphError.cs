using Nxt.Generators.Model;

namespace Nxt.Generators.Graph;

/// <summary>Every kind of mistake the shape core finds; the analyzers give each an <c>NXT</c> ID.</summary>
internal enum ErrorCode
{
    /// <summary>NXT0001: an input shape the operator cannot take.</summary>
    ShapeMismatch = 1,
    /// <summary>NXT0002: <c>From</c> names no node.</summary>
    UnknownReference = 2,
    /// <summary>NXT0003: <c>From</c> names the node itself or one declared after it.</summary>
    ForwardReference = 3,
    /// <summary>NXT0004: an argument outside its valid range.</summary>
    ParameterOutOfRange = 4,
    /// <summary>NXT0005: the network has no <c>[Input]</c>, or a layer comes before any input.</summary>
    MissingInput = 5,
    /// <summary>NXT0006: the class (or a class containing it) is not <c>partial</c>.</summary>
    NotPartial = 6,
    /// <summary>NXT0007: the class derives from something other than <c>Nxt.Module</c>.</summary>
    ConflictingBase = 7,
    /// <summary>NXT0008: two nodes, parameters or labels share a name.</summary>
    DuplicateName = 8,
    // NXT0009 (a network without a loss layer) is retired: such a network is an inference graph.
    /// <summary>NXT0010: a loss layer is not the last node, or another node reads it.</summary>
    LossNotLast = 10,
    /// <summary>NXT0011: a member the generator cannot use (wrong type, static, two node attributes, a second input).</summary>
    UnsupportedMember = 11,
    /// <summary>NXT0012: an MXNet symbol file that cannot be imported (missing, malformed, an op Nxt lacks, a data input without an <c>[Input]</c>).</summary>
    SymbolImport = 12,
}

/// <summary>
/// One error: its kind, the node at fault (-1: the class), the attribute argument at fault
/// (a constructor parameter or property name, or null for the whole attribute), the position
/// within a <c>params</c> argument (-1: all of it) and the message.
/// </summary>
/// <param name="Suggestion">A node name the argument most likely meant, for a code fix to offer.</param>
/// <param name="Member">A member of the class at fault that is not a node, or null.</param>
internal sealed record GraphError(ErrorCode Code, int NodeIndex, string? Argument, string Message, int Position = -1, string? Suggestion = null, string? Member = null);

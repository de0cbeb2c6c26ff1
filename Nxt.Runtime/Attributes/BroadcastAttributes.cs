namespace Nxt;

/// <summary>
/// Base of MXNet's broadcast element-wise operations on two nodes of the same rank: along each
/// axis their sizes are equal, or one of them is 1 and is repeated (MXNet <c>broadcast_*</c>),
/// e.g. <c>(N, C, H, W) · (N, C, 1, 1)</c>.
/// </summary>
public abstract class BroadcastAttribute(string lhs, string rhs) : NodeAttribute
{
    /// <summary>The left operand (MXNet <c>lhs</c>).</summary>
    public string Lhs { get; } = lhs;

    /// <summary>The right operand (MXNet <c>rhs</c>).</summary>
    public string Rhs { get; } = rhs;
}

/// <summary>MXNet <c>broadcast_add</c>: <c>lhs + rhs</c> with broadcasting.</summary>
public sealed class BroadcastAddAttribute(string lhs, string rhs) : BroadcastAttribute(lhs, rhs);

/// <summary>MXNet <c>broadcast_sub</c>: <c>lhs - rhs</c> with broadcasting.</summary>
public sealed class BroadcastSubAttribute(string lhs, string rhs) : BroadcastAttribute(lhs, rhs);

/// <summary>MXNet <c>broadcast_mul</c>: <c>lhs · rhs</c> with broadcasting.</summary>
public sealed class BroadcastMulAttribute(string lhs, string rhs) : BroadcastAttribute(lhs, rhs);

/// <summary>MXNet <c>broadcast_div</c>: <c>lhs / rhs</c> with broadcasting.</summary>
public sealed class BroadcastDivAttribute(string lhs, string rhs) : BroadcastAttribute(lhs, rhs);

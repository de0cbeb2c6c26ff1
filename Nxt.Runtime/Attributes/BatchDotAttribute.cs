namespace Nxt;

/// <summary>
/// MXNet <c>batch_dot</c>: for every sample (and every index of any axes before the last two),
/// the matrix product of <paramref name="lhs"/>'s last two axes with <paramref name="rhs"/>'s,
/// <c>(N, ..., M, K) · (N, ..., K, P)</c> to <c>(N, ..., M, P)</c>, either operand transposed first.
/// </summary>
/// <param name="lhs">The left operand.</param>
/// <param name="rhs">The right operand.</param>
public sealed class BatchDotAttribute(string lhs, string rhs) : NodeAttribute
{
    /// <summary>The left operand (MXNet <c>lhs</c>).</summary>
    public string Lhs { get; } = lhs;

    /// <summary>The right operand (MXNet <c>rhs</c>).</summary>
    public string Rhs { get; } = rhs;

    /// <summary>Use the left operand's last two axes swapped (MXNet <c>transpose_a</c>).</summary>
    public bool TransposeA { get; set; }

    /// <summary>Use the right operand's last two axes swapped (MXNet <c>transpose_b</c>).</summary>
    public bool TransposeB { get; set; }
}

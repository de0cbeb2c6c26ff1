namespace Nxt;

/// <summary>
/// MXNet <c>dot</c> of a node and a learned matrix: <paramref name="lhs"/>'s last axis against
/// the first of <paramref name="rhs"/>, a 2-D <see cref="VariableAttribute"/>, so
/// <c>(N, ..., K) · (K, M)</c> gives <c>(N, ..., M)</c>. (MXNet's dot of two batched values would
/// pair every sample with every other; that is <see cref="BatchDotAttribute"/>'s job per sample.)
/// </summary>
/// <param name="lhs">The node multiplied.</param>
/// <param name="rhs">A <c>[Variable(K, M)]</c> (or <c>(M, K)</c> with <see cref="TransposeB"/>).</param>
public sealed class DotAttribute(string lhs, string rhs) : NodeAttribute
{
    /// <summary>The left operand (MXNet <c>lhs</c>).</summary>
    public string Lhs { get; } = lhs;

    /// <summary>The matrix (MXNet <c>rhs</c>).</summary>
    public string Rhs { get; } = rhs;

    /// <summary>Use the matrix transposed (MXNet <c>transpose_b</c>).</summary>
    public bool TransposeB { get; set; }

    /// <summary>
    /// MXNet <c>transpose_a</c>, which sums over the first axis of <see cref="Lhs"/>: here that is
    /// the batch, so it is a build error pointing to <see cref="BatchDotAttribute.TransposeA"/>.
    /// </summary>
    public bool TransposeA { get; set; }
}

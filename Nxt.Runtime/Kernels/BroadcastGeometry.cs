namespace Nxt.Kernels;

/// <summary>
/// The sample shapes of a broadcast element-wise operation, each padded in front with 1s to four
/// axes: the output <c>(O0..O3)</c> and the operands <c>(A0..A3)</c>, <c>(B0..B3)</c>, whose
/// every axis is the output's or 1 (broadcast along it).
/// </summary>
public readonly record struct BroadcastGeometry(int O0, int O1, int O2, int O3, int A0, int A1, int A2, int A3, int B0, int B1, int B2, int B3)
{
    internal int OutLength => O0 * O1 * O2 * O3;

    internal int ALength => A0 * A1 * A2 * A3;

    internal int BLength => B0 * B1 * B2 * B3;

    /// <summary>Where output element (i0..i3) reads operand A within its sample.</summary>
    internal int AIndex(int i0, int i1, int i2, int i3) => Offset(i0, i1, i2, i3, A0, A1, A2, A3);

    /// <summary>Where output element (i0..i3) reads operand B within its sample.</summary>
    internal int BIndex(int i0, int i1, int i2, int i3) => Offset(i0, i1, i2, i3, B0, B1, B2, B3);

    // An axis of size 1 is broadcast: every output coordinate along it reads its one element.
    internal static int Offset(int i0, int i1, int i2, int i3, int d0, int d1, int d2, int d3)
        => (((((((d0 == 1 ? 0 : i0) * d1) + (d1 == 1 ? 0 : i1)) * d2) + (d2 == 1 ? 0 : i2)) * d3) + (d3 == 1 ? 0 : i3));
}

using System;

namespace Nxt.Cpu;

/// <summary>
/// MXNet <c>batch_dot</c>: <c>C_i (+)= op(A_i) · op(B_i)</c> for <c>batches</c> dense row-major
/// matrices side by side, each product one GEMM. The forward pass is one such call; each
/// operand's gradient another, with the operands and transposes the generator chose.
/// </summary>
public static class BatchDotKernels
{
    /// <summary><c>c_i (rows × columns) (+)= op(a_i) · op(b_i)</c> over <paramref name="inner"/>.</summary>
    public static void Product(ReadOnlySpan<float> a, bool transposeA, ReadOnlySpan<float> b, bool transposeB, Span<float> c, int batches, int rows, int columns, int inner, bool accumulate)
    {
        int aLength = rows * inner, bLength = inner * columns, cLength = rows * columns;
        for (int i = 0; i < batches; i++)
        {
            Gemm.Multiply(a.Slice(i * aLength, aLength), transposeA, b.Slice(i * bLength, bLength), transposeB, c.Slice(i * cLength, cLength), rows, columns, inner, accumulate);
        }
    }
}

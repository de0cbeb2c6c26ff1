using Nxt.Cpu;

namespace Nxt.Runtime.Tests.Kernels;

/// <summary>
/// The products of a dense layer with a handful of units over a large input, or of a small batch:
/// a few columns over a long k (<see cref="LongDotProducts"/>, k in fixed blocks) and a few rows
/// of wide rows (<see cref="ScaledRowSums"/>, C in column blocks), both split over the workers.
/// </summary>
public class LongProductTests
{
    [Theory]
    [InlineData(8, 2, (3 * 4096) + 37)] // the tutorial head's shape, scaled down: 4 k blocks, the last short
    [InlineData(5, 3, 4097)] // one float past a block
    [InlineData(3, 1, (2 * 4096) + 5)] // a batch of 3 (the small-rows path)
    [InlineData(1, 4, 9000)] // batch 1, four units
    public void Few_columns_over_a_long_k_match_the_naive_result(int m, int n, int k)
    {
        var a = TestData.Random(m * k, 21);
        var b = TestData.Random(n * k, 22);
        var c = TestData.Random(m * n, 23);
        var expected = GemmTests.Naive(a, false, b, true, m, n, k);
        foreach (bool accumulate in new[] { false, true })
        {
            var actual = (float[])c.Clone();
            Gemm.Multiply(a, false, b, true, actual, m, n, k, accumulate);
            var wanted = accumulate ? expected.Select((v, i) => v + c[i]).ToArray() : expected;
            TestData.AssertClose(wanted, actual, 1e-3, 1e-4, $"C (+)= A·Bᵀ, m={m} n={n} k={k} accumulate={accumulate}");
        }
    }

    [Theory]
    [InlineData(2, 5000, 8, true)] // a 2-unit layer's weight gradient (dyᵀ · x) over 5,000 inputs: 5 column blocks, a scalar tail
    [InlineData(1, 2048, 3, true)] // two whole blocks
    [InlineData(3, 3001, 5, false)] // a batch of 3's input gradient (dy · W)
    [InlineData(4, 700, 9, false)] // less than one block
    public void Few_rows_of_wide_rows_match_the_naive_result(int m, int n, int k, bool transposeA)
    {
        var a = TestData.Random(m * k, 24);
        var b = TestData.Random(k * n, 25);
        var c = TestData.Random(m * n, 26);
        var expected = GemmTests.Naive(a, transposeA, b, false, m, n, k);
        foreach (bool accumulate in new[] { false, true })
        {
            var actual = (float[])c.Clone();
            Gemm.Multiply(a, transposeA, b, false, actual, m, n, k, accumulate);
            var wanted = accumulate ? expected.Select((v, i) => v + c[i]).ToArray() : expected;
            TestData.AssertClose(wanted, actual, 1e-4, 1e-4, $"C (+)= op(A)·B, m={m} n={n} k={k} transA={transposeA} accumulate={accumulate}");
        }
    }

    [Fact]
    public unsafe void Long_dot_products_give_the_same_bits_in_any_split()
    {
        const int m = 6, n = 2, k = (5 * 4096) + 300;
        var a = TestData.Random(m * k, 27);
        var b = TestData.Random(n * k, 28);
        var c = TestData.Random(m * n, 29);
        foreach (bool accumulate in new[] { false, true })
        {
            float[]? first = null;
            foreach (int parts in new[] { 1, 2, 3, 6 })
            {
                var actual = (float[])c.Clone();
                fixed (float* pa = a)
                fixed (float* pb = b)
                fixed (float* pc = actual)
                {
                    LongDotProducts.MultiplyInParts(pa, pb, pc, m, n, k, accumulate, parts);
                }

                first ??= actual;
                Assert.Equal(first, actual);
            }

            var wanted = GemmTests.Naive(a, false, b, true, m, n, k).Select((v, i) => accumulate ? v + c[i] : v).ToArray();
            TestData.AssertClose(wanted, first!, 1e-3, 1e-4, $"blocked A·Bᵀ, accumulate={accumulate}");
        }
    }

    [Fact]
    public unsafe void Scaled_row_sums_give_the_same_bits_in_any_split()
    {
        const int m = 3, n = (4 * 1024) + 13, k = 7;
        var a = TestData.Random(m * k, 30);
        var b = TestData.Random(k * n, 31);
        var c = TestData.Random(m * n, 32);
        foreach (bool transposeA in new[] { false, true })
        {
            float[]? first = null;
            foreach (int parts in new[] { 1, 2, 3, 5 })
            {
                var actual = (float[])c.Clone();
                fixed (float* pa = a)
                fixed (float* pb = b)
                fixed (float* pc = actual)
                {
                    ScaledRowSums.MultiplyInParts(pa, transposeA, pb, pc, m, n, k, accumulate: true, parts);
                }

                first ??= actual;
                Assert.Equal(first, actual);
            }

            var wanted = GemmTests.Naive(a, transposeA, b, false, m, n, k).Select((v, i) => v + c[i]).ToArray();
            TestData.AssertClose(wanted, first!, 1e-4, 1e-4, $"column-blocked op(A)·B, transA={transposeA}");
        }
    }
}

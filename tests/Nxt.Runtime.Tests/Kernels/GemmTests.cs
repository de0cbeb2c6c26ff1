using Nxt.Cpu;

namespace Nxt.Runtime.Tests.Kernels;

public class GemmTests
{
    public static TheoryData<int, int, int> OddSizes()
    {
        var data = new TheoryData<int, int, int>();
        int[] sizes = [1, 3, 7, 10, 63, 65, 257]; // 3: the small-row and dot-product paths; 7, 10, 63: 1-, 4- and 3-row edge strips on the 6-row kernel
        foreach (int m in sizes)
        {
            foreach (int n in sizes)
            {
                foreach (int k in new[] { 1, 65, 80, 257 }) // 80: the batch-1 dot path's 32- and 16-float steps both
                {
                    data.Add(m, n, k);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(OddSizes))]
    public void Matches_a_naive_triple_loop_for_every_transpose(int m, int n, int k)
    {
        var a = TestData.Random(m * k, 1);
        var b = TestData.Random(k * n, 2);
        foreach (bool ta in new[] { false, true })
        {
            foreach (bool tb in new[] { false, true })
            {
                var expected = Naive(a, ta, b, tb, m, n, k);
                var actual = new float[m * n];
                Gemm.Multiply(a, ta, b, tb, actual, m, n, k);
                TestData.AssertClose(expected, actual, 1e-4, 1e-4, $"C = op(A)·op(B), m={m} n={n} k={k} transA={ta} transB={tb}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(OddSizes))]
    public void A_B_packed_once_gives_the_same_products_as_packing_on_every_call(int m, int n, int k)
    {
        var a = TestData.Random(m * k, 6);
        var b = TestData.Random(k * n, 7);
        var c = TestData.Random(m * n, 8);
        foreach (bool tb in new[] { false, true })
        {
            var packed = new float[Gemm.PackedLength(n, k)];
            Gemm.Pack(b, tb, packed, n, k);
            foreach (bool accumulate in new[] { false, true })
            {
                var expected = (float[])c.Clone();
                Gemm.Multiply(a, false, b, tb, expected, m, n, k, accumulate);
                var actual = (float[])c.Clone();
                Gemm.MultiplyPacked(a, b, tb, packed, actual, m, n, k, accumulate);
                TestData.AssertClose(expected, actual, 1e-5, 1e-5, $"packed op(B), m={m} n={n} k={k} transB={tb} accumulate={accumulate}");
            }
        }
    }

    [Fact]
    public void Accumulate_adds_to_what_C_holds()
    {
        const int m = 70, n = 33, k = 300; // k > one K block, so the block loop's own accumulation is crossed too
        var a = TestData.Random(m * k, 3);
        var b = TestData.Random(k * n, 4);
        var c = TestData.Random(m * n, 5);
        var expected = Naive(a, false, b, false, m, n, k);
        for (int i = 0; i < expected.Length; i++)
        {
            expected[i] += c[i];
        }

        Gemm.Multiply(a, false, b, false, c, m, n, k, accumulate: true);
        TestData.AssertClose(expected, c, 1e-4, 1e-4, "C += A·B");
    }

    [Fact]
    public void Large_products_split_over_workers_match_the_naive_result()
    {
        const int m = 300, n = 1100, k = 70; // n > NC and enough work to run on every worker
        var a = TestData.Random(m * k, 6);
        var b = TestData.Random(k * n, 7);
        var actual = new float[m * n];
        Gemm.Multiply(a, false, b, true, actual, m, n, k);
        TestData.AssertClose(Naive(a, false, b, true, m, n, k), actual, 1e-4, 1e-4, "parallel C = A·Bᵀ");
    }

    [Theory]
    [InlineData(27, 18, 20_011)] // a convolution's weight gradient over many pixels (the dot path on AVX-512): 6 k blocks, 3 rows and 2 columns left over
    [InlineData(7, 6, 20_011)] // fewer rows of B: two longer k blocks
    [InlineData(27, 130, 20_011)] // wider: the packed GEMM's 79 K blocks
    public void Long_inner_dimensions_in_k_blocks_match_the_naive_result(int m, int n, int k)
    {
        var a = TestData.Random(m * k, 9);
        var b = TestData.Random(k * n, 10);
        var c = TestData.Random(m * n, 11);
        var expected = Naive(a, false, b, true, m, n, k);
        foreach (bool accumulate in new[] { false, true })
        {
            var actual = (float[])c.Clone();
            Gemm.Multiply(a, false, b, true, actual, m, n, k, accumulate);
            var wanted = accumulate ? expected.Select((v, i) => v + c[i]).ToArray() : expected;
            TestData.AssertClose(wanted, actual, 1e-4, 1e-4, $"C (+)= A·Bᵀ, m={m} n={n} k={k} accumulate={accumulate}");
        }
    }

    [Fact]
    public void Empty_inner_dimension_clears_C_unless_accumulating()
    {
        var c = new float[] { 1, 2, 3, 4 };
        Gemm.Multiply([], false, [], false, c, 2, 2, 0, accumulate: true);
        Assert.Equal([1f, 2, 3, 4], c);
        Gemm.Multiply([], false, [], false, c, 2, 2, 0);
        Assert.Equal([0f, 0, 0, 0], c);
    }

    [Fact]
    public void Too_small_buffers_are_rejected_with_the_sizes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Gemm.Multiply(new float[5], false, new float[6], false, new float[4], 2, 2, 3));
        Assert.Contains("A of 6", ex.Message);
    }

    internal static float[] Naive(float[] a, bool ta, float[] b, bool tb, int m, int n, int k)
    {
        var c = new float[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    float av = ta ? a[(p * m) + i] : a[(i * k) + p];
                    float bv = tb ? b[(j * k) + p] : b[(p * n) + j];
                    sum += (double)av * bv;
                }

                c[(i * n) + j] = (float)sum;
            }
        }

        return c;
    }
}

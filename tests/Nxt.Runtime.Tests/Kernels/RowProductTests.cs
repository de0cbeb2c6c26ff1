using Nxt.Cpu;

namespace Nxt.Runtime.Tests.Kernels;

/// <summary>
/// The batch-1 to batch-4 dense forward (<c>C = A·Bᵀ</c> with a few rows of A): each vector
/// width's kernel against double sums, and split over the workers against one part, bit for bit.
/// </summary>
public unsafe class RowProductTests
{
    [Theory]
    [InlineData(1, 130, 785)] // 32 groups of four rows of B and two left over; k: 49 steps of 16 floats, a tail of 1
    [InlineData(3, 10, 64)] // the shortest k the path takes
    [InlineData(4, 7, 108)] // k: 6 steps of 16 floats, one of 8, a tail of 4
    [InlineData(2, 129, 2_000)]
    public void Every_split_matches_double_sums_and_one_part_bit_for_bit(int m, int n, int k)
    {
        if (!RowProduct.Suits(k))
        {
            return; // no 256-bit vectors: Gemm's scalar small-row loop serves these (GemmTests covers it)
        }

        var a = TestData.Random(m * k, 21);
        var b = TestData.Random(n * k, 22);
        var c = TestData.Random(m * n, 23);
        var expected = Expected(a, b, m, n, k);
        foreach (bool accumulate in new[] { false, true })
        {
            float[] whole = Run(a, b, c, m, n, k, accumulate, parts: 1);
            var wanted = accumulate ? expected.Select((v, i) => v + c[i]).ToArray() : expected;
            TestData.AssertClose(wanted, whole, 1e-4, 1e-4, $"C (+)= A·Bᵀ, m={m} n={n} k={k} accumulate={accumulate}");
            foreach (int parts in new[] { 2, 3 })
            {
                Assert.Equal(whole, Run(a, b, c, m, n, k, accumulate, parts));
            }
        }
    }

    [Fact]
    public void Workers_woken_without_a_part_take_the_next_one()
    {
        // Wake hands a sleeping worker a new generation and no part; the worker must find nothing,
        // spin, and still take the next region's part (a lost part would hang, a repeated one
        // would add twice).
        const int m = 2, n = 64, k = 512;
        var a = TestData.Random(m * k, 24);
        var b = TestData.Random(n * k, 25);
        float[] once = Run(a, b, new float[m * n], m, n, k, accumulate: false, parts: 1);
        for (int round = 0; round < 20; round++)
        {
            Thread.Sleep(round % 3); // some rounds find the workers asleep, some spinning
            CpuWorkers.Wake();
            Assert.Equal(once, Run(a, b, new float[m * n], m, n, k, accumulate: false, parts: CpuWorkers.Parallelism));
        }
    }

    [Fact]
    public void A_first_split_after_products_on_one_part_allocates_nothing()
    {
        // A prediction splits only once the workers are awake: on a thread of its own (its work
        // object unmade), one-part products first, then a split one, which must not make it now.
        const int m = 1, n = 64, k = 512;
        var a = TestData.Random(m * k, 26);
        var b = TestData.Random(n * k, 27);
        var c = new float[m * n];
        long allocated = -1;
        var thread = new Thread(() =>
        {
            fixed (float* pa = a)
            fixed (float* pb = b)
            fixed (float* pc = c)
            {
                RowProduct.MultiplyInParts(pa, m, pb, pc, n, k, accumulate: false, parts: 1);
                long before = GC.GetAllocatedBytesForCurrentThread();
                RowProduct.MultiplyInParts(pa, m, pb, pc, n, k, accumulate: false, parts: 2);
                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            }
        });
        thread.Start();
        thread.Join();
        Assert.Equal(0, allocated);
    }

    private static float[] Run(float[] a, float[] b, float[] c, int m, int n, int k, bool accumulate, int parts)
    {
        var result = (float[])c.Clone();
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = result)
        {
            RowProduct.MultiplyInParts(pa, m, pb, pc, n, k, accumulate, parts);
        }

        return result;
    }

    private static float[] Expected(float[] a, float[] b, int m, int n, int k)
    {
        var c = new float[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    sum += (double)a[(i * k) + p] * b[(j * k) + p];
                }

                c[(i * n) + j] = (float)sum;
            }
        }

        return c;
    }
}

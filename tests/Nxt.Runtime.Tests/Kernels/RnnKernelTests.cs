using Nxt.Cpu;
using Nxt.Kernels;
using Nxt.Runtime.Tests.Reliability;

namespace Nxt.Runtime.Tests.Kernels;

/// <summary>
/// The fused RNN's CPU time loop at a size that splits each step over the workers by batch rows
/// (24 rows: a part of one 8-row strip and one of two, so the parts differ): every output,
/// state gradient and parameter gradient equals one thread's, bit for bit, since each row is
/// computed by the same kernels in the same order wherever it runs.
/// </summary>
[Collection(nameof(ThreadCountCollection))]
public class RnnKernelTests
{
    private const int N = 24, Steps = 3, Inputs = 5, Hidden = 256; // 24·256·256 multiply-adds a step: enough to split even a plain cell

    public static TheoryData<RnnCell, bool> Lanes => new()
    {
        { RnnCell.Lstm, false },
        { RnnCell.Lstm, true },
        { RnnCell.Gru, false },
        { RnnCell.Tanh, true },
        { RnnCell.Relu, false },
    };

    [MultiCoreTheory]
    [MemberData(nameof(Lanes))]
    public void Steps_split_over_rows_agree_with_one_thread_bit_for_bit(RnnCell cell, bool reverse)
    {
        var one = Run(cell, reverse, threads: 1);
        var two = Run(cell, reverse, threads: 2);
        Assert.Equal(one.Length, two.Length);
        for (int i = 0; i < one.Length; i++)
        {
            Assert.True(one[i] == two[i], $"{cell}{(reverse ? " reverse" : "")}: value {i} is {two[i]} on two threads, {one[i]} on one");
        }
    }

    // The lane's outputs, then the input, state and parameter gradients, as one vector.
    private static float[] Run(RnnCell cell, bool reverse, int threads)
    {
        int saved = CpuThreads.Count;
        CpuThreads.Count = threads;
        try
        {
            int gates = cell.Gates() * Hidden, directions = reverse ? 2 : 1;
            var lane = new RnnLane(0, 1, reverse ? 1 : 0, directions);
            var x = TestData.Random(N * Steps * Inputs, 1);
            var i2hWeight = TestData.Random(gates * Inputs, 2, 0.3f);
            var h2hWeight = TestData.Random(gates * Hidden, 3, 0.1f);
            var i2hBias = TestData.Random(gates, 4, 0.1f);
            var h2hBias = TestData.Random(gates, 5, 0.1f);
            var hx = TestData.Random(N * directions * Hidden, 6);
            var cx = cell == RnnCell.Lstm ? TestData.Random(N * directions * Hidden, 7) : [];
            var y = new float[N * Steps * directions * Hidden];
            var dy = TestData.Random(y.Length, 8);
            var scratch = new float[N * RnnScratchLayout.PerSample(Steps, Inputs, Hidden, cell.Gates())];
            RnnKernels.Forward(x, i2hWeight, h2hWeight, i2hBias, h2hBias, hx, cx, y, scratch, N, Steps, Inputs, Hidden, cell, lane);
            float[] dx = new float[x.Length], dhx = new float[hx.Length], dcx = new float[cx.Length];
            float[] dI2hWeight = new float[i2hWeight.Length], dH2hWeight = new float[h2hWeight.Length], dI2hBias = new float[gates], dH2hBias = new float[gates];
            RnnKernels.Backward(
                i2hWeight, h2hWeight, dy, dx, dhx, dcx, dI2hWeight, dH2hWeight, dI2hBias, dH2hBias, scratch, N, Steps, Inputs, Hidden, cell, lane,
                wantX: true, accumulateX: false, accumulateHx: false, accumulateCx: false, wantI2hWeight: true, accumulateI2hWeight: false, wantH2hWeight: true,
                accumulateH2hWeight: false, wantI2hBias: true, accumulateI2hBias: false, wantH2hBias: true, accumulateH2hBias: false);
            return [.. y, .. dx, .. dhx, .. dcx, .. dI2hWeight, .. dH2hWeight, .. dI2hBias, .. dH2hBias];
        }
        finally
        {
            CpuThreads.Count = saved;
        }
    }
}

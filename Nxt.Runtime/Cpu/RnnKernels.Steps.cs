using System;
using Nxt.Kernels;

namespace Nxt.Cpu;

public static unsafe partial class RnnKernels
{
    // Below this many multiply-adds a step, one core does it (the GEMM may still split its columns).
    private const long ParallelStepThreshold = 1L << 20;

    // A part's fewest rows: one AVX-512 microkernel strip, so neither part's GEMM falls to the few-rows path.
    private const int RowsPerStrip = 8;

    /// <summary>A span's memory pinned by the caller for the length of a pass, as a work object can hold it.</summary>
    private readonly struct Pinned(float* pointer, int length)
    {
        public Span<float> Span => new(pointer, length);
    }

    /// <summary>The batch rows <c>[First, First + Count)</c> of one step's <c>(N, width)</c> region.</summary>
    private readonly record struct RowRange(int First, int Count)
    {
        public Span<float> Of(Span<float> step, int width) => step.Slice(First * width, Count * width);

        /// <summary>Part <paramref name="part"/> of <paramref name="n"/> rows in whole strips, as even as strips allow.</summary>
        public static RowRange Part(int n, int part, int partCount)
        {
            (int first, int end) = CpuWorkers.PartRange(n, RowsPerStrip, part, partCount);
            return new RowRange(first, end - first);
        }
    }

    /// <summary>
    /// One time step over the CPU workers, split by batch rows: every row's recurrent GEMM, cell
    /// and (backward) gradient depend on that row alone, so a step is one parallel region where a
    /// column-split GEMM followed by the cell on one core would be a region and a serial tail. One
    /// object per calling thread, re-aimed at each pass, so a step allocates nothing.
    /// </summary>
    private sealed class RnnStepWork : IParallelWork
    {
        [ThreadStatic]
        private static RnnStepWork? t_work;

        private Pinned _scratch;
        private RnnScratchLayout _layout;
        private RnnCell _cell;
        private Pinned _h2hWeight;
        private Pinned _packed;
        private Pinned _h2hBias;
        private Pinned _dy;
        private RnnLane _lane;
        private bool _backward;
        private int _t;

        public static RnnStepWork ForThisThread => t_work ??= new RnnStepWork();

        public void SetForward(Pinned scratch, RnnScratchLayout layout, RnnCell cell, Pinned h2hWeight, Span<float> packed, Pinned h2hBias)
        {
            Set(scratch, layout, cell, h2hWeight, packed, backward: false);
            _h2hBias = h2hBias;
        }

        public void SetBackward(Pinned scratch, RnnScratchLayout layout, RnnCell cell, Pinned h2hWeight, Span<float> packed, Pinned dy, RnnLane lane)
        {
            Set(scratch, layout, cell, h2hWeight, packed, backward: true);
            _dy = dy;
            _lane = lane;
        }

        /// <summary>Step <paramref name="t"/>, over as many cores as its size earns.</summary>
        public void Run(int t)
        {
            _t = t;
            long multiplyAdds = (long)_layout.N * _layout.GateWidth * _layout.Hidden;
            int parts = multiplyAdds < ParallelStepThreshold ? 1 : Math.Min(CpuWorkers.Parallelism, _layout.N / RowsPerStrip);
            if (parts > 1)
            {
                CpuWorkers.Run(this, parts);
            }
            else
            {
                Run(0, 1);
            }
        }

        public void Run(int part, int partCount)
        {
            var rows = RowRange.Part(_layout.N, part, partCount);
            if (rows.Count == 0)
            {
                return;
            }

            var s = new Scratch(_scratch.Span, _layout, _cell);
            if (_backward)
            {
                BackwardStep(s, _cell, _t, rows, _h2hWeight.Span, _packed.Span, _dy.Span, _lane);
            }
            else
            {
                ForwardStep(s, _cell, _t, rows, _h2hWeight.Span, _packed.Span, _h2hBias.Span);
            }
        }

        /// <summary>Drops the pointers, which are valid only inside the pass that set them.</summary>
        public void Clear() => (_scratch, _h2hWeight, _packed, _h2hBias, _dy) = (default, default, default, default, default);

        private void Set(Pinned scratch, RnnScratchLayout layout, RnnCell cell, Pinned h2hWeight, Span<float> packed, bool backward)
        {
            _scratch = scratch;
            _layout = layout;
            _cell = cell;
            _h2hWeight = h2hWeight;
            fixed (float* p = packed)
            {
                _packed = new Pinned(p, packed.Length); // native memory: the pointer outlives the fixed block
            }

            _backward = backward;
        }
    }
}

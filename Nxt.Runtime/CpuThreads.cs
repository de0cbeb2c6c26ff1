using Nxt.Cpu;

namespace Nxt;

/// <summary>
/// How many CPU threads the kernels use. The pool starts once with <c>NXT_NUM_THREADS</c> threads
/// (default: the core count); <see cref="Count"/> can lower it at run time, e.g. to 1 for runs
/// that must be bit-identical. With one thread a fixed seed reproduces parameters exactly; with
/// more, reductions split over threads round differently, within float32 rounding.
/// </summary>
public static class CpuThreads
{
    /// <summary>The threads in use, at most <see cref="Available"/>.</summary>
    public static int Count
    {
        get => CpuWorkers.Parallelism;
        set => CpuWorkers.Limit(value);
    }

    /// <summary>The threads the pool started with.</summary>
    public static int Available => CpuWorkers.Started;
}

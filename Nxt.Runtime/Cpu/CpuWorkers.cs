using System;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace Nxt.Cpu;

/// <summary>A piece of work split into parts that may run on different cores.</summary>
internal interface IParallelWork
{
    void Run(int part, int partCount);
}

/// <summary>
/// A fixed set of worker threads started once. Unlike <c>Parallel.For</c>, dispatching work
/// allocates nothing, so a training step stays allocation-free. The thread count comes from
/// <c>NXT_NUM_THREADS</c> when set (as MXNet reads <c>OMP_NUM_THREADS</c>), else the core count.
/// </summary>
internal static class CpuWorkers
{
    private static readonly Worker[] s_workers = StartWorkers();
    private static int s_busy; // 1 while a parallel region runs; a Monitor would let its own thread re-enter
    private static readonly ManualResetEventSlim s_allDone = ReadyToBlock(new ManualResetEventSlim(false));
    private static int s_pending;
    private static ExceptionDispatchInfo? s_failure;

    private static int s_limit = int.MaxValue;

    /// <summary>How many parts can run at once (the caller's thread included).</summary>
    public static int Parallelism => Math.Min(s_workers.Length + 1, s_limit);

    /// <summary>The threads available: the workers started plus the caller's.</summary>
    public static int Started => s_workers.Length + 1;

    /// <summary>
    /// Whether every worker within <see cref="Parallelism"/> is spinning or working rather than
    /// asleep: a part handed to a sleeping worker waits for it to be woken (tens of microseconds on a
    /// virtual machine), which light work (an optimizer's update after a batch-1 step) does not win back.
    /// </summary>
    public static bool WorkersAwake
    {
        get
        {
            for (int i = 0; i < Parallelism - 1; i++)
            {
                if (s_workers[i].Asleep)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>
    /// Wakes the sleeping workers within <see cref="Parallelism"/> without handing them a part and
    /// returns at once: they spin a while for the next region, so a caller about to run a stream of
    /// light ones finds them awake instead of waiting on each wake-up.
    /// </summary>
    public static void Wake()
    {
        for (int i = 0; i < Parallelism - 1; i++)
        {
            s_workers[i].Wake();
        }
    }

    /// <summary>Part <paramref name="part"/> of <paramref name="partCount"/> of [0, length) in whole groups of <paramref name="group"/>, as even as groups allow.</summary>
    public static (int Start, int End) PartRange(int length, int group, int part, int partCount)
    {
        int groups = (length + group - 1) / group;
        int start = (int)((long)groups * part / partCount) * group;
        int end = (int)((long)groups * (part + 1) / partCount) * group;
        return (Math.Min(start, length), Math.Min(end, length));
    }

    /// <summary>Caps <see cref="Parallelism"/> (at least 1); the workers above it stay idle.</summary>
    public static void Limit(int threads) => Volatile.Write(ref s_limit, Math.Max(1, threads));

    /// <summary>Runs parts 0..partCount-1 of <paramref name="work"/> and returns when all are done.</summary>
    public static void Run(IParallelWork work, int partCount)
    {
        partCount = Math.Min(partCount, Parallelism);
        // A nested or concurrent parallel region runs its parts on the calling thread: correct,
        // never deadlocks, and the cores are busy with the outer region anyway.
        if (partCount <= 1 || Interlocked.CompareExchange(ref s_busy, 1, 0) != 0)
        {
            for (int p = 0; p < partCount; p++)
            {
                work.Run(p, partCount);
            }

            return;
        }

        try
        {
            s_failure = null;
            s_allDone.Reset();
            Volatile.Write(ref s_pending, partCount - 1);
            for (int p = 1; p < partCount; p++)
            {
                s_workers[p - 1].Start(work, p, partCount);
            }

            work.Run(0, partCount);
            WaitForWorkers();
            s_failure?.Throw();
        }
        finally
        {
            Volatile.Write(ref s_busy, 0);
        }
    }

    // The last part usually ends within microseconds of the caller's: spinning that long
    // costs less than sleeping on the event and being woken (tens of microseconds, which an RNN's
    // 0.1 ms step GEMMs pay 128 times a training step).
    private static void WaitForWorkers()
    {
        for (int spin = 0; spin < SpinIterations && Volatile.Read(ref s_pending) > 0; spin++)
        {
            Thread.SpinWait(1);
        }

        s_allDone.Wait();
    }

    /// <summary>
    /// <c>SpinWait(1)</c>s a thread spins for before it sleeps on an event: .NET normalises one to
    /// about 35 ns, so some 50-70 µs (an earlier try spun 200 µs and slowed the serial code between regions).
    /// </summary>
    private const int SpinIterations = 2000;

    // The event creates the object it blocks on the first time a wait outlasts its spinning: on a
    // loaded machine that could be in the middle of training (24 B in a step that allocates
    // nothing). One wait of a millisecond here creates it up front.
    private static ManualResetEventSlim ReadyToBlock(ManualResetEventSlim allDone)
    {
        allDone.Wait(1);
        return allDone;
    }

    private static Worker[] StartWorkers()
    {
        int threads = Environment.ProcessorCount;
        string? configured = Environment.GetEnvironmentVariable("NXT_NUM_THREADS");
        if (int.TryParse(configured, out int requested) && requested > 0)
        {
            threads = requested;
        }

        var workers = new Worker[threads - 1];
        for (int i = 0; i < workers.Length; i++)
        {
            workers[i] = new Worker(i + 1);
        }

        return workers;
    }

    private static void PartFinished(Exception? failure)
    {
        if (failure is not null)
        {
            s_failure = ExceptionDispatchInfo.Capture(failure);
        }

        if (Interlocked.Decrement(ref s_pending) == 0)
        {
            s_allDone.Set();
        }
    }

    private sealed class Worker
    {
        private readonly SemaphoreSlim _start = new(0);
        private IParallelWork? _work;
        private int _part;
        private int _partCount;
        private int _generation; // one more for each part handed over
        private int _sleeping;   // 1 while the worker waits on the semaphore

        public Worker(int index)
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = $"Nxt CPU worker {index}" };
            thread.Start();
        }

        public bool Asleep => Volatile.Read(ref _sleeping) == 1;

        public void Start(IParallelWork work, int part, int partCount)
        {
            _work = work;
            _part = part;
            _partCount = partCount;
            Interlocked.Increment(ref _generation);
            // Whoever clears the flag owns the wake-up: the worker found the part itself, or gets a release.
            if (Interlocked.Exchange(ref _sleeping, 0) == 1)
            {
                _start.Release();
            }
        }

        // A new generation with no part: the worker wakes, finds nothing to take, and spins again.
        public void Wake()
        {
            if (!Asleep)
            {
                return;
            }

            Interlocked.Increment(ref _generation);
            if (Interlocked.Exchange(ref _sleeping, 0) == 1)
            {
                _start.Release();
            }
        }

        private void Loop()
        {
            int seen = 0;
            while (true)
            {
                WaitForPart(seen);
                seen = Volatile.Read(ref _generation);
                // The part is taken, not read: a wake-up that finds none (Wake's, or one once seen
                // as a null reference here under a char-LSTM benchmark, not reproduced since)
                // waits again, and no part can run twice.
                var work = Interlocked.Exchange(ref _work, null);
                if (work is null)
                {
                    continue;
                }

                Exception? failure = null;
                try
                {
                    work.Run(_part, _partCount);
                }
                catch (Exception ex)
                {
                    failure = ex;
                }

                PartFinished(failure);
            }
        }

        // Spins a while for the next part (back-to-back regions, an RNN's steps), then sleeps.
        private void WaitForPart(int seen)
        {
            for (int spin = 0; spin < SpinIterations; spin++)
            {
                if (Volatile.Read(ref _generation) != seen)
                {
                    return;
                }

                Thread.SpinWait(1);
            }

            // A full fence (not a volatile write, which x86 may order after the read below), so
            // that either this read sees Start's part or Start sees the flag.
            Interlocked.Exchange(ref _sleeping, 1);
            if (Volatile.Read(ref _generation) != seen && Interlocked.Exchange(ref _sleeping, 0) == 1)
            {
                return; // a part came as it went to sleep, and Start saw it awake
            }

            _start.Wait();
        }
    }
}

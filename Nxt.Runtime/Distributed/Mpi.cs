using System;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Nxt.Distributed;

/// <summary>
/// The few MPI calls data-parallel training needs, over MPICH's library (Debian's <c>mpich</c>
/// package: <c>libmpich.so.12</c>). A thin binding instead of a managed MPI package: no
/// reflection, so native AOT still works, and nothing loads until a distributed kvstore is
/// created. The handles are MPICH's ABI constants (ints), as its <c>mpi.h</c> defines them;
/// OpenMPI's ABI differs (pointers) and is not supported.
/// </summary>
internal static partial class Mpi
{
    private const string Library = "mpich";
    private const int Success = 0;

    public const int CommWorld = 0x44000000;
    public const int Float = 0x4c00040a;
    public const int Double = 0x4c00080b;
    public const int Byte = 0x4c00010d;
    public const int LongLong = 0x4c000809;
    public const int Sum = 0x58000003;
    public const int Max = 0x58000001;
    public const int Min = 0x58000002;
    private const int ThreadSingle = 0;
    private const int ThreadMultiple = 3;
    private const int ErrorsReturn = 0x54000001;
    private static readonly IntPtr InPlace = new(-1);
    private static readonly IntPtr StatusesIgnore = new(1);

    private static readonly object s_gate = new();
    private static bool s_resolverSet;

    /// <summary>True when a process manager (<c>mpiexec</c>) started this process: it set MPICH's environment.</summary>
    public static bool LaunchedByMpiexec
        => Environment.GetEnvironmentVariable("PMI_RANK") is not null || Environment.GetEnvironmentVariable("PMI_SIZE") is not null
            || Environment.GetEnvironmentVariable("PMIX_RANK") is not null || Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_RANK") is not null;

    /// <summary>Initialises MPI once for the process (finalised at exit); errors come back as codes, which become exceptions.</summary>
    public static void EnsureInitialized()
    {
        lock (s_gate)
        {
            SetResolver();
            Check(MPI_Initialized(out int initialized), "MPI_Initialized");
            if (initialized != 0)
            {
                return;
            }

            // MPICH's own progress thread (MPIR_CVAR_ASYNC_PROGRESS=1) advances the sums started during
            // the backward pass between our MPI calls; it needs a library initialised for threads.
            // It costs a core, so it pays only where each worker has one spare (bench/RESULTS.md).
            bool asyncProgress = Environment.GetEnvironmentVariable("MPIR_CVAR_ASYNC_PROGRESS") == "1";
            Check(MPI_Init_thread(IntPtr.Zero, IntPtr.Zero, asyncProgress ? ThreadMultiple : ThreadSingle, out _), "MPI_Init_thread");
            Check(MPI_Comm_set_errhandler(CommWorld, ErrorsReturn), "MPI_Comm_set_errhandler");
            AppDomain.CurrentDomain.ProcessExit += (_, _) => Shutdown();
        }
    }

    public static int Rank()
    {
        Check(MPI_Comm_rank(CommWorld, out int rank), "MPI_Comm_rank");
        return rank;
    }

    public static int Size()
    {
        Check(MPI_Comm_size(CommWorld, out int size), "MPI_Comm_size");
        return size;
    }

    /// <summary>Sums <paramref name="values"/> element-wise across every worker, in place.</summary>
    public static void AllReduce(Span<float> values, int op = Sum) => AllReduce(values, Float, op);

    /// <summary>Reduces <paramref name="values"/> across every worker, in place (double precision: metric sums).</summary>
    public static void AllReduce(Span<double> values, int op = Sum) => AllReduce(values, Double, op);

    /// <summary>Reduces <paramref name="values"/> across every worker, in place.</summary>
    public static void AllReduce(Span<long> values, int op) => AllReduce(values, LongLong, op);

    private static unsafe void AllReduce<T>(Span<T> values, int datatype, int op)
        where T : unmanaged
    {
        fixed (T* p = values)
        {
            Check(MPI_Allreduce(InPlace, (IntPtr)p, values.Length, datatype, op, CommWorld), "MPI_Allreduce");
        }
    }

    /// <summary>
    /// Starts summing <paramref name="count"/> floats at <paramref name="send"/> over every worker
    /// into <paramref name="receive"/> (MPI-3's non-blocking allreduce) and returns its request.
    /// Both buffers must stay pinned and <paramref name="send"/> unwritten until the request completes.
    /// </summary>
    public static unsafe int StartAllReduce(float* send, float* receive, int count)
    {
        Check(MPI_Iallreduce((IntPtr)send, (IntPtr)receive, count, Float, Sum, CommWorld, out int request), "MPI_Iallreduce");
        return request;
    }

    /// <summary>Lets MPI progress the <paramref name="requests"/> (MPICH advances non-blocking collectives only inside MPI calls); true when all have completed.</summary>
    public static unsafe bool TestAll(Span<int> requests)
    {
        fixed (int* p = requests)
        {
            Check(MPI_Testall(requests.Length, (IntPtr)p, out int done, StatusesIgnore), "MPI_Testall");
            return done != 0;
        }
    }

    /// <summary>Waits for every one of <paramref name="requests"/>.</summary>
    public static unsafe void WaitAll(Span<int> requests)
    {
        fixed (int* p = requests)
        {
            Check(MPI_Waitall(requests.Length, (IntPtr)p, StatusesIgnore), "MPI_Waitall");
        }
    }

    /// <summary>Rank 0's <paramref name="values"/> on every worker.</summary>
    public static unsafe void Broadcast(Span<float> values)
    {
        fixed (float* p = values)
        {
            Check(MPI_Bcast((IntPtr)p, values.Length, Float, 0, CommWorld), "MPI_Bcast");
        }
    }

    /// <summary>Rank 0's <paramref name="bytes"/> on every worker.</summary>
    public static unsafe void Broadcast(Span<byte> bytes)
    {
        fixed (byte* p = bytes)
        {
            Check(MPI_Bcast((IntPtr)p, bytes.Length, Byte, 0, CommWorld), "MPI_Bcast");
        }
    }

    public static void Barrier() => Check(MPI_Barrier(CommWorld), "MPI_Barrier");

    private static void Shutdown()
    {
        if (MPI_Finalized(out int finalized) == Success && finalized == 0)
        {
            MPI_Finalize();
        }
    }

    private static void Check(int code, string call)
    {
        if (code != Success)
        {
            throw new InvalidOperationException($"{call} failed with MPI error {code}: a worker may have stopped, or the job's launch is broken (run the workers with mpiexec.mpich -np N).");
        }
    }

    // Maps the library name to MPICH's soname, which Debian installs without a plain libmpich.so in the runtime package.
    private static void SetResolver()
    {
        if (s_resolverSet)
        {
            return;
        }

        try
        {
            NativeLibrary.SetDllImportResolver(typeof(Mpi).Assembly, Resolve);
        }
        catch (InvalidOperationException)
        {
            // A resolver is already set for this assembly (by the host): it must resolve "mpich" itself.
        }

        s_resolverSet = true;
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path)
    {
        if (name != Library)
        {
            return IntPtr.Zero;
        }

        foreach (string candidate in new[] { "libmpich.so.12", "libmpich.so", "libmpich.dylib" })
        {
            if (NativeLibrary.TryLoad(candidate, out var handle))
            {
                return handle;
            }
        }

        throw new DllNotFoundException("MPICH's libmpich.so.12 was not found: install it (Debian: apt-get install mpich) to train with a dist kvstore.");
    }

    [LibraryImport(Library)]
    private static partial int MPI_Init_thread(IntPtr argc, IntPtr argv, int required, out int provided);

    [LibraryImport(Library)]
    private static partial int MPI_Initialized(out int flag);

    [LibraryImport(Library)]
    private static partial int MPI_Finalized(out int flag);

    [LibraryImport(Library)]
    private static partial int MPI_Finalize();

    [LibraryImport(Library)]
    private static partial int MPI_Comm_set_errhandler(int comm, int errhandler);

    [LibraryImport(Library)]
    private static partial int MPI_Comm_rank(int comm, out int rank);

    [LibraryImport(Library)]
    private static partial int MPI_Comm_size(int comm, out int size);

    [LibraryImport(Library)]
    private static partial int MPI_Allreduce(IntPtr sendbuf, IntPtr recvbuf, int count, int datatype, int op, int comm);

    [LibraryImport(Library)]
    private static partial int MPI_Iallreduce(IntPtr sendbuf, IntPtr recvbuf, int count, int datatype, int op, int comm, out int request);

    [LibraryImport(Library)]
    private static partial int MPI_Testall(int count, IntPtr requests, out int flag, IntPtr statuses);

    [LibraryImport(Library)]
    private static partial int MPI_Waitall(int count, IntPtr requests, IntPtr statuses);

    [LibraryImport(Library)]
    private static partial int MPI_Bcast(IntPtr buffer, int count, int datatype, int root, int comm);

    [LibraryImport(Library)]
    private static partial int MPI_Barrier(int comm);
}

using System;
using System.Threading;

namespace Nxt;

/// <summary>
/// One thread at a time: a module's buffers, optimizer state and batch cursor belong to the call
/// in progress, so a call from a second thread while another is inside throws instead of
/// interleaving updates. Two modules can be used from two threads at once; they share the CPU
/// worker pool (<see cref="CpuThreads"/>): one parallel region runs on it at a time, and a kernel
/// that finds it busy runs on its caller's thread.
/// </summary>
public abstract partial class Module
{
    private int _userThread;  // the managed thread using the module, 0 when none
    private int _useDepth;    // that thread's calls in progress (Fit calls Forward, ...)

    private UseScope Use(string operation)
    {
        int me = Environment.CurrentManagedThreadId;
        int user = Interlocked.CompareExchange(ref _userThread, me, 0);
        if (user != 0 && user != me)
        {
            throw new InvalidOperationException(
                $"{GetType().Name}.{operation} was called while another thread is using the module: a module serves one thread at a time. Use one module per thread (they may share parameters through GetParams/SetParams).");
        }

        _useDepth++;
        return new UseScope(this);
    }

    /// <summary>Ends a call; the last one to end frees the module for other threads.</summary>
    private readonly struct UseScope(Module module) : IDisposable
    {
        public void Dispose()
        {
            if (--module._useDepth == 0)
            {
                Volatile.Write(ref module._userThread, 0);
            }
        }
    }
}

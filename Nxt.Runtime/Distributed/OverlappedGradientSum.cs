using System;

namespace Nxt.Distributed;

/// <summary>
/// Sums a module's parameter gradients over the workers of an MPI job while its backward pass
/// still runs: the generated backward reports how far the gradients are final
/// (<c>ParameterGradientsReady</c>), each report may start a non-blocking allreduce of a bucket
/// (<see cref="GradientBuckets"/>) and lets MPI progress the ones in flight; at the update,
/// <see cref="Finish"/> sums what the pass did not start (blocking, in place: MPICH's blocking
/// allreduce is faster than its non-blocking one, and nothing is left to overlap) and waits for
/// the rest. The early sums land in a buffer of their own and are copied back at the update, so
/// the gradients stay this worker's own until then, as in MXNet, where the kvstore's pull writes
/// the sums into the gradient arrays.
/// </summary>
internal sealed unsafe class OverlappedGradientSum
{
    /// <summary>The smallest bucket started before the pass ends (256 KiB: allreduce runs near full bandwidth from there, bench/RESULTS.md).</summary>
    internal const int MinBucketFloats = 1 << 16;

    private readonly float[] _gradients;
    private readonly float[] _sums;
    private readonly int[] _requests;
    private readonly GradientBuckets _buckets;

    /// <param name="gradients">The module's gradient buffer, on the pinned heap: MPI reads it while the pass goes on.</param>
    public OverlappedGradientSum(float[] gradients)
    {
        _gradients = gradients;
        _sums = GC.AllocateArray<float>(gradients.Length, pinned: true);
        _buckets = new GradientBuckets(gradients.Length, MinBucketFloats, KVStore.BucketFloats);
        _requests = new int[_buckets.Capacity];
    }

    /// <summary>True from the first bucket a backward pass started to <see cref="Finish"/> or <see cref="Abandon"/>.</summary>
    public bool Active { get; private set; }

    /// <summary>How many buckets started before a backward pass ended, over the module's life (what the tests check overlapped).</summary>
    public long StartedDuringBackward { get; private set; }

    /// <summary>The backward pass has made the gradients from <paramref name="from"/> on final.</summary>
    public void Ready(int from)
    {
        int started = _buckets.Ready(from);
        StartedDuringBackward += started;
        Start(started);
        if (_buckets.StartedCount > 0)
        {
            Mpi.TestAll(Requests);
        }
    }

    /// <summary>
    /// Before the update: sums the gradients no bucket took yet, in place, waits for the buckets,
    /// and copies their sums where the update reads the gradients.
    /// </summary>
    public void Finish(KVStore kvStore)
    {
        kvStore.AllReduce(_gradients.AsSpan(0, _buckets.Unstarted));
        Mpi.WaitAll(Requests);
        foreach (var (start, count) in _buckets.Started)
        {
            _sums.AsSpan(start, count).CopyTo(_gradients.AsSpan(start, count));
        }

        Reset();
    }

    /// <summary>A new backward pass begins before an update used the sums: waits for them (MPI must complete every request) and drops them.</summary>
    public void Abandon()
    {
        Mpi.WaitAll(Requests);
        Reset();
    }

    private Span<int> Requests => _requests.AsSpan(0, _buckets.StartedCount);

    private void Start(int newBuckets)
    {
        var started = _buckets.Started;
        for (int i = started.Length - newBuckets; i < started.Length; i++)
        {
            var (start, count) = started[i];
            fixed (float* send = &_gradients[start], receive = &_sums[start])
            {
                // Both arrays live on the pinned heap, so the addresses stay valid after this block.
                _requests[i] = Mpi.StartAllReduce(send, receive, count);
            }
        }

        Active |= started.Length > 0;
    }

    private void Reset()
    {
        _buckets.Reset();
        Active = false;
    }
}

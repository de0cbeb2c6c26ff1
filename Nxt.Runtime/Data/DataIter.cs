using System.Collections.Generic;

namespace Nxt;

/// <summary>
/// A source of batches (MXNet <c>DataIter</c>): <see cref="MoveNext"/> advances to the next
/// batch of an epoch, <see cref="Reset"/> starts the next epoch. Implementations reuse one
/// <see cref="DataBatch"/>, so iterating allocates nothing.
/// </summary>
public abstract class DataIter
{
    /// <summary>Rows per batch.</summary>
    public abstract int BatchSize { get; }

    /// <summary>The shape of one sample of data.</summary>
    public abstract IReadOnlyList<int> SampleShape { get; }

    /// <summary>The current batch (valid until the next <see cref="MoveNext"/>).</summary>
    public abstract DataBatch Current { get; }

    /// <summary>Advances to the next batch; false at the end of the epoch.</summary>
    public abstract bool MoveNext();

    /// <summary>Starts a new epoch.</summary>
    public abstract void Reset();

    /// <summary>
    /// Restricts the epochs to part <paramref name="partIndex"/> of <paramref name="numParts"/>, for
    /// one worker of a data-parallel job, unless the iterator was built for a part already; false
    /// for an iterator that cannot split itself (its batches are then used as they come).
    /// </summary>
    internal virtual bool PartitionForWorkers(int numParts, int partIndex) => false;
}

/// <summary>What <see cref="NDArrayIter"/> does with the last, incomplete batch of an epoch.</summary>
public enum LastBatchHandle
{
    /// <summary>Fill it with samples from the start of the epoch and record how many in <see cref="DataBatch.Pad"/> (MXNet default).</summary>
    Pad,
    /// <summary>Drop it.</summary>
    Discard,
    /// <summary>Hold its samples back and put them first in the next epoch.</summary>
    RollOver,
}

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
    /// <c>foreach (var batch in iter)</c>, as Python's <c>for batch in iter</c>: the batches from
    /// where the iterator stands to the end of the epoch; at the end the iterator resets, so the
    /// next loop is the next epoch (a loop left early leaves it where it stopped). Each batch is
    /// the iterator's reused <see cref="Current"/>: copy what must outlive the step.
    /// </summary>
    public Enumerator GetEnumerator() => new(this);

    /// <summary>
    /// Restricts the epochs to part <paramref name="partIndex"/> of <paramref name="numParts"/>, for
    /// one worker of a data-parallel job, unless the iterator was built for a part already; false
    /// for an iterator that cannot split itself (its batches are then used as they come).
    /// </summary>
    internal virtual bool PartitionForWorkers(int numParts, int partIndex) => false;

    /// <summary>Walks the rest of an epoch of a <see cref="DataIter"/> (for <c>foreach</c>; allocates nothing).</summary>
    public struct Enumerator
    {
        private readonly DataIter _iter;

        internal Enumerator(DataIter iter) => _iter = iter;

        /// <summary>The current batch.</summary>
        public readonly DataBatch Current => _iter.Current;

        /// <summary>The next batch; at the end of the epoch, resets the iterator and returns false.</summary>
        public readonly bool MoveNext()
        {
            if (_iter.MoveNext())
            {
                return true;
            }

            _iter.Reset();
            return false;
        }
    }
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

using System.Collections.Generic;

namespace Nxt;

/// <summary>
/// Base of the iterators that read a whole data set into memory and then batch it exactly as
/// <see cref="NDArrayIter"/> does (<see cref="CsvIter"/>, <see cref="MnistIter"/>).
/// </summary>
public abstract class InMemoryIter : DataIter
{
    private readonly NDArrayIter _batches;

    /// <summary>Batches what the subclass read.</summary>
    private protected InMemoryIter(NDArrayIter batches) => _batches = batches;

    /// <summary>The number of samples read.</summary>
    public int SampleCount => _batches.SampleCount;

    /// <inheritdoc/>
    public override int BatchSize => _batches.BatchSize;

    /// <inheritdoc/>
    public override IReadOnlyList<int> SampleShape => _batches.SampleShape;

    /// <inheritdoc/>
    public override DataBatch Current => _batches.Current;

    /// <inheritdoc/>
    public override bool MoveNext() => _batches.MoveNext();

    /// <inheritdoc/>
    public override void Reset() => _batches.Reset();

    /// <summary>The number of parts the samples are split into (1: none).</summary>
    public int NumParts => _batches.NumParts;

    /// <summary>Which part this iterator covers.</summary>
    public int PartIndex => _batches.PartIndex;

    /// <inheritdoc/>
    internal override bool PartitionForWorkers(int numParts, int partIndex) => _batches.PartitionForWorkers(numParts, partIndex);
}

using System;
using System.Collections.Generic;
using System.Linq;

namespace Nxt;

/// <summary>
/// MXNet <c>NDArrayIter</c>: batches over in-memory data <c>(N, ...)</c> and labels <c>(N)</c>,
/// optionally shuffled each epoch with a fixed seed, with MXNet's last-batch handling.
/// </summary>
/// <summary>
/// MXNet <c>NDArrayIter</c>: batches over in-memory data <c>(N, ...)</c> and labels <c>(N, ...)</c>
/// (one class index or value per sample, or any sample shape for regression), optionally
/// shuffled each epoch with a fixed seed, with MXNet's last-batch handling. Several data and
/// label arrays, given by name, feed a network with several inputs and labelled heads.
/// </summary>
public sealed class NDArrayIter : DataIter
{
    private readonly Tensor[] _data;
    private readonly Tensor[] _labels;
    private readonly int[] _dataLengths;    // floats per sample of each data array
    private readonly int[] _labelLengths;
    private readonly float[][] _batchData;
    private readonly float[][] _batchLabels;
    private readonly int _count;            // samples in the arrays
    private int _first;                     // this part's first sample (MXNet part_index of num_parts)
    private int _partCount;                 // samples in this part
    private bool _partitionGiven;
    private readonly int[] _sampleShape;
    private readonly bool _shuffle;
    private readonly LastBatchHandle _lastBatchHandle;
    private readonly RandomSource _random;
    private readonly int[] _order;          // this epoch's sample order: carried-over samples, then a permutation
    private readonly int _batchSize;
    private readonly DataBatch _batch;
    private int _orderLength;
    private int _cursor;                    // index into _order of the next batch's first sample

    /// <summary>Batches over <paramref name="data"/> (samples along the first axis) and optional labels of the same number of samples.</summary>
    /// <remarks>
    /// <paramref name="numParts"/> and <paramref name="partIndex"/> (MXNet's <c>num_parts</c> and
    /// <c>part_index</c>) restrict the epochs to one contiguous part of the samples, for one worker
    /// of a data-parallel job; left at 1 and 0, <c>Fit</c> under a dist kvstore gives each worker its rank's part.
    /// </remarks>
    public NDArrayIter(Tensor data, Tensor? label, int batchSize, bool shuffle = false, LastBatchHandle lastBatchHandle = LastBatchHandle.Pad, ulong seed = 0, int numParts = 1, int partIndex = 0)
        : this([data ?? throw new ArgumentNullException(nameof(data))], label is null ? [] : [label], null, null, batchSize, shuffle, lastBatchHandle, seed)
    {
        SetPartition(numParts, partIndex, given: numParts != 1);
    }

    /// <summary>
    /// Batches over named data and label arrays (MXNet's dicts): each name is a data input
    /// (<c>DataNames</c>) or a label (<c>LabelNames</c>, e.g. <c>softmax_label</c>) of the
    /// network, which matches them by name; all arrays have the same number of samples.
    /// </summary>
    public NDArrayIter(IReadOnlyDictionary<string, Tensor> data, IReadOnlyDictionary<string, Tensor>? label, int batchSize, bool shuffle = false, LastBatchHandle lastBatchHandle = LastBatchHandle.Pad, ulong seed = 0, int numParts = 1, int partIndex = 0)
        : this(Values(data, nameof(data)), label is null ? [] : Values(label, nameof(label)), Keys(data, nameof(data)), label is null ? null : Keys(label, nameof(label)), batchSize, shuffle, lastBatchHandle, seed)
    {
        SetPartition(numParts, partIndex, given: numParts != 1);
    }

    private NDArrayIter(Tensor[] data, Tensor[] labels, string[]? dataNames, string[]? labelNames, int batchSize, bool shuffle, LastBatchHandle lastBatchHandle, ulong seed)
    {
        if (data.Length == 0)
        {
            throw new ArgumentException("NDArrayIter needs at least one data array.", nameof(data));
        }

        for (int i = 0; i < data.Length; i++)
        {
            if (data[i] is null || data[i].Rank < 1 || data[i].Shape[0] < 1)
            {
                throw new ArgumentException($"NDArrayIter needs data with samples along the first axis, got {Describe(dataNames, i, "data")}{(data[i] is null ? string.Empty : " of shape " + data[i].ShapeString)}.", nameof(data));
            }
        }

        int count = data[0].Shape[0];
        CheckCounts(data, dataNames, "data", count, data[0]);
        CheckCounts(labels, labelNames, "labels", count, data[0]);
        if (batchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "NDArrayIter: the batch size must be at least 1.");
        }

        if (lastBatchHandle != LastBatchHandle.Pad && batchSize > count)
        {
            string why = lastBatchHandle == LastBatchHandle.Discard ? "discarding the last batch leaves nothing" : "rolling the last batch over leaves the first epoch without a batch";
            throw new ArgumentException($"NDArrayIter: batch size {batchSize} exceeds the {count} samples, so {why}; use LastBatchHandle.Pad or a smaller batch.", nameof(batchSize));
        }

        foreach (var array in data.Concat(labels))
        {
            long batchFloats = (long)batchSize * (array.Length / count);
            if (batchFloats > Array.MaxLength || (long)count + batchSize > Array.MaxLength)
            {
                throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"NDArrayIter: a batch of {batchSize} samples of {array.Length / count} values is more than one array can hold ({Array.MaxLength} floats).");
            }
        }

        _data = data;
        _labels = labels;
        _count = count;
        _dataLengths = data.Select(d => d.Length / count).ToArray();
        _labelLengths = labels.Select(l => l.Length / count).ToArray();
        _sampleShape = data[0].Shape[1..].ToArray();
        _batchSize = batchSize;
        _shuffle = shuffle;
        _lastBatchHandle = lastBatchHandle;
        _random = new RandomSource(seed);
        _order = new int[count + batchSize];
        _batchData = _dataLengths.Select(length => new float[batchSize * length]).ToArray();
        _batchLabels = _labelLengths.Select(length => new float[batchSize * length]).ToArray();
        var batchData = data.Select((d, i) => new Tensor(_batchData[i], BatchShape(d, batchSize))).ToArray();
        var batchLabels = labels.Select((l, i) => new Tensor(_batchLabels[i], BatchShape(l, batchSize))).ToArray();
        _batch = new DataBatch(batchData, batchLabels, 0, dataNames, labelNames);
        _partCount = count;
        StartEpoch(carried: 0);
    }

    /// <summary>The number of samples an epoch covers: all of them, or this iterator's part.</summary>
    public int SampleCount => _partCount;

    /// <summary>The number of parts the samples are split into (1: none).</summary>
    public int NumParts { get; private set; } = 1;

    /// <summary>Which part this iterator covers.</summary>
    public int PartIndex { get; private set; }

    /// <inheritdoc/>
    internal override bool PartitionForWorkers(int numParts, int partIndex)
    {
        if (!_partitionGiven)
        {
            SetPartition(numParts, partIndex, given: false);
        }

        return true;
    }

    // Part k of n: samples [k·N/n, (k+1)·N/n), as MXNet's iterators split them.
    private void SetPartition(int numParts, int partIndex, bool given)
    {
        if (numParts < 1 || partIndex < 0 || partIndex >= numParts)
        {
            throw new ArgumentOutOfRangeException(nameof(partIndex), partIndex, $"NDArrayIter: part {partIndex} of {numParts} does not exist; parts are 0 to numParts - 1, and numParts at least 1.");
        }

        int first = (int)((long)partIndex * _count / numParts);
        int end = (int)((long)(partIndex + 1) * _count / numParts);
        if (end - first < 1 || (_lastBatchHandle != LastBatchHandle.Pad && _batchSize > end - first))
        {
            throw new ArgumentException($"NDArrayIter: part {partIndex} of {numParts} holds {end - first} of the {_count} samples, fewer than a batch of {_batchSize}; use fewer parts or a smaller batch.", nameof(numParts));
        }

        (NumParts, PartIndex, _first, _partCount, _partitionGiven) = (numParts, partIndex, first, end - first, given);
        StartEpoch(carried: 0);
    }

    /// <inheritdoc/>
    public override int BatchSize => _batchSize;

    /// <inheritdoc/>
    public override IReadOnlyList<int> SampleShape => _sampleShape;

    /// <inheritdoc/>
    public override DataBatch Current => _batch;

    /// <inheritdoc/>
    public override bool MoveNext()
    {
        int remaining = _orderLength - _cursor;
        if (remaining <= 0 || (remaining < _batchSize && _lastBatchHandle != LastBatchHandle.Pad))
        {
            return false;
        }

        int rows = Math.Min(remaining, _batchSize);
        for (int r = 0; r < _batchSize; r++)
        {
            // Padding wraps around to the start of the epoch's order, as MXNet does.
            int sample = _order[r < rows ? _cursor + r : (r - rows) % _orderLength];
            CopyRow(_data, _dataLengths, _batchData, sample, r);
            CopyRow(_labels, _labelLengths, _batchLabels, sample, r);
        }

        _batch.Pad = _batchSize - rows;
        _cursor += rows;
        return true;
    }

    /// <inheritdoc/>
    public override void Reset()
    {
        int carried = 0;
        if (_lastBatchHandle == LastBatchHandle.RollOver)
        {
            // The samples of the unfinished batch go first in the next epoch.
            carried = _orderLength - _cursor;
            Array.Copy(_order, _cursor, _order, 0, carried);
        }

        StartEpoch(carried);
    }

    private static void CopyRow(Tensor[] sources, int[] lengths, float[][] targets, int sample, int row)
    {
        for (int i = 0; i < sources.Length; i++)
        {
            int length = lengths[i];
            sources[i].Span.Slice(sample * length, length).CopyTo(targets[i].AsSpan(row * length, length));
        }
    }

    // A batch of an array keeps its sample shape: labels (N) give (batch), labels (N, 2) give (batch, 2).
    private static int[] BatchShape(Tensor array, int batchSize)
    {
        var shape = array.Shape.ToArray();
        shape[0] = batchSize;
        return shape;
    }

    private static void CheckCounts(Tensor[] arrays, string[]? names, string what, int count, Tensor first)
    {
        for (int i = 0; i < arrays.Length; i++)
        {
            var array = arrays[i];
            if (array is null || array.Rank < 1 || array.Shape[0] != count)
            {
                throw new ArgumentException(
                    $"NDArrayIter: data has {count} samples ({first.ShapeString}) but {Describe(names, i, what)} has {(array is null ? "no value" : "shape " + array.ShapeString)}; expected {count} samples along the first axis.",
                    what);
            }
        }
    }

    private static string Describe(string[]? names, int index, string what)
        => names is not null ? $"'{names[index]}'" : what == "labels" ? "the labels" : index == 0 ? "the data" : $"data array {index}";

    private static Tensor[] Values(IReadOnlyDictionary<string, Tensor> arrays, string argument)
    {
        ArgumentNullException.ThrowIfNull(arrays, argument);
        return arrays.Values.ToArray();
    }

    private static string[] Keys(IReadOnlyDictionary<string, Tensor> arrays, string argument)
    {
        ArgumentNullException.ThrowIfNull(arrays, argument);
        return arrays.Keys.ToArray();
    }

    private void StartEpoch(int carried)
    {
        int count = SampleCount;
        Span<int> permutation = _order.AsSpan(carried, count);
        for (int i = 0; i < count; i++)
        {
            permutation[i] = _first + i;
        }

        if (_shuffle)
        {
            _random.Shuffle(permutation);
        }

        _orderLength = carried + count;
        _cursor = 0;
    }
}

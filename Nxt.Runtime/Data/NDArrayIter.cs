using System;
using System.Collections.Generic;

namespace Nxt;

/// <summary>
/// MXNet <c>NDArrayIter</c>: batches over in-memory data <c>(N, ...)</c> and labels <c>(N)</c>,
/// optionally shuffled each epoch with a fixed seed, with MXNet's last-batch handling.
/// </summary>
public sealed class NDArrayIter : DataIter
{
    private readonly Tensor _data;
    private readonly Tensor? _label;
    private readonly int _sampleLength;
    private readonly int[] _sampleShape;
    private readonly bool _shuffle;
    private readonly LastBatchHandle _lastBatchHandle;
    private readonly RandomSource _random;
    private readonly int[] _order;          // this epoch's sample order: carried-over samples, then a permutation
    private readonly int _batchSize;
    private readonly float[] _batchData;
    private readonly float[]? _batchLabel;
    private readonly DataBatch _batch;
    private int _orderLength;
    private int _cursor;                    // index into _order of the next batch's first sample

    /// <summary>Batches over <paramref name="data"/> (samples along the first axis) and optional labels.</summary>
    public NDArrayIter(Tensor data, Tensor? label, int batchSize, bool shuffle = false, LastBatchHandle lastBatchHandle = LastBatchHandle.Pad, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Rank < 1 || data.Shape[0] < 1)
        {
            throw new ArgumentException($"NDArrayIter needs data with samples along the first axis, got shape {data.ShapeString}.", nameof(data));
        }

        int count = data.Shape[0];
        if (label is not null && (label.Shape[0] != count || label.Length != count))
        {
            throw new ArgumentException($"NDArrayIter: data has {count} samples ({data.ShapeString}) but the labels have shape {label.ShapeString}; expected ({count}).", nameof(label));
        }

        if (batchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "NDArrayIter: the batch size must be at least 1.");
        }

        if (lastBatchHandle != LastBatchHandle.Pad && batchSize > count)
        {
            string why = lastBatchHandle == LastBatchHandle.Discard ? "discarding the last batch leaves nothing" : "rolling the last batch over leaves the first epoch without a batch";
            throw new ArgumentException($"NDArrayIter: batch size {batchSize} exceeds the {count} samples, so {why}; use LastBatchHandle.Pad or a smaller batch.", nameof(batchSize));
        }

        long batchFloats = (long)batchSize * (data.Length / count);
        if (batchFloats > Array.MaxLength || (long)count + batchSize > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"NDArrayIter: a batch of {batchSize} samples of {data.Length / count} values is more than one array can hold ({Array.MaxLength} floats).");
        }

        _data = data;
        _label = label;
        _sampleShape = data.Shape[1..].ToArray();
        _sampleLength = data.Length / count;
        _batchSize = batchSize;
        _shuffle = shuffle;
        _lastBatchHandle = lastBatchHandle;
        _random = new RandomSource(seed);
        _order = new int[count + batchSize];
        _batchData = new float[batchSize * _sampleLength];
        _batchLabel = label is null ? null : new float[batchSize];
        var batchShape = new int[_sampleShape.Length + 1];
        batchShape[0] = batchSize;
        _sampleShape.CopyTo(batchShape, 1);
        _batch = new DataBatch(new Tensor(_batchData, batchShape), _batchLabel is null ? null : new Tensor(_batchLabel, batchSize));
        StartEpoch(carried: 0);
    }

    /// <summary>The number of samples.</summary>
    public int SampleCount => _data.Shape[0];

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
            _data.Span.Slice(sample * _sampleLength, _sampleLength).CopyTo(_batchData.AsSpan(r * _sampleLength, _sampleLength));
            if (_batchLabel is not null)
            {
                _batchLabel[r] = _label!.Span[sample];
            }
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

    private void StartEpoch(int carried)
    {
        int count = SampleCount;
        Span<int> permutation = _order.AsSpan(carried, count);
        for (int i = 0; i < count; i++)
        {
            permutation[i] = i;
        }

        if (_shuffle)
        {
            _random.Shuffle(permutation);
        }

        _orderLength = carried + count;
        _cursor = 0;
    }
}

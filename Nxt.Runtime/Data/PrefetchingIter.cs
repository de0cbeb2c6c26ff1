using System;
using System.Collections.Generic;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace Nxt;

/// <summary>
/// Prepares the next batch of another iterator on a background thread while the current one
/// trains (MXNet <c>PrefetchingIter</c>). Two batch buffers alternate, so after the first batch
/// nothing is allocated; an exception in the inner iterator surfaces in <see cref="MoveNext"/>.
/// </summary>
public sealed class PrefetchingIter : DataIter, IDisposable
{
    private readonly DataIter _inner;
    private readonly DataBatch?[] _buffers = new DataBatch?[2];
    private readonly SemaphoreSlim _produce = new(0);
    private readonly SemaphoreSlim _produced = new(0);
    private readonly Thread _producer;
    private DataBatch? _current;
    private int _writeIndex;
    private bool _lastHadData;
    private bool _inFlight;
    private bool _disposed;
    private ExceptionDispatchInfo? _failure;

    /// <summary>Wraps <paramref name="inner"/>; the wrapper owns reading from it from now on.</summary>
    public PrefetchingIter(DataIter inner)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _producer = new Thread(Produce) { IsBackground = true, Name = "Nxt prefetch" };
        _producer.Start();
    }

    /// <inheritdoc/>
    public override int BatchSize => _inner.BatchSize;

    /// <inheritdoc/>
    public override IReadOnlyList<int> SampleShape => _inner.SampleShape;

    /// <inheritdoc/>
    public override DataBatch Current => _current ?? throw new InvalidOperationException("PrefetchingIter: call MoveNext first.");

    /// <inheritdoc/>
    public override bool MoveNext()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_inFlight)
        {
            StartProducing();
        }

        _produced.Wait();
        _inFlight = false;
        _failure?.Throw();
        if (!_lastHadData)
        {
            return false;
        }

        _current = _buffers[_writeIndex];
        _writeIndex = 1 - _writeIndex; // the next batch goes into the other buffer
        StartProducing();
        return true;
    }

    /// <inheritdoc/>
    public override void Reset()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_inFlight)
        {
            _produced.Wait();
            _inFlight = false;
        }

        _failure = null;
        _inner.Reset();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        if (_inFlight)
        {
            _produced.Wait();
        }

        _disposed = true;
        _produce.Release();
        _producer.Join();
        _produce.Dispose();
        _produced.Dispose();
    }

    private void StartProducing()
    {
        _inFlight = true;
        _produce.Release();
    }

    private void Produce()
    {
        while (true)
        {
            _produce.Wait();
            if (_disposed)
            {
                return;
            }

            try
            {
                _lastHadData = _inner.MoveNext();
                if (_lastHadData)
                {
                    CopyInto(_inner.Current, ref _buffers[_writeIndex]);
                }
            }
            catch (Exception ex)
            {
                _failure = ExceptionDispatchInfo.Capture(ex);
                _lastHadData = false;
            }

            _produced.Release();
        }
    }

    private static void CopyInto(DataBatch source, ref DataBatch? target)
    {
        if (target is null)
        {
            target = new DataBatch(Like(source.Inputs), Like(source.Labels), 0, source.DataNames, source.LabelNames);
        }

        for (int i = 0; i < source.Inputs.Count; i++)
        {
            source.Inputs[i].Span.CopyTo(target.Inputs[i].Span);
        }

        for (int i = 0; i < source.Labels.Count; i++)
        {
            source.Labels[i].Span.CopyTo(target.Labels[i].Span);
        }

        target.Pad = source.Pad;
    }

    private static Tensor[] Like(IReadOnlyList<Tensor> tensors)
    {
        var copies = new Tensor[tensors.Count];
        for (int i = 0; i < copies.Length; i++)
        {
            copies[i] = new Tensor(new float[tensors[i].Length], tensors[i].Shape.ToArray());
        }

        return copies;
    }
}

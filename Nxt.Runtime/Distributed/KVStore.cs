using System;
using System.Collections.Generic;
using Nxt.Distributed;

namespace Nxt;

/// <summary>
/// MXNet's key-value store for data-parallel training. <c>local</c> and <c>device</c> aggregate
/// in one process (both on the host: each device has an ILGPU context of its own, and copies
/// between contexts go through host memory anyway); <c>dist_sync</c> and <c>dist_device_sync</c> aggregate across the worker
/// processes of an MPI job (<c>mpiexec.mpich -np N</c>), synchronously: every worker pushes,
/// every worker pulls the same sum. A process started without <c>mpiexec</c> is a job of one
/// worker. <see cref="Module.Fit"/> and <see cref="Module.InitOptimizer"/> take one: the module
/// then starts from rank 0's parameters, sums every step's gradients across the workers (in a
/// few large buckets, each started as soon as the backward pass has finished it, never one call
/// per parameter) and applies the same update on each, with the gradient rescaled by
/// 1 / (batch per worker × workers).
/// </summary>
public sealed class KVStore
{
    private readonly Dictionary<string, float[]> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int[]> _shapes = new(StringComparer.Ordinal);

    private KVStore(string type, bool distributed)
    {
        Type = type;
        IsDistributed = distributed;
        if (distributed && Mpi.LaunchedByMpiexec)
        {
            Mpi.EnsureInitialized();
            Rank = Mpi.Rank();
            NumWorkers = Mpi.Size();
            UsesMpi = true;
        }
        else
        {
            NumWorkers = 1;
        }
    }

    /// <summary>
    /// MXNet <c>kv.create</c>: <c>"local"</c>, <c>"device"</c>, <c>"dist_sync"</c> or
    /// <c>"dist_device_sync"</c>. The dist types need MPICH's <c>libmpich.so.12</c> when the
    /// process runs under <c>mpiexec</c>.
    /// </summary>
    public static KVStore Create(string type = "local")
    {
        ArgumentNullException.ThrowIfNull(type);
        return type switch
        {
            "local" or "device" => new KVStore(type, distributed: false),
            "dist_sync" or "dist_device_sync" => new KVStore(type, distributed: true),
            "dist_async" => throw new NotSupportedException("KVStore 'dist_async' (parameter servers updating asynchronously) is not supported: use 'dist_sync', which MPI runs as synchronous allreduce."),
            _ => throw new ArgumentException($"Unknown kvstore type '{type}': use local, device, dist_sync or dist_device_sync.", nameof(type)),
        };
    }

    /// <summary>The type given to <see cref="Create"/>.</summary>
    public string Type { get; }

    /// <summary>This worker's index in the job, 0 to <see cref="NumWorkers"/> - 1.</summary>
    public int Rank { get; }

    /// <summary>The number of worker processes (1 for a local store, or a dist store outside <c>mpiexec</c>).</summary>
    public int NumWorkers { get; }

    /// <summary>
    /// True (the default): a module training with this store on the CPU starts summing each
    /// bucket of gradients over the workers as soon as the backward pass has finished it, so
    /// communication overlaps the rest of the pass. False sums them all after the pass (for
    /// measuring what the overlap wins). Read when a module joins the store.
    /// </summary>
    public bool OverlapsBackward { get; set; } = true;

    /// <summary>True for the dist types.</summary>
    public bool IsDistributed { get; }

    /// <summary>True when the workers talk over MPI: a dist store in a process mpiexec started.</summary>
    internal bool UsesMpi { get; }

    // Only a job of several MPI workers has anything to exchange.
    private bool Reduces => UsesMpi && NumWorkers > 1;

    /// <summary>MXNet <c>kv.init</c>: stores <paramref name="value"/> under <paramref name="key"/>; in a dist store, rank 0's value on every worker.</summary>
    public void Init(string key, Tensor value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (_values.ContainsKey(key))
        {
            throw new InvalidOperationException($"KVStore.Init: key '{key}' is already initialised.");
        }

        var stored = value.ToArray();
        Broadcast(stored);
        _values[key] = stored;
        _shapes[key] = value.Shape.ToArray();
    }

    /// <summary>MXNet <c>kv.push</c> of one value: the store's value becomes its sum over the workers.</summary>
    public void Push(string key, Tensor value) => Push(key, [value ?? throw new ArgumentNullException(nameof(value))]);

    /// <summary>
    /// MXNet <c>kv.push</c> of a list (one value per device): the store's value becomes their sum,
    /// summed again over the workers of a dist store.
    /// </summary>
    public void Push(string key, IReadOnlyList<Tensor> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var stored = Stored(key, nameof(Push));
        if (values.Count == 0)
        {
            throw new ArgumentException($"KVStore.Push('{key}'): give at least one value.", nameof(values));
        }

        Array.Clear(stored);
        foreach (var value in values)
        {
            CheckShape(key, value, nameof(Push));
            Cpu.ElementwiseKernels.AddInPlace(stored, value.Span);
        }

        AllReduce(stored);
    }

    /// <summary>MXNet <c>kv.pull</c>: copies the store's value into <paramref name="output"/>.</summary>
    public void Pull(string key, Tensor output) => Pull(key, [output ?? throw new ArgumentNullException(nameof(output))]);

    /// <summary>MXNet <c>kv.pull</c> into several outputs (one per device).</summary>
    public void Pull(string key, IReadOnlyList<Tensor> outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        var stored = Stored(key, nameof(Pull));
        foreach (var output in outputs)
        {
            CheckShape(key, output, nameof(Pull));
            stored.CopyTo(output.Span);
        }
    }

    /// <summary>
    /// Sums <paramref name="values"/> element-wise over the workers, in place, without a key (Horovod's
    /// allreduce; nothing to do in one process). Every worker must call it with the same length.
    /// </summary>
    public void AllReduce(Span<float> values)
    {
        if (!Reduces)
        {
            return;
        }

        // In buckets: MPICH over shared memory runs 64 MB in one call 40 times slower than in 4 MB
        // pieces (bench/RESULTS.md); each bucket is still large enough to run at full bandwidth.
        for (int start = 0; start < values.Length; start += BucketFloats)
        {
            Mpi.AllReduce(values.Slice(start, Math.Min(BucketFloats, values.Length - start)));
        }
    }

    /// <summary>The most floats one allreduce call carries (4 MiB).</summary>
    internal const int BucketFloats = 1 << 20;

    /// <summary>Sums <paramref name="values"/> across the workers, in place.</summary>
    internal void AllReduce(Span<double> values)
    {
        if (Reduces)
        {
            Mpi.AllReduce(values);
        }
    }

    /// <summary>Rank 0's <paramref name="values"/> on every worker.</summary>
    internal void Broadcast(Span<float> values)
    {
        if (Reduces)
        {
            Mpi.Broadcast(values);
        }
    }

    /// <summary>Rank 0's <paramref name="bytes"/> on every worker.</summary>
    internal void Broadcast(Span<byte> bytes)
    {
        if (Reduces)
        {
            Mpi.Broadcast(bytes);
        }
    }

    /// <summary>The largest of <paramref name="value"/> over the workers.</summary>
    internal long Max(long value)
    {
        Span<long> one = [value];
        if (Reduces)
        {
            Mpi.AllReduce(one, Mpi.Max);
        }

        return one[0];
    }

    private float[] Stored(string key, string operation)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _values.TryGetValue(key, out var stored)
            ? stored
            : throw new KeyNotFoundException($"KVStore.{operation}: key '{key}' was never initialised; call Init('{key}', value) first.");
    }

    private void CheckShape(string key, Tensor value, string operation)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Shape.SequenceEqual(_shapes[key]))
        {
            throw new ArgumentException($"KVStore.{operation}('{key}'): the key holds shape {Tensor.FormatShape(_shapes[key])}, but the value has {value.ShapeString}.", nameof(value));
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"KVStore({Type}, rank {Rank} of {NumWorkers})";
}

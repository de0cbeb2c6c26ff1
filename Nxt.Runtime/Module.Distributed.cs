using System;
using System.Text;
using Nxt.Distributed;

namespace Nxt;

public abstract partial class Module
{
    private KVStore? _kvStore;
    private OverlappedGradientSum? _overlappedSum;

    /// <summary>The kvstore given to <see cref="InitOptimizer"/> or <see cref="Fit"/>, if any.</summary>
    public KVStore? KVStore => _kvStore;

    /// <summary>True on the worker that logs and writes checkpoints: rank 0, or the only process.</summary>
    public bool IsLeadWorker => _kvStore is null || _kvStore.Rank == 0;

    /// <summary>Buckets of gradients whose sum over the workers started while a backward pass still ran.</summary>
    internal long BucketsSummedDuringBackward => _overlappedSum?.StartedDuringBackward ?? 0;

    // The gradient is the mean over the batch of every worker together.
    private int WorkerCount => _kvStore?.NumWorkers ?? 1;

    /// <summary>
    /// Joins the job of <paramref name="kvStore"/>: every worker checks that its network is the
    /// same as rank 0's (names and shapes, the first difference named), then takes rank 0's
    /// parameters and auxiliary states, so that identical updates keep them identical.
    /// </summary>
    private void JoinKVStore(KVStore? kvStore)
    {
        LeaveKVStore();
        _kvStore = kvStore;
        if (kvStore is null || !kvStore.UsesMpi)
        {
            return;
        }

        if (kvStore.OverlapsBackward && kvStore.NumWorkers > 1)
        {
            _overlappedSum = new OverlappedGradientSum(_parameterGradients);
        }

        CheckSameNetwork(kvStore);
        PullFromDevice();
        kvStore.Broadcast(_parameters);
        kvStore.Broadcast(_auxiliaryStates);
        MarkHostParametersChanged();
    }

    // Sums still in flight write into buffers this module owns: they complete before it lets go.
    private void LeaveKVStore()
    {
        if (_overlappedSum is { Active: true } inFlight)
        {
            inFlight.Abandon();
        }

        _overlappedSum = null;
        _kvStore = null;
    }

    // Rank 0's description of the network against this worker's, then every worker learns whether any differs.
    private void CheckSameNetwork(KVStore kvStore)
    {
        byte[] mine = Encoding.UTF8.GetBytes(NetworkSignature());
        int length = (int)kvStore.Max(mine.Length);
        var lead = new byte[length];
        mine.CopyTo(lead, 0);
        kvStore.Broadcast(lead);
        string leadText = Encoding.UTF8.GetString(lead).TrimEnd('\0');
        string? difference = FirstDifference(leadText, NetworkSignature());
        if (kvStore.Max(difference is null ? 0 : 1) == 0)
        {
            return;
        }

        throw new InvalidOperationException(difference is null
            ? $"{Layout.NetworkName}: another worker's network differs from rank 0's; every worker must train the same network (see that worker's error)."
            : $"{Layout.NetworkName} on worker {kvStore.Rank} differs from rank 0's network: {difference}. Every worker must train the same network.");
    }

    /// <summary>Every argument and auxiliary state with its kind and shape, a line each (the class name may differ).</summary>
    private string NetworkSignature()
    {
        var text = new StringBuilder();
        foreach (var spec in Layout.Arguments)
        {
            text.Append(spec.Kind).Append(' ').Append(spec.Name).Append(' ').Append(Tensor.FormatShape(spec.ShapeFor(0))).Append('\n');
        }

        foreach (var spec in Layout.AuxiliaryStates)
        {
            text.Append("aux ").Append(spec.Name).Append(' ').Append(Tensor.FormatShape(spec.ShapeFor(0))).Append('\n');
        }

        return text.ToString();
    }

    private static string? FirstDifference(string lead, string mine)
    {
        string[] a = lead.Split('\n'), b = mine.Split('\n');
        for (int i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            string left = i < a.Length ? a[i] : "(nothing)", right = i < b.Length ? b[i] : "(nothing)";
            if (left != right)
            {
                return $"rank 0 has '{left}' where this worker has '{right}'";
            }
        }

        return null;
    }

    /// <summary>
    /// Sums this step's parameter gradients over the workers, in a few large buckets: the rest of
    /// those the backward pass started, or (when it started none: on a device, over replicas, with
    /// <see cref="KVStore.OverlapsBackward"/> off, or a network too small) all of them now.
    /// </summary>
    private void AllReduceGradients(KVStore kvStore)
    {
        if (_overlappedSum is { Active: true } overlapped)
        {
            overlapped.Finish(kvStore);
            return;
        }

        if (_executor is not null)
        {
            PullFromDevice();
        }

        kvStore.AllReduce(_parameterGradients);
    }

    /// <summary>Sums each metric's totals over the workers, so the logged value is the whole job's.</summary>
    private void MergeMetric(EvalMetric metric)
    {
        if (_kvStore is not { UsesMpi: true } kvStore)
        {
            return;
        }

        foreach (var leaf in Flatten(metric))
        {
            Span<double> totals = [leaf.SumMetric, leaf.NumInst];
            kvStore.AllReduce(totals);
            leaf.SetTotals(totals[0], (long)totals[1]);
        }
    }
}

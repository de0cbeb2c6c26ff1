using System;
using System.Collections.Generic;
using System.Linq;

namespace Nxt;

/// <summary>Several metrics updated together (MXNet <c>CompositeEvalMetric</c>); its value is the first's.</summary>
public sealed class CompositeMetric : EvalMetric
{
    // An array, walked with for: enumerating through the interface would allocate every batch.
    private readonly EvalMetric[] _metrics;

    /// <summary>Combines the metrics, in order.</summary>
    public CompositeMetric(params EvalMetric[] metrics)
        : base(string.Join(",", metrics.Select(m => m.Name)))
    {
        if (metrics.Length == 0)
        {
            throw new ArgumentException("CompositeMetric needs at least one metric.", nameof(metrics));
        }

        _metrics = [.. metrics];
    }

    /// <summary>The metrics, in order.</summary>
    public IReadOnlyList<EvalMetric> Metrics => _metrics;

    /// <inheritdoc/>
    public override double Value => Metrics[0].Value;

    /// <inheritdoc/>
    public override double LocalValue => Metrics[0].LocalValue;

    /// <inheritdoc/>
    public override void Reset()
    {
        base.Reset();
        foreach (var metric in Metrics)
        {
            metric.Reset();
        }
    }

    /// <inheritdoc/>
    public override void ResetLocal()
    {
        base.ResetLocal();
        foreach (var metric in Metrics)
        {
            metric.ResetLocal();
        }
    }

    /// <inheritdoc/>
    public override void Update(ReadOnlySpan<float> labels, ReadOnlySpan<float> predictions, int rows, int classes)
    {
        for (int i = 0; i < _metrics.Length; i++)
        {
            _metrics[i].Update(labels, predictions, rows, classes);
        }

        Accumulate(0, rows);
    }
}

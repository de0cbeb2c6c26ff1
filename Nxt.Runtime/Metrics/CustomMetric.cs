using System;
using System.Collections.Generic;
using System.Linq;

namespace Nxt;

/// <summary>A metric's contribution of a batch: the sum and the number of instances it covers.</summary>
public delegate (double Sum, long Count) MetricFunction(ReadOnlySpan<float> labels, ReadOnlySpan<float> predictions, int rows, int classes);

/// <summary>A metric from a delegate (MXNet <c>CustomMetric</c>): the value is Σ sums / Σ counts.</summary>
public sealed class CustomMetric(string name, MetricFunction function) : EvalMetric(name)
{
    /// <inheritdoc/>
    public override void Update(ReadOnlySpan<float> labels, ReadOnlySpan<float> predictions, int rows, int classes)
    {
        var (sum, count) = function(labels, predictions, rows, classes);
        Accumulate(sum, count);
    }
}

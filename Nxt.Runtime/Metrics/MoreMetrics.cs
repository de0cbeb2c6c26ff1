using System;
using System.Collections.Generic;
using System.Linq;

namespace Nxt;

/// <summary>How <see cref="F1"/> averages over classes.</summary>
public enum F1Average
{
    /// <summary>The F1 of class 1 (two classes, class 1 positive), as MXNet's default.</summary>
    Binary,
    /// <summary>The mean of each class's F1.</summary>
    Macro,
}

/// <summary>
/// F1 score from the argmax prediction: <c>2·precision·recall / (precision + recall)</c>, of the
/// positive class (binary) or averaged over classes (macro). Counts accumulate globally and locally.
/// </summary>
public sealed class F1 : EvalMetric
{
    private readonly F1Average _average;
    private readonly Dictionary<int, (long TruePositive, long FalsePositive, long FalseNegative)> _global = [];
    private readonly Dictionary<int, (long TruePositive, long FalsePositive, long FalseNegative)> _local = [];

    /// <summary>Creates the metric.</summary>
    public F1(F1Average average = F1Average.Binary)
        : base(average == F1Average.Binary ? "f1" : "f1_macro") => _average = average;

    /// <inheritdoc/>
    public override double Value => Compute(_global);

    /// <inheritdoc/>
    public override double LocalValue => Compute(_local);

    /// <inheritdoc/>
    public override void Reset()
    {
        base.Reset();
        _global.Clear();
    }

    /// <inheritdoc/>
    public override void ResetLocal()
    {
        base.ResetLocal();
        _local.Clear();
    }

    /// <inheritdoc/>
    public override void Update(ReadOnlySpan<float> labels, ReadOnlySpan<float> predictions, int rows, int classes)
    {
        CheckLengths(labels, predictions, rows, classes, labelsPerRow: 1);
        if (_average == F1Average.Binary && classes != 2)
        {
            throw new ArgumentException($"f1 (binary) needs two classes, got predictions of {classes}; use F1Average.Macro.", nameof(classes));
        }

        for (int r = 0; r < rows; r++)
        {
            int label = ClassIndex(labels[r], r, classes);
            int predicted = ArgMax(predictions.Slice(r * classes, classes));
            Count(_global, label, predicted, classes);
            Count(_local, label, predicted, classes);
        }

        Accumulate(0, rows);
    }

    private static void Count(Dictionary<int, (long, long, long)> counts, int label, int predicted, int classes)
    {
        for (int c = 0; c < classes; c++)
        {
            var (tp, fp, fn) = counts.TryGetValue(c, out var value) ? value : default;
            if (predicted == c && label == c)
            {
                tp++;
            }
            else if (predicted == c)
            {
                fp++;
            }
            else if (label == c)
            {
                fn++;
            }

            counts[c] = (tp, fp, fn);
        }
    }

    private double Compute(Dictionary<int, (long TruePositive, long FalsePositive, long FalseNegative)> counts)
    {
        if (counts.Count == 0)
        {
            return double.NaN;
        }

        static double Score((long TruePositive, long FalsePositive, long FalseNegative) c)
            => c.TruePositive == 0 ? 0 : 2.0 * c.TruePositive / ((2.0 * c.TruePositive) + c.FalsePositive + c.FalseNegative);

        return _average == F1Average.Binary ? Score(counts[1]) : counts.Values.Average(Score);
    }
}

/// <summary>Base of the regression metrics: one label per predicted value.</summary>
public abstract class RegressionMetric(string name) : EvalMetric(name)
{
    /// <inheritdoc/>
    public override void Update(ReadOnlySpan<float> labels, ReadOnlySpan<float> predictions, int rows, int classes)
    {
        CheckLengths(labels, predictions, rows, classes, labelsPerRow: classes);
        double sum = 0;
        for (int i = 0; i < rows * classes; i++)
        {
            sum += Error(predictions[i] - labels[i]);
        }

        Accumulate(sum, (long)rows * classes);
    }

    /// <summary>The contribution of one prediction's error.</summary>
    protected abstract double Error(double difference);
}

/// <summary>Mean absolute error (MXNet <c>mae</c>).</summary>
public sealed class MeanAbsoluteError() : RegressionMetric("mae")
{
    /// <inheritdoc/>
    protected override double Error(double difference) => Math.Abs(difference);
}

/// <summary>Mean squared error (MXNet <c>mse</c>).</summary>
public sealed class MeanSquaredError() : RegressionMetric("mse")
{
    /// <inheritdoc/>
    protected override double Error(double difference) => difference * difference;
}

/// <summary>
/// Root mean squared error (<c>rmse</c>): the square root of the mean over every prediction seen.
/// MXNet averages per-batch roots instead, which depends on the batch size; this does not.
/// </summary>
public sealed class RootMeanSquaredError() : RegressionMetric("rmse")
{
    /// <inheritdoc/>
    public override double Value => Math.Sqrt(base.Value);

    /// <inheritdoc/>
    public override double LocalValue => Math.Sqrt(base.LocalValue);

    /// <inheritdoc/>
    protected override double Error(double difference) => difference * difference;
}

/// <summary>Perplexity: <c>exp</c> of the mean negative log-probability of the labels, rows labelled <c>ignoreLabel</c> left out.</summary>
public sealed class Perplexity(int? ignoreLabel = null) : EvalMetric("perplexity")
{
    /// <inheritdoc/>
    public override double Value => Math.Exp(base.Value);

    /// <inheritdoc/>
    public override double LocalValue => Math.Exp(base.LocalValue);

    /// <inheritdoc/>
    public override void Update(ReadOnlySpan<float> labels, ReadOnlySpan<float> predictions, int rows, int classes)
    {
        CheckLengths(labels, predictions, rows, classes, labelsPerRow: 1);
        double sum = 0;
        long count = 0;
        for (int r = 0; r < rows; r++)
        {
            if (ignoreLabel is int ignore && (int)labels[r] == ignore)
            {
                continue;
            }

            sum -= Math.Log(Math.Max(predictions[(r * classes) + ClassIndex(labels[r], r, classes)], 1e-10f));
            count++;
        }

        Accumulate(sum, count);
    }
}

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

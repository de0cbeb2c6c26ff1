using System;

namespace Nxt;

/// <summary>
/// An evaluation metric accumulated over batches (MXNet <c>EvalMetric</c>): the value is
/// <see cref="SumMetric"/> / <see cref="NumInst"/>. Predictions are rows of class scores.
/// </summary>
public abstract partial class EvalMetric
{
    private readonly string _name;
    private double _localSum;
    private long _localCount;

    /// <summary>Sets the metric's name as logs show it.</summary>
    protected EvalMetric(string name) => _name = name;

    /// <summary>The name, as in <c>Train-accuracy</c>; with a <see cref="Head"/>, prefixed by it: <c>Train-color-accuracy</c>.</summary>
    public string Name => Head is null ? _name : $"{Head}-{_name}";

    /// <summary>
    /// The labelled loss this metric scores in a network with several (its node name, e.g.
    /// <c>color</c>: its output against <c>color_label</c>; MXNet's <c>output_names</c> and
    /// <c>label_names</c>); null scores the first labelled loss.
    /// </summary>
    public string? Head { get; init; }

    /// <summary>The accumulated sum since <see cref="Reset"/>.</summary>
    public double SumMetric { get; private set; }

    /// <summary>The number of instances since <see cref="Reset"/>.</summary>
    public long NumInst { get; private set; }

    /// <summary>The global value (since <see cref="Reset"/>), or NaN before any instance.</summary>
    public virtual double Value => NumInst == 0 ? double.NaN : SumMetric / NumInst;

    /// <summary>The local value (since <see cref="ResetLocal"/>, e.g. over the last logging window), or NaN.</summary>
    public virtual double LocalValue => _localCount == 0 ? double.NaN : _localSum / _localCount;

    /// <summary>Forgets every accumulated instance, global and local.</summary>
    public virtual void Reset()
    {
        SumMetric = 0;
        NumInst = 0;
        ResetLocal();
    }

    /// <summary>Starts a new local window; the global value is kept.</summary>
    public virtual void ResetLocal()
    {
        _localSum = 0;
        _localCount = 0;
    }

    /// <summary>
    /// Accumulates <paramref name="rows"/> predictions of <paramref name="classes"/> values each
    /// against their labels (one class index per row; or, for regression metrics, one value per
    /// prediction).
    /// </summary>
    public virtual void Update(ReadOnlySpan<float> labels, ReadOnlySpan<float> predictions, int rows, int classes)
    {
        CheckLengths(labels, predictions, rows, classes, labelsPerRow: 1);
        for (int r = 0; r < rows; r++)
        {
            Accumulate(Score(ClassIndex(labels[r], r, classes), predictions.Slice(r * classes, classes)), 1);
        }
    }

    /// <summary>The metric's contribution of one row (for row-wise classification metrics).</summary>
    protected virtual double Score(int label, ReadOnlySpan<float> prediction)
        => throw new InvalidOperationException($"{GetType().Name} must override Score or Update.");

    /// <summary>Replaces the global totals (the job's, summed over the workers of a data-parallel run).</summary>
    internal void SetTotals(double sum, long count)
    {
        SumMetric = sum;
        NumInst = count;
    }

    /// <summary>Adds to both the global and the local sums.</summary>
    protected void Accumulate(double sum, long count)
    {
        SumMetric += sum;
        NumInst += count;
        _localSum += sum;
        _localCount += count;
    }

    /// <summary>Checks that the spans hold what <paramref name="rows"/> rows need.</summary>
    protected void CheckLengths(ReadOnlySpan<float> labels, ReadOnlySpan<float> predictions, int rows, int classes, int labelsPerRow)
    {
        if (labels.Length < (long)rows * labelsPerRow || predictions.Length < (long)rows * classes)
        {
            throw new ArgumentException($"{Name}: {rows} rows of {classes} values need {(long)rows * labelsPerRow} labels and {(long)rows * classes} predictions; got {labels.Length} and {predictions.Length}.");
        }
    }

    /// <summary>A label as a class index, or a clear error naming the row.</summary>
    protected int ClassIndex(float label, int row, int classes)
    {
        int index = (int)label;
        if (index < 0 || index >= classes || index != label)
        {
            throw new ArgumentException($"{Name}: label {label} of row {row} is not a class index in 0..{classes - 1}.", nameof(label));
        }

        return index;
    }

    /// <summary>Index of the largest score (the first, on ties).</summary>
    protected static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }
}

/// <summary>The fraction of rows whose highest score is the label (MXNet <c>accuracy</c>).</summary>
public sealed class Accuracy : EvalMetric
{
    /// <summary>Creates the metric.</summary>
    public Accuracy()
        : base("accuracy")
    {
    }

    /// <inheritdoc/>
    protected override double Score(int label, ReadOnlySpan<float> prediction) => ArgMax(prediction) == label ? 1 : 0;
}

/// <summary>The fraction of rows whose label is among the <c>k</c> highest scores (MXNet <c>top_k_accuracy_k</c>).</summary>
public sealed class TopKAccuracy : EvalMetric
{
    private readonly int _k;

    /// <summary>Creates the metric for <paramref name="topK"/> &gt;= 1.</summary>
    public TopKAccuracy(int topK)
        : base($"top_k_accuracy_{topK}")
    {
        if (topK < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(topK), topK, "top-k accuracy needs k >= 1.");
        }

        _k = topK;
    }

    /// <inheritdoc/>
    protected override double Score(int label, ReadOnlySpan<float> prediction)
    {
        // The label is in the top k when fewer than k classes score strictly higher.
        float target = prediction[label];
        int higher = 0;
        foreach (float v in prediction)
        {
            if (v > target)
            {
                higher++;
            }
        }

        return higher < _k ? 1 : 0;
    }
}

/// <summary>Mean <c>-log(p[label] + eps)</c> over rows of probabilities (MXNet <c>cross-entropy</c>, eps 1e-12).</summary>
public sealed class CrossEntropy : EvalMetric
{
    private readonly double _eps;

    /// <summary>Creates the metric.</summary>
    public CrossEntropy(double eps = 1e-12)
        : base("cross-entropy") => _eps = eps;

    /// <inheritdoc/>
    protected override double Score(int label, ReadOnlySpan<float> prediction) => -Math.Log(prediction[label] + _eps);
}

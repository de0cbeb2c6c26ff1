using System;

namespace Nxt;

/// <summary>
/// An evaluation metric accumulated over batches (MXNet <c>EvalMetric</c>): the value is
/// <see cref="SumMetric"/> / <see cref="NumInst"/>. Predictions are rows of class scores.
/// </summary>
public abstract class EvalMetric
{
    /// <summary>Sets the metric's name as logs show it.</summary>
    protected EvalMetric(string name) => Name = name;

    /// <summary>The name, as in <c>Train-accuracy</c>.</summary>
    public string Name { get; }

    /// <summary>The accumulated sum.</summary>
    public double SumMetric { get; protected set; }

    /// <summary>The number of instances accumulated.</summary>
    public long NumInst { get; protected set; }

    /// <summary>The current value, or NaN before any instance.</summary>
    public double Value => NumInst == 0 ? double.NaN : SumMetric / NumInst;

    /// <summary>Forgets every accumulated instance.</summary>
    public virtual void Reset()
    {
        SumMetric = 0;
        NumInst = 0;
    }

    /// <summary>
    /// Accumulates <paramref name="rows"/> predictions (<paramref name="classes"/> scores each)
    /// against their labels.
    /// </summary>
    public void Update(ReadOnlySpan<float> labels, ReadOnlySpan<float> predictions, int rows, int classes)
    {
        if (labels.Length < rows || predictions.Length < (long)rows * classes)
        {
            throw new ArgumentException($"{Name}: {rows} rows of {classes} classes need {rows} labels and {(long)rows * classes} predictions; got {labels.Length} and {predictions.Length}.");
        }

        for (int r = 0; r < rows; r++)
        {
            int label = (int)labels[r];
            if (label < 0 || label >= classes || label != labels[r])
            {
                throw new ArgumentException($"{Name}: label {labels[r]} of row {r} is not a class index in 0..{classes - 1}.", nameof(labels));
            }

            SumMetric += Score(label, predictions.Slice(r * classes, classes));
        }

        NumInst += rows;
    }

    /// <summary>The metric's contribution of one row.</summary>
    protected abstract double Score(int label, ReadOnlySpan<float> prediction);

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

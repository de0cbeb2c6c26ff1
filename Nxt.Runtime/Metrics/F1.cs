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

using System;
using System.Collections.Generic;
using System.Linq;

namespace Nxt;

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

using System;
using System.Collections.Generic;
using System.Linq;

namespace Nxt;

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

using System;
using System.Collections.Generic;
using System.Linq;

namespace Nxt;

public abstract partial class EvalMetric
{
    // MXNet's registry names (mx.metric.create), each with its aliases.
    private static readonly (string[] Names, Func<int, EvalMetric> Make)[] s_registry =
    [
        (["acc", "accuracy"], _ => new Accuracy()),
        (["top_k_accuracy", "top_k_acc"], topK => new TopKAccuracy(topK)),
        (["ce", "cross-entropy", "crossentropy"], _ => new CrossEntropy()),
        (["f1"], _ => new F1()),
        (["mae"], _ => new MeanAbsoluteError()),
        (["mse"], _ => new MeanSquaredError()),
        (["rmse"], _ => new RootMeanSquaredError()),
        (["perplexity"], _ => new Perplexity()),
    ];

    /// <summary>
    /// MXNet <c>mx.metric.create</c>: a metric by its MXNet name, any case: <c>acc</c> (or
    /// <c>accuracy</c>), <c>top_k_accuracy</c> (with <paramref name="topK"/>), <c>ce</c> (or
    /// <c>cross-entropy</c>), <c>f1</c>, <c>mae</c>, <c>mse</c>, <c>rmse</c>, <c>perplexity</c>.
    /// </summary>
    public static EvalMetric Create(string name, int topK = 1)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var (names, make) in s_registry)
        {
            if (names.Contains(name.ToLowerInvariant()))
            {
                return make(topK);
            }
        }

        throw new ArgumentException($"EvalMetric.Create: no metric named '{name}'; the names are {string.Join(", ", s_registry.Select(r => r.Names[0]))} (and the aliases accuracy, top_k_acc, cross-entropy).", nameof(name));
    }

    /// <summary>MXNet <c>mx.metric.create([...])</c>: one metric per name, together (a <see cref="CompositeMetric"/>).</summary>
    public static EvalMetric Create(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var metrics = names.Select(n => Create(n)).ToArray();
        return metrics.Length > 0 ? new CompositeMetric(metrics) : throw new ArgumentException("EvalMetric.Create: give at least one metric name.", nameof(names));
    }
}

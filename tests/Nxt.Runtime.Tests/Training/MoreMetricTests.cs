namespace Nxt.Runtime.Tests.Training;

/// <summary>The toolkit's metrics against values computed by hand.</summary>
public class MoreMetricTests
{
    // Five rows of two classes; labels 1, 1, 0, 0, 1; predicted 1, 0, 1, 0, 1.
    private static readonly float[] Labels = [1, 1, 0, 0, 1];
    private static readonly float[] Scores = [0.2f, 0.8f, 0.6f, 0.4f, 0.3f, 0.7f, 0.9f, 0.1f, 0.4f, 0.6f];

    [Fact]
    public void Binary_f1_is_that_of_class_one()
    {
        var f1 = new F1();
        f1.Update(Labels, Scores, 5, 2);
        // class 1: tp 2, fp 1, fn 1 -> precision 2/3, recall 2/3
        Assert.Equal(2.0 / 3, f1.Value, 12);
    }

    [Fact]
    public void Macro_f1_averages_the_classes()
    {
        var f1 = new F1(F1Average.Macro);
        f1.Update(Labels, Scores, 5, 2);
        // class 0: tp 1, fp 1, fn 1 -> 0.5; class 1: 2/3
        Assert.Equal((0.5 + (2.0 / 3)) / 2, f1.Value, 12);
        Assert.Throws<ArgumentException>(() => new F1().Update([0f], [0.1f, 0.2f, 0.7f], 1, 3));
    }

    [Fact]
    public void Regression_errors()
    {
        float[] labels = [1, 2, 3, 4], predictions = [1.5f, 2, 2, 5];
        var mae = new MeanAbsoluteError();
        var mse = new MeanSquaredError();
        var rmse = new RootMeanSquaredError();
        foreach (var metric in new EvalMetric[] { mae, mse, rmse })
        {
            metric.Update(labels, predictions, rows: 2, classes: 2);
        }

        Assert.Equal(2.5 / 4, mae.Value, 6);
        Assert.Equal(2.25 / 4, mse.Value, 6);
        Assert.Equal(Math.Sqrt(2.25 / 4), rmse.Value, 6);
    }

    [Fact]
    public void Perplexity_is_the_exponent_of_the_mean_cross_entropy_without_ignored_rows()
    {
        var perplexity = new Perplexity(ignoreLabel: 2);
        perplexity.Update([0f, 1f, 2f], [0.5f, 0.25f, 0.25f, 0.1f, 0.8f, 0.1f, 0.3f, 0.3f, 0.4f], 3, 3);
        Assert.Equal(Math.Exp(-(Math.Log(0.5) + Math.Log(0.8)) / 2), perplexity.Value, 5);
    }

    [Fact]
    public void Local_values_cover_the_window_since_the_last_local_reset()
    {
        var accuracy = new Accuracy();
        accuracy.Update([1f], [0f, 1f], 1, 2);
        accuracy.ResetLocal();
        accuracy.Update([0f], [0f, 1f], 1, 2);
        Assert.Equal(0.0, accuracy.LocalValue);
        Assert.Equal(0.5, accuracy.Value);
    }

    [Fact]
    public void Composite_and_custom_metrics_update_together()
    {
        var custom = new CustomMetric("top_score", (labels, predictions, rows, classes) =>
        {
            double sum = 0;
            for (int r = 0; r < rows; r++)
            {
                sum += predictions.Slice(r * classes, classes).ToArray().Max();
            }

            return (sum, rows);
        });
        var composite = new CompositeMetric(new Accuracy(), custom);
        composite.Update(Labels, Scores, 5, 2);
        Assert.Equal("accuracy,top_score", composite.Name);
        Assert.Equal(0.6, composite.Metrics[0].Value, 12);
        Assert.Equal((0.8 + 0.6 + 0.7 + 0.9 + 0.6) / 5, custom.Value, 6);
        composite.Reset();
        Assert.True(double.IsNaN(custom.Value));
    }

    [Fact]
    public void Fit_logs_each_metric_of_a_composite()
    {
        var iter = new NDArrayIter(new Tensor(TestData.Random(8 * 6, 1), 8, 6), new Tensor([0f, 1, 2, 0, 1, 2, 0, 1], 8), 4);
        using var net = new Networks.TinyMlp();
        var log = new StringWriter();
        net.Fit(iter, numEpoch: 1, evalMetric: new CompositeMetric(new Accuracy(), new CrossEntropy()), log: log);
        Assert.Contains("Epoch[0] Train-accuracy=", log.ToString());
        Assert.Contains("Epoch[0] Train-cross-entropy=", log.ToString());
    }
}

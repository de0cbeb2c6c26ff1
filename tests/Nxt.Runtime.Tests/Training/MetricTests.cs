using Nxt.Runtime.Tests.Networks;

namespace Nxt.Runtime.Tests.Training;

public class MetricTests
{
    // Three rows of four class scores; labels 1, 3, 0.
    private static readonly float[] Scores = [0.1f, 0.6f, 0.2f, 0.1f, 0.3f, 0.4f, 0.2f, 0.1f, 0.25f, 0.25f, 0.4f, 0.1f];
    private static readonly float[] Labels = [1, 3, 0];

    [Fact]
    public void Accuracy_counts_rows_whose_top_score_is_the_label()
    {
        var metric = new Accuracy();
        metric.Update(Labels, Scores, 3, 4);
        Assert.Equal(1.0 / 3, metric.Value, 12);
        Assert.Equal("accuracy", metric.Name);
    }

    [Fact]
    public void TopK_counts_labels_among_the_k_best()
    {
        var top2 = new TopKAccuracy(2);
        top2.Update(Labels, Scores, 3, 4);
        Assert.Equal(2.0 / 3, top2.Value, 12); // row 2: label 0 ties second at 0.25
        var top3 = new TopKAccuracy(3);
        top3.Update(Labels, Scores, 3, 4);
        Assert.Equal(2.0 / 3, top3.Value, 12); // row 1: label 3 is the lowest score
        Assert.Equal("top_k_accuracy_2", top2.Name);
    }

    [Fact]
    public void CrossEntropy_is_the_mean_negative_log_probability_of_the_label()
    {
        var metric = new CrossEntropy();
        metric.Update(Labels, Scores, 3, 4);
        double expected = -(Math.Log(0.6) + Math.Log(0.1) + Math.Log(0.25)) / 3;
        Assert.Equal(expected, metric.Value, 5);
    }

    [Fact]
    public void Values_accumulate_across_updates_until_reset()
    {
        var metric = new Accuracy();
        metric.Update(Labels, Scores, 3, 4);
        metric.Update([1f], Scores.AsSpan(0, 4), 1, 4);
        Assert.Equal(2.0 / 4, metric.Value, 12);
        metric.Reset();
        Assert.True(double.IsNaN(metric.Value));
    }

    [Fact]
    public void Module_UpdateMetric_leaves_padded_rows_out()
    {
        using var net = new TinyMlp();
        net.Bind(4, forTraining: false);
        net.InitParams();
        var batch = new DataBatch(new Tensor(TestData.Random(24, 3), 4, 6), new Tensor([0f, 1, 2, 0], 4), pad: 3);
        net.Forward(batch);
        var metric = new Accuracy();
        net.UpdateMetric(metric, batch);
        Assert.Equal(1, metric.NumInst);
    }

    [Fact]
    public void Labels_outside_the_classes_are_rejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Accuracy().Update([4f], Scores.AsSpan(0, 4), 1, 4));
        Assert.Contains("0..3", ex.Message);
    }
}

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Nxt;
using Spectre.Console;

namespace FashionMnistMlp;

/// <summary>
/// What the sample shows while and after training: a live progress bar per epoch (plain lines
/// when the output is not a terminal), the per-epoch loss and accuracy, a training-curve PNG
/// and the network's graph.
/// </summary>
internal sealed class TrainingReport(CompositeMetric train, CompositeMetric validation)
{
    private readonly List<(double TrainAccuracy, double TrainLoss, double ValidationAccuracy, double ValidationLoss)> _epochs = [];

    /// <summary>Records the epoch's four values (pass as Fit's epochEndCallback).</summary>
    public void OnEpochEnd(EpochEndParam end)
        => _epochs.Add((train.Metrics[0].Value, train.Metrics[1].Value, validation.Metrics[0].Value, validation.Metrics[1].Value));

    /// <summary>Runs <paramref name="fit"/> under a live progress bar fed by its batch-end callback.</summary>
    public static void WithProgress(int batchesPerEpoch, int batchSize, Action<Action<BatchEndParam>, TextWriter> fit)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            var speedometer = new Speedometer(batchSize, frequent: 200);
            fit(speedometer.OnBatchEnd, Console.Out);
            return;
        }

        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                ProgressTask? task = null;
                var clock = Stopwatch.StartNew();
                void OnBatch(BatchEndParam batch)
                {
                    if (batch.BatchIndex == 0)
                    {
                        task?.StopTask();
                        task = context.AddTask($"Epoch {batch.Epoch}", maxValue: batchesPerEpoch);
                        clock.Restart();
                    }

                    task!.Increment(1);
                    double speed = (batch.BatchIndex + 1) * batchSize / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
                    task.Description = $"Epoch {batch.Epoch}  {speed,8:F0} samples/s  accuracy {batch.Metric.Value:F4}";
                }

                fit(OnBatch, new ConsoleAbove());
                task?.StopTask();
            });
    }

    /// <summary>Plots loss and accuracy per epoch, train and validation, to a PNG.</summary>
    public void SaveCurve(string path)
    {
        double[] epochs = Enumerable.Range(1, _epochs.Count).Select(e => (double)e).ToArray();
        var plot = new ScottPlot.Plot();
        void Line(Func<(double, double, double, double), double> pick, string label, bool loss)
        {
            var line = plot.Add.Scatter(epochs, _epochs.Select(e => pick(e)).ToArray());
            line.LegendText = label;
            line.LinePattern = loss ? ScottPlot.LinePattern.Dashed : ScottPlot.LinePattern.Solid;
            if (loss)
            {
                line.Axes.YAxis = plot.Axes.Right;
            }
        }

        Line(e => e.Item1, "train accuracy", loss: false);
        Line(e => e.Item3, "validation accuracy", loss: false);
        Line(e => e.Item2, "train loss", loss: true);
        Line(e => e.Item4, "validation loss", loss: true);
        plot.Title("FashionMlp on Fashion-MNIST");
        plot.Axes.Bottom.Label.Text = "epoch";
        plot.Axes.Left.Label.Text = "accuracy (solid)";
        plot.Axes.Right.Label.Text = "cross-entropy (dashed)";
        plot.ShowLegend(ScottPlot.Alignment.MiddleRight);
        plot.SavePng(path, 800, 500);
    }

    /// <summary>Writes the graph as dot, and as SVG when Graphviz's <c>dot</c> is installed (Debian: graphviz).</summary>
    public static string SaveGraph(string dotPath, string dot)
    {
        File.WriteAllText(dotPath, dot);
        string svgPath = Path.ChangeExtension(dotPath, ".svg");
        try
        {
            using var render = Process.Start(new ProcessStartInfo("dot", ["-Tsvg", "-o", svgPath, dotPath]) { RedirectStandardError = true })!;
            render.WaitForExit();
            return render.ExitCode == 0 ? $"{dotPath} and {svgPath}" : dotPath;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return $"{dotPath} (install graphviz to render it: dot -Tsvg {dotPath})";
        }
    }

    // Lines written while the progress bar is live go above it.
    private sealed class ConsoleAbove : TextWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void WriteLine(string? value) => AnsiConsole.WriteLine(value ?? string.Empty);
    }
}

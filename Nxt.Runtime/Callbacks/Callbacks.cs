using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using Microsoft.Extensions.Logging;

namespace Nxt;

/// <summary>What a batch-end callback sees (MXNet <c>BatchEndParam</c>); <paramref name="Module"/> is the module training, when <see cref="Module.Fit"/> calls.</summary>
public readonly record struct BatchEndParam(int Epoch, int BatchIndex, EvalMetric Metric, int BatchSize, Module? Module = null);

/// <summary>What an epoch-end callback sees: the epoch just finished and the module, for checkpoints.</summary>
public readonly record struct EpochEndParam(int Epoch, Module Module, double TrainMetric, double? ValidationMetric);

/// <summary>
/// Logs throughput every <c>frequent</c> batches: <c>Epoch[0] Batch [100]	Speed: 5120.33 samples/sec	accuracy=0.812500</c>.
/// The value logged is the metric's local value over those batches; only the local window is
/// reset (<see cref="EvalMetric.ResetLocal"/>), never the global value, so unlike MXNet's
/// <c>auto_reset</c> the epoch's train and validation results stay correct. In a data-parallel
/// job only rank 0 logs (its own speed and metric window: every worker runs at the job's pace).
/// </summary>
public sealed class Speedometer
{
    private readonly int _frequent;
    private readonly TextWriter _log;
    private readonly ILogger? _logger;
    private readonly Stopwatch _clock = new();
    private int _lastEpoch = -1;

    /// <summary>Logs every <paramref name="frequent"/> batches to <paramref name="logger"/>, else <paramref name="log"/> (default: standard output).</summary>
    public Speedometer(int batchSize, int frequent = 50, TextWriter? log = null, ILogger? logger = null)
    {
        _logger = logger;
        if (frequent < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(frequent), frequent, "Speedometer: frequent must be at least 1.");
        }

        BatchSize = batchSize;
        _frequent = frequent;
        _log = log ?? Console.Out;
    }

    /// <summary>The batch size used to turn batches per second into samples per second.</summary>
    public int BatchSize { get; }

    /// <summary>The samples per second of the last logged interval.</summary>
    public double LastSpeed { get; private set; }

    /// <summary>Call after every batch.</summary>
    public void OnBatchEnd(BatchEndParam param)
    {
        if (param.Epoch != _lastEpoch || param.BatchIndex == 0)
        {
            _lastEpoch = param.Epoch;
            param.Metric.ResetLocal();
            _clock.Restart();
            return;
        }

        if (param.BatchIndex % _frequent != 0)
        {
            return;
        }

        if (param.Module is { IsLeadWorker: false })
        {
            param.Metric.ResetLocal();
            _clock.Restart();
            return;
        }

        double seconds = _clock.Elapsed.TotalSeconds;
        LastSpeed = seconds > 0 ? _frequent * BatchSize / seconds : double.PositiveInfinity;
        var metrics = param.Metric is CompositeMetric composite ? composite.Metrics : [param.Metric];
        var line = new System.Text.StringBuilder(string.Create(CultureInfo.InvariantCulture, $"Epoch[{param.Epoch}] Batch [{param.BatchIndex}]\tSpeed: {LastSpeed:F2} samples/sec"));
        foreach (var metric in metrics)
        {
            line.Append(CultureInfo.InvariantCulture, $"\t{metric.Name}={metric.LocalValue:F6}");
        }

        if (_logger is not null)
        {
            _logger.LogInformation("{Message}", line.ToString());
        }
        else
        {
            _log.WriteLine(line.ToString());
        }

        param.Metric.ResetLocal();
        _clock.Restart();
    }
}

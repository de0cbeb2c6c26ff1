using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
using Microsoft.Extensions.Logging;

namespace Nxt;

/// <summary>One epoch of <see cref="Module.Fit"/>: its training metric, validation metric and time.</summary>
public readonly record struct EpochResult(int Epoch, double TrainMetric, double? ValidationMetric, double Seconds);

public abstract partial class Module
{
    private bool _stopRequested;

    /// <summary>Asks a running <see cref="Fit"/> to stop after the current epoch (early stopping).</summary>
    public void StopTraining() => _stopRequested = true;

    /// <summary>
    /// MXNet <c>Module.fit</c>: binds for the iterator's batch size if needed, initialises the
    /// parameters (default <c>Uniform(0.01)</c>) and the optimizer (default <c>Sgd(0.01)</c>)
    /// if not done yet, then trains <paramref name="numEpoch"/> epochs, logging
    /// <c>Epoch[0] Train-accuracy=...</c>, <c>Epoch[0] Time cost=...</c> and
    /// <c>Epoch[0] Validation-accuracy=...</c> to <paramref name="logger"/> if given, else to
    /// <paramref name="log"/> (default: standard output).
    /// With <paramref name="numericGuard"/>, every batch's values, gradients and updated parameters
    /// are checked, and the first NaN or infinity stops training with a
    /// <see cref="NumericInstabilityException"/> naming the layer and step. Without it, the primary
    /// output is checked after every forward pass, so a run whose loss or parameters diverge
    /// still stops with that exception, one batch later at most.
    /// </summary>
    public IReadOnlyList<EpochResult> Fit(
        DataIter trainData,
        DataIter? evalData = null,
        int numEpoch = 1,
        Optimizer? optimizer = null,
        Initializer? initializer = null,
        EvalMetric? evalMetric = null,
        EvalMetric? validationMetric = null,
        Action<BatchEndParam>? batchEndCallback = null,
        Action<EpochEndParam>? epochEndCallback = null,
        int beginEpoch = 0,
        TextWriter? log = null,
        bool numericGuard = false,
        ILogger? logger = null,
        CancellationToken cancellationToken = default)
    {
        using var use = Use(nameof(Fit));
        ArgumentNullException.ThrowIfNull(trainData);
        ThrowIfDisposed();
        if (numEpoch < beginEpoch)
        {
            throw new ArgumentOutOfRangeException(nameof(numEpoch), numEpoch, $"Fit: numEpoch must be at least beginEpoch ({beginEpoch}).");
        }

        if (!IsBound || BatchSize != trainData.BatchSize || !ForTraining)
        {
            Bind(trainData.BatchSize, forTraining: true, GradReq, Device, CurrentGradReqs());
        }

        if (numericGuard && !Device.IsCpu)
        {
            throw new ArgumentException($"{Layout.NetworkName}.Fit: numericGuard checks every value in host memory, which a module bound to {Device} does not keep; bind to Device.Cpu to find where a NaN appears.", nameof(numericGuard));
        }

        InitParams(initializer);
        InitOptimizer(optimizer);
        evalMetric ??= new Accuracy();
        validationMetric ??= evalMetric;
        var sink = new LogSink(log, logger);
        var history = new List<EpochResult>();
        var clock = new Stopwatch();
        _stopRequested = false;
        for (int epoch = beginEpoch; epoch < numEpoch && !_stopRequested; epoch++)
        {
            clock.Restart();
            evalMetric.Reset();
            int batchIndex = 0;
            while (trainData.MoveNext())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = trainData.Current;
                Forward(batch, isTrain: true);
                if (numericGuard)
                {
                    CheckFinite("forward", epoch, batchIndex);
                }
                else
                {
                    CheckOutputFinite(epoch, batchIndex); // without the guard, the loss's output: a diverged run stops
                }

                Backward();
                if (numericGuard)
                {
                    CheckFinite("backward", epoch, batchIndex);
                }

                Update();
                if (numericGuard)
                {
                    CheckFinite("update", epoch, batchIndex);
                }

                UpdateMetric(evalMetric, batch);
                batchEndCallback?.Invoke(new BatchEndParam(epoch, batchIndex, evalMetric, BatchSize));
                batchIndex++;
            }

            trainData.Reset();
            double trainValue = evalMetric.Value;
            double seconds = clock.Elapsed.TotalSeconds;
            foreach (var metric in Flatten(evalMetric))
            {
                sink.Write($"Epoch[{epoch}] Train-{metric.Name}={metric.Value:F6}");
            }

            sink.Write($"Epoch[{epoch}] Time cost={seconds:F3}");
            double? validationValue = null;
            if (evalData is not null)
            {
                validationValue = Score(evalData, validationMetric);
                foreach (var metric in Flatten(validationMetric))
                {
                    sink.Write($"Epoch[{epoch}] Validation-{metric.Name}={metric.Value:F6}");
                }
            }

            history.Add(new EpochResult(epoch, trainValue, validationValue, seconds));
            epochEndCallback?.Invoke(new EpochEndParam(epoch, this, trainValue, validationValue));
        }

        return history;
    }

    /// <summary>
    /// MXNet <c>Module.score</c>: runs inference over <paramref name="evalData"/> (from its start)
    /// and returns the metric (default accuracy), leaving padded rows out.
    /// </summary>
    public double Score(DataIter evalData, EvalMetric? metric = null, CancellationToken cancellationToken = default)
    {
        using var use = Use(nameof(Score));
        ArgumentNullException.ThrowIfNull(evalData);
        metric ??= new Accuracy();
        EnsureBoundFor(evalData, nameof(Score));
        metric.Reset();
        evalData.Reset();
        while (evalData.MoveNext())
        {
            cancellationToken.ThrowIfCancellationRequested();
            Forward(evalData.Current, isTrain: false);
            UpdateMetric(metric, evalData.Current);
        }

        evalData.Reset();
        return metric.Value;
    }

    /// <summary>
    /// MXNet <c>Module.predict</c>: the first output for every sample of <paramref name="data"/>
    /// (from its start), padded rows left out: shape <c>(samples, ...)</c>.
    /// </summary>
    public Tensor Predict(DataIter data, CancellationToken cancellationToken = default)
    {
        using var use = Use(nameof(Predict));
        ArgumentNullException.ThrowIfNull(data);
        EnsureBoundFor(data, nameof(Predict));
        var spec = Layout.Outputs[0];
        var rows = new List<float>();
        int samples = 0;
        data.Reset();
        while (data.MoveNext())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = data.Current;
            Forward(batch, isTrain: false);
            int valid = batch.BatchSize - batch.Pad;
            foreach (float v in _outputs[0].Span[..(valid * spec.SampleLength)])
            {
                rows.Add(v);
            }

            samples += valid;
        }

        data.Reset();
        return new Tensor(rows.ToArray(), spec.ShapeFor(samples));
    }

    /// <summary>Predicts every sample of <paramref name="data"/> <c>(N, ...)</c>, batching by the bound batch size (or 128).</summary>
    public Tensor Predict(Tensor data)
    {
        using var use = Use(nameof(Predict));
        ArgumentNullException.ThrowIfNull(data);
        int batchSize = IsBound ? BatchSize : Math.Min(128, data.Shape[0]);
        return Predict(new NDArrayIter(data, null, batchSize));
    }

    // The per-parameter requirements of the current Bind, so that rebinding keeps frozen layers frozen.
    private Dictionary<string, GradReq>? CurrentGradReqs()
    {
        if (_parameterGradReqs.Length == 0)
        {
            return null;
        }

        var reqs = new Dictionary<string, GradReq>(StringComparer.Ordinal);
        for (int i = 0; i < _parameterGradReqs.Length; i++)
        {
            reqs[Layout.Parameters[i].Name] = _parameterGradReqs[i];
        }

        return reqs;
    }

    private void EnsureBoundFor(DataIter data, string operation)
    {
        ThrowIfDisposed();
        if (!IsBound)
        {
            Bind(data.BatchSize, forTraining: false);
        }
        else if (BatchSize != data.BatchSize)
        {
            throw new ArgumentException(
                $"{Layout.NetworkName}.{operation}: the module is bound for batch size {BatchSize}, but the iterator gives batches of {data.BatchSize}. Use the same batch size, or Bind({data.BatchSize}, forTraining: false) first.",
                nameof(data));
        }
    }

    // A composite metric logs each of its metrics on its own line, as MXNet does.
    private static IReadOnlyList<EvalMetric> Flatten(EvalMetric metric) => metric is CompositeMetric composite ? composite.Metrics : [metric];

    /// <summary>Where Fit's epoch lines go: an <see cref="ILogger"/> (information level) when given, else a writer (default: standard output).</summary>
    private readonly struct LogSink(TextWriter? writer, ILogger? logger)
    {
        public void Write(FormattableString message)
        {
            string text = message.ToString(CultureInfo.InvariantCulture);
            if (logger is not null)
            {
                logger.LogInformation("{Message}", text);
            }
            else
            {
                (writer ?? Console.Out).WriteLine(text);
            }
        }
    }
}

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
    /// With a dist <paramref name="kvStore"/> (a worker of an <c>mpiexec</c> job), each worker
    /// trains on its rank's part of <paramref name="trainData"/> (unless the iterator was built for
    /// a part), the gradients are summed over the workers every step, the training metric is the
    /// job's, and only rank 0 logs (evaluation data is scored whole on every worker).
    /// As in MXNet, <paramref name="argParams"/> and <paramref name="auxParams"/> start training
    /// from given values (with <paramref name="allowMissing"/>, the parameters not given are
    /// initialised), parameters already set are kept unless <paramref name="forceInit"/>, and
    /// <paramref name="evalBatchEndCallback"/> sees each validation batch.
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
        CancellationToken cancellationToken = default,
        KVStore? kvStore = null,
        Action<BatchEndParam>? evalBatchEndCallback = null,
        IReadOnlyDictionary<string, Tensor>? argParams = null,
        IReadOnlyDictionary<string, Tensor>? auxParams = null,
        bool allowMissing = false,
        bool forceInit = false)
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
            bool several = _replicas.Length > 0;
            Bind(trainData.BatchSize, forTraining: true, GradReq, several ? null : Device, CurrentGradReqs(), devices: several ? Devices : null);
        }

        if (numericGuard && !Device.IsCpu)
        {
            throw new ArgumentException($"{Layout.NetworkName}.Fit: numericGuard checks every value in host memory, which a module bound to {Device} does not keep; bind to Device.Cpu to find where a NaN appears.", nameof(numericGuard));
        }

        if (argParams is not null || auxParams is not null)
        {
            // MXNet's fine-tuning start: the given values (checked first), the rest initialised
            // (with allowMissing), unless the module holds parameters already and forceInit is off.
            if (!ParamsInitialized || forceInit)
            {
                InitParams(initializer, argParams ?? new Dictionary<string, Tensor>(), auxParams, allowMissing);
            }
        }
        else
        {
            InitParams(initializer, forceInit);
        }

        // A new kvstore re-prepares the optimizer (the rescale counts the workers): the one given, else the one set.
        InitOptimizer(optimizer ?? _optimizer, forceInit: kvStore is not null && kvStore != _kvStore, kvStore: kvStore ?? _kvStore);
        if (_kvStore is { NumWorkers: > 1 } job)
        {
            trainData.PartitionForWorkers(job.NumWorkers, job.Rank);
        }

        // A mistake in either iterator (names, shapes, labels) stops Fit before any training.
        CheckFirstBatch(trainData, "Fit(trainData)");
        if (evalData is not null)
        {
            CheckFirstBatch(evalData, "Fit(evalData)");
        }

        evalMetric ??= DefaultMetric();
        validationMetric ??= evalMetric;
        var sink = new LogSink(log, logger, silent: !IsLeadWorker);
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
                batchEndCallback?.Invoke(new BatchEndParam(epoch, batchIndex, evalMetric, BatchSize, this));
                batchIndex++;
            }

            trainData.Reset();
            MergeMetric(evalMetric);
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
                validationValue = Score(evalData, validationMetric, cancellationToken, batchEndCallback: evalBatchEndCallback, epoch: epoch);
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
    /// MXNet <c>Module.score</c>: runs inference over <paramref name="evalData"/> (from its start,
    /// or with <paramref name="reset"/> false from where it stands) and returns the metric
    /// (default accuracy; with several labelled losses, one per loss), leaving padded rows out;
    /// <paramref name="numBatch"/> stops after that many batches, and
    /// <paramref name="batchEndCallback"/> sees each (with <paramref name="epoch"/>). An iterator
    /// of another batch size than the bound one is evaluated with an inference binding of its own
    /// size that shares the parameters.
    /// </summary>
    public double Score(
        DataIter evalData,
        EvalMetric? metric = null,
        CancellationToken cancellationToken = default,
        int? numBatch = null,
        Action<BatchEndParam>? batchEndCallback = null,
        bool reset = true,
        int epoch = 0)
    {
        using var use = Use(nameof(Score));
        ArgumentNullException.ThrowIfNull(evalData);
        if (numBatch is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(numBatch), numBatch, "Score: numBatch must not be negative.");
        }

        var scored = metric ?? DefaultMetric();
        return EvaluateAt(evalData.BatchSize, () =>
        {
            scored.Reset();
            if (reset)
            {
                evalData.Reset();
            }

            int batchIndex = 0;
            while ((numBatch is null || batchIndex < numBatch) && evalData.MoveNext())
            {
                cancellationToken.ThrowIfCancellationRequested();
                Forward(evalData.Current, isTrain: false);
                UpdateMetric(scored, evalData.Current);
                batchEndCallback?.Invoke(new BatchEndParam(epoch, batchIndex, scored, evalData.BatchSize, this));
                batchIndex++;
            }

            evalData.Reset();
            return scored.Value;
        });
    }

    /// <summary>
    /// MXNet <c>Module.predict</c>: the first output for every sample of <paramref name="data"/>
    /// (from its start), padded rows left out: shape <c>(samples, ...)</c>. Any batch size.
    /// </summary>
    public Tensor Predict(DataIter data, CancellationToken cancellationToken = default)
    {
        using var use = Use(nameof(Predict));
        return PredictAll(data, cancellationToken)[0];
    }

    /// <summary>
    /// Every output (<c>OutputNames</c> order) for every sample of <paramref name="data"/>, padded
    /// rows left out: MXNet's <c>predict(merge_batches=True)</c> of a network with several outputs.
    /// </summary>
    public IReadOnlyList<Tensor> PredictAll(DataIter data, CancellationToken cancellationToken = default)
    {
        using var use = Use(nameof(PredictAll));
        ArgumentNullException.ThrowIfNull(data);
        return EvaluateAt(data.BatchSize, () =>
        {
            var outputs = Layout.Outputs;
            var rows = new List<float>[outputs.Count];
            for (int o = 0; o < rows.Length; o++)
            {
                rows[o] = [];
            }

            int samples = 0;
            data.Reset();
            while (data.MoveNext())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = data.Current;
                Forward(batch, isTrain: false);
                int valid = batch.BatchSize - batch.Pad;
                for (int o = 0; o < rows.Length; o++)
                {
                    rows[o].AddRange(_outputs[o].Span[..(valid * outputs[o].SampleLength)]);
                }

                samples += valid;
            }

            data.Reset();
            var result = new Tensor[rows.Length];
            for (int o = 0; o < rows.Length; o++)
            {
                result[o] = new Tensor(rows[o].ToArray(), outputs[o].ShapeFor(samples));
            }

            return (IReadOnlyList<Tensor>)result;
        });
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

    // The iterator's first batch, matched and checked as Forward would (names, shapes, label
    // classes), then the iterator rewound: a mistake surfaces before an epoch is spent.
    private void CheckFirstBatch(DataIter data, string operation)
    {
        data.Reset();
        if (!data.MoveNext())
        {
            throw new ArgumentException($"{Layout.NetworkName}.{operation}: the iterator gives no batch.", nameof(data));
        }

        var batch = data.Current;
        EvaluateAt(data.BatchSize, () =>
        {
            if (MatchBatch(batch, operation))
            {
                CopyLabels(operation);
            }

            return 0;
        });
        data.Reset();
    }

    // A composite metric logs each of its metrics on its own line, as MXNet does.
    private static IReadOnlyList<EvalMetric> Flatten(EvalMetric metric) => metric is CompositeMetric composite ? composite.Metrics : [metric];

    /// <summary>
    /// Where Fit's epoch lines go: an <see cref="ILogger"/> (information level) when given, else a
    /// writer (default: standard output); nowhere on the workers of a job other than rank 0.
    /// </summary>
    private readonly struct LogSink(TextWriter? writer, ILogger? logger, bool silent)
    {
        public void Write(FormattableString message)
        {
            if (silent)
            {
                return;
            }

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

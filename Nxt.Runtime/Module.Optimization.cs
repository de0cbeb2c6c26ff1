using System;

namespace Nxt;

public abstract partial class Module
{
    private Optimizer? _optimizer;
    private float[] _optimizerState = [];
    private int[] _stateOffsets = [];
    private float[] _weightDecayMultipliers = [];
    private float[] _learningRateMultipliers = [];
    private readonly SlicedUpdate _slicedUpdate = new();

    /// <summary>The optimizer set by <see cref="InitOptimizer"/>, if any.</summary>
    public Optimizer? Optimizer => _optimizer;

    /// <summary>
    /// Sets the optimizer (default <c>Sgd(0.01)</c>) and allocates its state. As in MXNet,
    /// the optimizer's gradient rescale becomes 1/batch size, so gradients are batch means. With a
    /// dist <paramref name="kvStore"/> the module joins its job (rank 0's parameters on every
    /// worker, after checking that every worker has the same network), every <see cref="Update"/>
    /// sums the gradients over the workers first, and the rescale is 1 / (batch × workers): so a
    /// hand-written Forward/Backward/Update loop is distributed too.
    /// </summary>
    public void InitOptimizer(Optimizer? optimizer = null, bool forceInit = false, KVStore? kvStore = null)
    {
        using var use = Use(nameof(InitOptimizer));
        ThrowIfNotBound(nameof(InitOptimizer));
        if (_optimizer is not null && !forceInit && kvStore == _kvStore)
        {
            return;
        }

        optimizer ??= new Sgd();

        // Everything that can fail first (the layout of the new optimizer's state, states loaded
        // with a checkpoint that must fit it): a failed call leaves the module's optimizer as it was.
        var parameters = Layout.Parameters;
        var stateOffsets = new int[parameters.Count + 1];
        var weightDecayMultipliers = new float[parameters.Count];
        var learningRateMultipliers = new float[parameters.Count];
        for (int i = 0; i < parameters.Count; i++)
        {
            stateOffsets[i + 1] = stateOffsets[i] + optimizer.StateLength(parameters[i].SampleLength);
            weightDecayMultipliers[i] = optimizer.WeightDecayMultiplier(parameters[i].Name);
            learningRateMultipliers[i] = optimizer.LearningRateMultiplier(parameters[i].Name);
        }

        if (_pendingOptimizerStates is not null)
        {
            CheckOptimizerStates(_pendingOptimizerStates, optimizer, stateOffsets);
        }

        PullFromDevice();
        JoinKVStore(kvStore);
        optimizer.RescaleGrad = 1.0f / ((float)BatchSize * WorkerCount);
        _stateOffsets = stateOffsets;
        _weightDecayMultipliers = weightDecayMultipliers;
        _learningRateMultipliers = learningRateMultipliers;
        _optimizerState = new float[_stateOffsets[^1]];
        _optimizer = optimizer;
        if (_pendingOptimizerStates is not null)
        {
            ApplyPendingOptimizerStates(); // states loaded with the checkpoint before there was an optimizer
        }

        PrepareDeviceOptimizer();
    }

    /// <summary>Applies the optimizer to every parameter, from the gradients of the last <see cref="Backward"/>.</summary>
    public void Update()
    {
        using var use = Use(nameof(Update));
        ThrowIfNotBound(nameof(Update));
        var optimizer = _optimizer
            ?? throw new InvalidOperationException($"{Layout.NetworkName}.Update needs an optimizer: call InitOptimizer(...) first.");
        optimizer.BeginUpdate();
        float learningRate = optimizer.CurrentLearningRate;
        if (_kvStore is { UsesMpi: true } kvStore)
        {
            // Every worker sums the job's gradients and applies the same update: on the host, as
            // the gradients come there to be reduced.
            AllReduceGradients(kvStore);
            UpdateOnHost(optimizer, learningRate);
            if (_executor is { } device)
            {
                device.UploadParameters(_parameters, _auxiliaryStates);
                _optimizerOnDevice = false;
            }

            return;
        }

        if (_executor is { } executor)
        {
            UpdateOnDevice(executor, optimizer, learningRate);
            return;
        }

        UpdateOnHost(optimizer, learningRate);
    }

    private void UpdateOnHost(Optimizer optimizer, float learningRate)
    {
        var parameters = Layout.Parameters;
        for (int i = 0; i < parameters.Count; i++)
        {
            if (ParameterGradReqs[i] == GradReq.Null)
            {
                continue; // frozen
            }

            var p = parameters[i];
            float rate = learningRate * _learningRateMultipliers[i], decay = optimizer.WeightDecay * _weightDecayMultipliers[i];
            if (optimizer.UpdatesElementwise && p.SampleLength >= SlicedUpdate.MinParallelLength && Cpu.CpuWorkers.Parallelism > 1 && Cpu.CpuWorkers.WorkersAwake)
            {
                _slicedUpdate.Run(optimizer, _parameters, _parameterGradients, p.Offset, p.SampleLength, _optimizerState, _stateOffsets[i], rate, decay);
                continue;
            }

            optimizer.Update(
                _parameters.AsSpan(p.Offset, p.SampleLength),
                _parameterGradients.AsSpan(p.Offset, p.SampleLength),
                _optimizerState.AsSpan(_stateOffsets[i], _stateOffsets[i + 1] - _stateOffsets[i]),
                rate,
                decay);
        }
    }

    /// <summary>
    /// Updates <paramref name="metric"/> with the last forward pass's first output against the
    /// batch's labels, leaving out the rows the iterator padded.
    /// </summary>
    public void UpdateMetric(EvalMetric metric, DataBatch batch)
    {
        using var use = Use(nameof(UpdateMetric));
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(batch);
        ThrowIfNotBound(nameof(UpdateMetric));
        if (batch.Labels.Count == 0)
        {
            throw new ArgumentException($"{Layout.NetworkName}.UpdateMetric: the batch has no labels to compare with.", nameof(batch));
        }

        if (!_hasForward)
        {
            throw new InvalidOperationException($"{Layout.NetworkName}.UpdateMetric needs a preceding Forward.");
        }

        if (Layout.Labels.Count == 0)
        {
            // An inference graph: the batch's first label against the first output.
            UpdateHead(metric, batch.Labels[0], _outputs[0], batch.Pad);
            return;
        }

        Match(batch.Labels, batch.LabelNames, Layout.Labels, _batchLabels, "label", nameof(UpdateMetric));
        Route(metric, batch.Pad);
    }

    // A composite's metrics each score their own head; any other metric scores its head, or the first.
    private void Route(EvalMetric metric, int pad)
    {
        if (metric is CompositeMetric composite && composite.Head is null)
        {
            for (int i = 0; i < composite.Metrics.Count; i++)
            {
                Route(composite.Metrics[i], pad);
            }

            return;
        }

        int head = 0;
        if (metric.Head is { } name)
        {
            head = Layout.HeadIndex(name);
            if (head < 0)
            {
                throw new ArgumentException($"{Layout.NetworkName}.UpdateMetric: metric '{metric.Name}' scores head '{name}', but the labelled losses are: {HeadNames()}.", nameof(metric));
            }
        }

        UpdateHead(metric, _batchLabels[head]!, _outputs[Layout.LabelOutputs[head]], pad);
    }

    private void UpdateHead(EvalMetric metric, Tensor label, Tensor output, int pad)
    {
        int classes = output.Shape.Length > 1 ? output.Length / BatchSize : 1;
        int rows = BatchSize - pad;
        int labelsPerRow = label.Length / BatchSize;
        if (labelsPerRow > 1 && labelsPerRow < classes && classes % labelsPerRow == 0)
        {
            // A class label per position (SoftmaxOutput with PreserveShape): each position is a row of scores.
            metric.Update(label.Span[..(rows * labelsPerRow)], output.Span[..(rows * classes)], rows * labelsPerRow, classes / labelsPerRow);
            return;
        }

        metric.Update(label.Span[..(rows * labelsPerRow)], output.Span[..(rows * classes)], rows, classes);
    }

    private string HeadNames()
    {
        var names = new string[Layout.Labels.Count];
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = Layout.HeadName(i);
        }

        return string.Join(", ", names);
    }

    /// <summary>
    /// The metric <c>Fit</c> and <c>Score</c> use when given none: for one labelled loss, accuracy
    /// (MXNet's <c>acc</c>), or mean squared error where the label holds a real value for every
    /// output (a regression head: MXNet's accuracy would take pixel values for class indices);
    /// with several, one metric per loss, named after it, chosen the same way.
    /// </summary>
    private EvalMetric DefaultMetric()
    {
        if (Layout.Labels.Count < 2)
        {
            return Layout.Labels.Count == 1 && IsRealValued(0) ? new MeanSquaredError() : new Accuracy();
        }

        var metrics = new EvalMetric[Layout.Labels.Count];
        for (int i = 0; i < metrics.Length; i++)
        {
            string head = Layout.HeadName(i);
            metrics[i] = IsRealValued(i) ? new MeanSquaredError { Head = head } : new Accuracy { Head = head };
        }

        return new CompositeMetric(metrics);
    }

    // A label with no class count and a value per output element (a custom loss over class indices has one per row).
    private bool IsRealValued(int label)
        => Layout.Labels[label].Classes == 0 && Layout.Labels[label].SampleLength == Layout.Outputs[Layout.LabelOutputs[label]].SampleLength;

    /// <summary>The gradient of a parameter from the last backward pass (a live view).</summary>
    public Tensor GetGradient(string parameterName)
    {
        ThrowIfDisposed();
        var p = FindParameter(parameterName);
        PullFromDevice();
        return Tensor.View(_parameterGradients, p.Offset, p.ShapeFor(0));
    }

    /// <summary>
    /// The gradient of the loss with respect to data input <paramref name="inputName"/> from the
    /// last backward pass, shape <c>(batch, ...)</c> (MXNet's <c>grad_dict</c> of a data argument;
    /// zero for an input no loss reaches). Needs <c>Bind(..., inputsNeedGrad: true)</c>. A live view
    /// on the CPU; copied back from a device.
    /// </summary>
    public Tensor GetInputGradient(string inputName)
    {
        using var use = Use(nameof(GetInputGradient));
        ArgumentNullException.ThrowIfNull(inputName);
        ThrowIfNotBound(nameof(GetInputGradient));
        int index = IndexOf(Layout.Inputs, inputName);
        if (index < 0)
        {
            throw new ArgumentException($"{Layout.NetworkName} has no data input '{inputName}'. Its data inputs are: {Names(Layout.Inputs)}.", nameof(inputName));
        }

        if (!InputGradientsWanted)
        {
            throw new InvalidOperationException($"{Layout.NetworkName}.GetInputGradient('{inputName}') needs the input gradients: Bind(batchSize, inputsNeedGrad: true).");
        }

        var spec = Layout.Inputs[index];
        var region = _gradients.AsSpan(spec.GradientOffset * BatchSize, spec.SampleLength * BatchSize);
        _executor?.DownloadGradients(spec.GradientOffset * BatchSize, region);
        return Tensor.View(_gradients, spec.GradientOffset * BatchSize, spec.ShapeFor(BatchSize));
    }

    private BufferSpec FindParameter(string name)
    {
        foreach (var p in Layout.Parameters)
        {
            if (p.Name == name)
            {
                return p;
            }
        }

        throw new ArgumentException($"{Layout.NetworkName} has no parameter '{name}'. Its parameters are: {string.Join(", ", ParameterNames())}.", nameof(name));
    }

    private string[] ParameterNames()
    {
        var names = new string[Layout.Parameters.Count];
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = Layout.Parameters[i].Name;
        }

        return names;
    }
}

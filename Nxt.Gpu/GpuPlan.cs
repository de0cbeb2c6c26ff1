using System;
using System.Collections.Generic;
using ILGPU;
using ILGPU.Runtime;

namespace Nxt.Gpu;

/// <summary>
/// The base of every generated ILGPU plan. It owns the device and the buffers of the bind-time
/// memory plan (the same per-sample offsets as the CPU plan), allocated once per
/// <see cref="Bind"/>; the generated subclass's <see cref="ForwardCore"/> and
/// <see cref="BackwardCore"/> are the CPU plan's text with the kernels of this package, so both
/// backends run the same steps on the same layout. Everything is queued on one stream: no host
/// synchronisation happens between operators, only where outputs or parameters are read back.
/// </summary>
public abstract class GpuPlan : DeviceExecutor
{
    private readonly NetworkLayout _layout;
    private readonly GpuDevice _device;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _parameters;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _parameterGradients;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _auxiliaryStates;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _nodeState;
    private MemoryBuffer1D<float, Stride1D.Dense>? _activations;
    private MemoryBuffer1D<float, Stride1D.Dense>? _gradients;
    private MemoryBuffer1D<float, Stride1D.Dense>? _labels;
    private PageLockedArray1D<float>[] _dataStaging = [];
    private PageLockedArray1D<float>? _labelStaging;
    private IReadOnlyList<GradReq> _gradReqs = Array.Empty<GradReq>();
    private GpuOptimizer? _optimizer;

    /// <summary>Opens <paramref name="device"/> and allocates what does not depend on the batch size.</summary>
    protected GpuPlan(Device device, NetworkLayout layout)
    {
        _layout = layout ?? throw new ArgumentNullException(nameof(layout));
        _device = GpuDevice.Open(device);
        var accelerator = _device.Accelerator;
        _parameters = accelerator.Allocate1D<float>(Math.Max(1, layout.ParameterFloats));
        _parameterGradients = accelerator.Allocate1D<float>(Math.Max(1, layout.ParameterFloats));
        _auxiliaryStates = accelerator.Allocate1D<float>(Math.Max(1, layout.AuxiliaryFloats));
        _nodeState = accelerator.Allocate1D<float>(Math.Max(1, layout.StateFloats));

        // Device memory starts undefined; the CPU's starts at zero, and a gradient no step writes
        // (a branch that does not reach the loss) must read as zero on both.
        _parameterGradients.MemSetToZero(_device.Stream);
        _nodeState.MemSetToZero(_device.Stream);
    }

    /// <inheritdoc/>
    public override Device Device => _device.Device;

    /// <inheritdoc/>
    public override bool IsUsable => !_device.Poisoned;

    /// <summary>The ILGPU device the plan runs on.</summary>
    public GpuDevice GpuDevice => _device;

    /// <summary>The bound batch size.</summary>
    protected int BatchSize { get; private set; }

    /// <summary>The forward buffers (per-sample offsets times <see cref="BatchSize"/>).</summary>
    protected DeviceSpan Activations => _device.Wrap(_activations ?? throw NotBound());

    /// <summary>The backward buffers.</summary>
    protected DeviceSpan Gradients => _device.Wrap(_gradients ?? throw NotBound());

    /// <summary>All parameters at their absolute offsets.</summary>
    protected DeviceSpan Parameters => _device.Wrap(_parameters);

    /// <summary>All parameter gradients, laid out like <see cref="Parameters"/>.</summary>
    protected DeviceSpan ParameterGradients => _device.Wrap(_parameterGradients);

    /// <summary>All auxiliary states (BatchNorm moving statistics).</summary>
    protected DeviceSpan AuxiliaryStates => _device.Wrap(_auxiliaryStates);

    /// <summary>Fixed-size node state kept from forward to backward.</summary>
    protected DeviceSpan NodeState => _device.Wrap(_nodeState);

    /// <summary>The current batch's labels.</summary>
    protected DeviceSpan Labels => _device.Wrap(_labels ?? throw NotBound());

    /// <summary>Seeds for the dropout masks of the current pass.</summary>
    protected DeviceRandom Random { get; } = new();

    /// <summary>The forward plan (generated).</summary>
    protected abstract void ForwardCore(bool isTrain);

    /// <summary>The backward plan (generated).</summary>
    protected abstract void BackwardCore();

    /// <summary>True when bound with <c>inputsNeedGrad</c>: the backward plan computes the data inputs' gradients.</summary>
    protected bool InputGradientsWanted { get; private set; }

    /// <summary>True when the backward plan must compute parameter <paramref name="index"/>'s gradient.</summary>
    protected bool GradientWanted(int index) => _gradReqs[index] != GradReq.Null;

    /// <summary>True when parameter <paramref name="index"/>'s gradient adds to the previous one.</summary>
    protected bool GradientAdds(int index) => _gradReqs[index] == GradReq.Add;

    /// <inheritdoc/>
    public override void Bind(int batchSize, bool forTraining, IReadOnlyList<GradReq> gradReqs, bool inputsNeedGrad)
    {
        DisposeBatchBuffers();
        var accelerator = _device.Accelerator;
        long gradientFloats = _layout.GradientFloatsPerSample + (inputsNeedGrad ? _layout.InputGradientFloatsPerSample : 0);
        _activations = accelerator.Allocate1D<float>(Math.Max(1L, (long)_layout.ActivationFloatsPerSample * batchSize));
        _gradients = accelerator.Allocate1D<float>(forTraining ? Math.Max(1L, gradientFloats * batchSize) : 1L);
        _labels = accelerator.Allocate1D<float>(Math.Max(1L, (long)batchSize * _layout.LabelFloatsPerSample));
        _activations.MemSetToZero(_device.Stream);
        _gradients.MemSetToZero(_device.Stream);

        // Batches go in through page-locked staging, so the copy is an asynchronous DMA queued
        // behind the previous step's backward pass and update; one staging array per data input,
        // as their copies are all in flight at once.
        _dataStaging = new PageLockedArray1D<float>[_layout.Inputs.Count];
        for (int i = 0; i < _dataStaging.Length; i++)
        {
            _dataStaging[i] = accelerator.AllocatePageLocked1D<float>((long)batchSize * _layout.Inputs[i].SampleLength);
        }

        int labelFloats = batchSize * _layout.LabelFloatsPerSample;
        _labelStaging = labelFloats > 0 ? accelerator.AllocatePageLocked1D<float>(labelFloats) : null;
        BatchSize = batchSize;
        InputGradientsWanted = inputsNeedGrad;
        _gradReqs = gradReqs;
    }

    /// <inheritdoc/>
    public override void UploadParameters(ReadOnlySpan<float> parameters, ReadOnlySpan<float> auxiliaryStates)
    {
        _parameters.View.SubView(0, parameters.Length).CopyFromCPU(_device.Stream, parameters);
        _auxiliaryStates.View.SubView(0, auxiliaryStates.Length).CopyFromCPU(_device.Stream, auxiliaryStates);
    }

    /// <inheritdoc/>
    public override void DownloadParameters(Span<float> parameters, Span<float> auxiliaryStates)
    {
        _parameters.View.SubView(0, parameters.Length).CopyToCPU(_device.Stream, parameters);
        _auxiliaryStates.View.SubView(0, auxiliaryStates.Length).CopyToCPU(_device.Stream, auxiliaryStates);
        _device.Synchronize();
    }

    /// <inheritdoc/>
    public override void DownloadParameterGradients(Span<float> gradients)
    {
        _parameterGradients.View.SubView(0, gradients.Length).CopyToCPU(_device.Stream, gradients);
        _device.Synchronize();
    }

    /// <inheritdoc/>
    public override void Forward(IReadOnlyList<Tensor?> inputs, ReadOnlySpan<float> labels, bool isTrain, ulong dropoutSeed)
    {
        var activations = _activations ?? throw NotBound();

        // The staging arrays are free: the previous forward pass ended by reading its outputs back,
        // which waited for everything queued before, its uploads included.
        for (int i = 0; i < inputs.Count; i++)
        {
            var data = inputs[i]!.Span;
            data.CopyTo(_dataStaging[i].GetArray());
            activations.View.SubView((long)_layout.Inputs[i].Offset * BatchSize, data.Length).CopyFromPageLockedAsync(_device.Stream, _dataStaging[i]);
        }

        if (_labelStaging is not null && !labels.IsEmpty)
        {
            labels.CopyTo(_labelStaging.GetArray());
            _labels!.View.SubView(0, labels.Length).CopyFromPageLockedAsync(_device.Stream, _labelStaging);
        }

        Random.Reset(dropoutSeed);
        ForwardCore(isTrain);
    }

    /// <inheritdoc/>
    public override void DownloadGradients(int offset, Span<float> destination)
    {
        (_gradients ?? throw NotBound()).View.SubView(offset, destination.Length).CopyToCPU(_device.Stream, destination);
        _device.Synchronize();
    }

    /// <inheritdoc/>
    public override void DownloadActivations(int offset, Span<float> destination)
    {
        (_activations ?? throw NotBound()).View.SubView(offset, destination.Length).CopyToCPU(_device.Stream, destination);
        _device.Synchronize();
    }

    /// <inheritdoc/>
    public override void Backward() => BackwardCore();

    /// <inheritdoc/>
    public override bool PrepareOptimizer(
        Optimizer optimizer,
        ReadOnlySpan<int> stateOffsets,
        ReadOnlySpan<float> learningRateMultipliers,
        ReadOnlySpan<float> weightDecayMultipliers,
        IReadOnlyList<GradReq> gradReqs,
        ReadOnlySpan<float> state)
    {
        _optimizer?.Dispose();
        _optimizer = GpuOptimizer.Create(_device, _layout, optimizer, stateOffsets, learningRateMultipliers, weightDecayMultipliers, gradReqs, state);
        return _optimizer is not null;
    }

    /// <inheritdoc/>
    public override void Update(Optimizer optimizer, float learningRate)
        => (_optimizer ?? throw new InvalidOperationException("Update before PrepareOptimizer.")).Update(optimizer, learningRate, Parameters, ParameterGradients);

    /// <inheritdoc/>
    public override void DownloadOptimizerState(Span<float> state) => _optimizer?.Download(state);

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (!disposing)
        {
            return;
        }

        _optimizer?.Dispose();
        DisposeBatchBuffers();
        _parameters.Dispose();
        _parameterGradients.Dispose();
        _auxiliaryStates.Dispose();
        _nodeState.Dispose();
        _device.Dispose();
    }

    private void DisposeBatchBuffers()
    {
        _activations?.Dispose();
        _gradients?.Dispose();
        _labels?.Dispose();
        foreach (var staging in _dataStaging)
        {
            staging.Dispose();
        }

        _dataStaging = [];
        _labelStaging?.Dispose();
    }

    private InvalidOperationException NotBound() => new($"{_layout.NetworkName}'s device plan is not bound: call Bind first.");
}

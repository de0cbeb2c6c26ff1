using System;

namespace Nxt;

public abstract partial class Module
{
    private DeviceExecutor? _executor;
    private bool _deviceParametersStale;
    private bool _hostParametersStale;
    private bool _hostGradientsStale;
    private bool _optimizerOnDevice;
    private bool _hostOptimizerStateStale;

    /// <summary>
    /// The generated plan for an accelerator (ILGPU kernels), or null when the network was built
    /// without the Nxt.Gpu package. The generator overrides it when Nxt.Gpu is referenced.
    /// </summary>
    protected virtual DeviceExecutor? CreateDeviceExecutor(Device device) => null;

    /// <summary>The executor of a module bound to an accelerator; null on the CPU.</summary>
    internal DeviceExecutor? Executor => _executor;

    private void BindDevice(Device device, int batchSize, bool forTraining, GradReq[] gradReqs, bool inputsNeedGrad)
    {
        if (device.IsCpu)
        {
            ReleaseDevice();
            return;
        }

        // A new executor is opened and bound before the old one goes: a device that cannot be
        // had, or cannot hold this batch, leaves the module bound where it was.
        bool reuse = _executor is not null && _executor.Device.Equals(device) && _executor.IsUsable;
        var executor = reuse ? _executor! : CreateDeviceExecutor(device) ?? throw new NotSupportedException(
            $"{Layout.NetworkName} cannot be bound to {device}: it was built without a device plan. Reference the Nxt.Gpu package in the project that declares the network, so that the build also generates its ILGPU kernels.");
        PullFromDevice(); // a re-bind reallocates the device buffers
        try
        {
            executor.Bind(batchSize, forTraining, gradReqs, inputsNeedGrad);
        }
        catch when (!reuse)
        {
            executor.Dispose();
            throw;
        }

        if (!reuse)
        {
            ReleaseDevice();
            _executor = executor;
        }

        _deviceParametersStale = true;
        _optimizerOnDevice = false;
    }

    private void ReleaseDevice()
    {
        if (_executor is null)
        {
            return;
        }

        PullFromDevice();
        _executor.Dispose();
        _executor = null;
        _optimizerOnDevice = false;
    }

    /// <summary>Host parameters changed (initialised, set, loaded): the device copy must be refreshed before it is used.</summary>
    private void MarkHostParametersChanged() => _deviceParametersStale = _executor is not null;

    /// <summary>Brings the host copies of parameters, gradients and optimizer state up to date with the device.</summary>
    private void PullFromDevice()
    {
        if (_executor is null)
        {
            return;
        }

        if (_hostParametersStale)
        {
            _executor.DownloadParameters(_parameters, _auxiliaryStates);
            _hostParametersStale = false;
        }

        if (_hostGradientsStale)
        {
            _executor.DownloadParameterGradients(_parameterGradients);
            _hostGradientsStale = false;
        }

        if (_hostOptimizerStateStale)
        {
            _executor.DownloadOptimizerState(_optimizerState);
            _hostOptimizerStateStale = false;
        }
    }

    private void PushParametersIfStale()
    {
        if (_executor is not null && _deviceParametersStale)
        {
            _executor.UploadParameters(_parameters, _auxiliaryStates);
            _deviceParametersStale = false;
        }
    }

    private void ForwardOnDevice(DeviceExecutor executor, bool train)
    {
        PushParametersIfStale();
        executor.Forward(_batchInputs!, _labels, train, Random.NextUInt64());
        var outputs = Layout.Outputs;
        for (int i = 0; i < outputs.Count; i++)
        {
            var output = outputs[i];
            executor.DownloadActivations(output.Offset * BatchSize, _activations.AsSpan(output.Offset * BatchSize, output.SampleLength * BatchSize));
        }

        // A training pass moves BatchNorm's statistics on the device.
        _hostParametersStale |= train && Layout.AuxiliaryFloats > 0;
    }

    private void BackwardOnDevice(DeviceExecutor executor)
    {
        executor.Backward();
        _hostGradientsStale = true;
    }

    /// <summary>Prepares the device's update kernel for the current optimizer, or leaves updates to the host.</summary>
    private void PrepareDeviceOptimizer()
    {
        if (_executor is null || _optimizer is null)
        {
            return;
        }

        // Callers have brought the host state up to date (or replaced it): the device takes it as it is.
        _hostOptimizerStateStale = false;
        _optimizerOnDevice = _executor.PrepareOptimizer(_optimizer, _stateOffsets, _learningRateMultipliers, _weightDecayMultipliers, _parameterGradReqs, _optimizerState);
    }

    private void UpdateOnDevice(DeviceExecutor executor, Optimizer optimizer, float learningRate)
    {
        if (_optimizerOnDevice)
        {
            executor.Update(optimizer, learningRate);
            _hostParametersStale = true;
            _hostOptimizerStateStale = true;
            return;
        }

        // No kernel for this optimizer: one round trip per step, not per operator.
        PullFromDevice();
        UpdateOnHost(optimizer, learningRate);
        _executor!.UploadParameters(_parameters, _auxiliaryStates);
    }
}

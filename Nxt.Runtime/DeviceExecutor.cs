using System;
using System.Collections.Generic;

namespace Nxt;

/// <summary>
/// The part of a bound module that runs on an accelerator. A module bound to a device other than
/// <see cref="Device.Cpu"/> keeps its parameters, gradients, optimizer state and activations here
/// for the whole run and only moves batches in and outputs out; the host copies of parameters
/// are brought up to date when something reads them (<c>GetParams</c>, checkpoints). The Nxt.Gpu
/// package implements it with the generated ILGPU plan; Nxt.Runtime itself never touches ILGPU,
/// so a CPU-only application can still be trimmed and compiled ahead of time.
/// </summary>
public abstract class DeviceExecutor : IDisposable
{
    /// <summary>The device the plan runs on.</summary>
    public abstract Device Device { get; }

    /// <summary>False once the device cannot run the plan any more (a kernel failed to compile): the module then opens a fresh one on its next Bind.</summary>
    public virtual bool IsUsable => true;

    /// <summary>
    /// Allocates every device buffer for <paramref name="batchSize"/> samples, once; with
    /// <paramref name="inputsNeedGrad"/>, the data inputs' gradients after the backward arena too.
    /// </summary>
    public abstract void Bind(int batchSize, bool forTraining, IReadOnlyList<GradReq> gradReqs, bool inputsNeedGrad);

    /// <summary>Copies the host parameters and auxiliary states to the device.</summary>
    public abstract void UploadParameters(ReadOnlySpan<float> parameters, ReadOnlySpan<float> auxiliaryStates);

    /// <summary>Copies the device parameters and auxiliary states to the host.</summary>
    public abstract void DownloadParameters(Span<float> parameters, Span<float> auxiliaryStates);

    /// <summary>Copies the parameter gradients of the last backward pass to the host.</summary>
    public abstract void DownloadParameterGradients(Span<float> gradients);

    /// <summary>
    /// Moves a batch in (one tensor per data input, in <see cref="NetworkLayout.Inputs"/> order;
    /// the label buffer as the plan lays it out) and runs the forward plan.
    /// <paramref name="dropoutSeed"/> seeds this pass's dropout masks.
    /// </summary>
    public abstract void Forward(IReadOnlyList<Tensor?> inputs, ReadOnlySpan<float> labels, bool isTrain, ulong dropoutSeed);

    /// <summary>Copies <paramref name="destination"/>.Length floats of the gradient buffer from <paramref name="offset"/> to the host (a data input's gradient).</summary>
    public abstract void DownloadGradients(int offset, Span<float> destination);

    /// <summary>Copies <paramref name="destination"/>.Length floats of the activations from <paramref name="offset"/> to the host.</summary>
    public abstract void DownloadActivations(int offset, Span<float> destination);

    /// <summary>Runs the backward plan of the last training forward pass.</summary>
    public abstract void Backward();

    /// <summary>
    /// Prepares an update kernel for <paramref name="optimizer"/> over every parameter, with the
    /// state laid out as on the host (<paramref name="stateOffsets"/>, one more than parameters)
    /// and <paramref name="state"/> as its initial value. False when the device has no kernel for
    /// this optimizer: the module then updates on the host.
    /// </summary>
    public abstract bool PrepareOptimizer(
        Optimizer optimizer,
        ReadOnlySpan<int> stateOffsets,
        ReadOnlySpan<float> learningRateMultipliers,
        ReadOnlySpan<float> weightDecayMultipliers,
        IReadOnlyList<GradReq> gradReqs,
        ReadOnlySpan<float> state);

    /// <summary>One update of every parameter that is not frozen, at the schedule's <paramref name="learningRate"/>.</summary>
    public abstract void Update(Optimizer optimizer, float learningRate);

    /// <summary>Copies the optimizer state prepared by <see cref="PrepareOptimizer"/> to the host.</summary>
    public abstract void DownloadOptimizerState(Span<float> state);

    /// <summary>A description of the device and its plan, for logs.</summary>
    public override string ToString() => Device.ToString();

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the device buffers, then the accelerator and its context.</summary>
    protected abstract void Dispose(bool disposing);
}

using System;

namespace Nxt;

public abstract partial class Module
{
    // The buffers of an inference binding at another batch size than the bound one (MXNet
    // reshapes the executor for an evaluation iterator): kept between evaluations, sharing the
    // parameters, so that Fit's validation at its own batch size allocates once.
    private BatchBuffers? _evaluation;

    /// <summary>Everything a Bind sizes by the batch: swapped whole when evaluating at another batch size.</summary>
    private sealed record BatchBuffers(
        int BatchSize,
        bool ForTraining,
        bool InputGradients,
        float[] Activations,
        float[] Gradients,
        float[] Labels,
        Tensor?[] BatchInputs,
        Tensor?[] BatchLabels,
        bool HasForward,
        bool ForwardWasTraining,
        bool ReplicasActive);

    /// <summary>
    /// Runs <paramref name="evaluate"/> with the module bound for inference at
    /// <paramref name="batchSize"/>, then restores the bound batch size (its buffers untouched).
    /// The bound batch size needs no switch; an unbound module binds for inference.
    /// </summary>
    private T EvaluateAt<T>(int batchSize, Func<T> evaluate)
    {
        ThrowIfDisposed();
        if (!IsBound)
        {
            Bind(batchSize, forTraining: false);
        }

        if (BatchSize == batchSize)
        {
            return evaluate();
        }

        var bound = Capture();
        var evaluation = _evaluation is { } cached && cached.BatchSize == batchSize ? cached : Allocate(batchSize);
        Restore(evaluation);
        try
        {
            return evaluate();
        }
        finally
        {
            _evaluation = Capture();
            Restore(bound);
        }
    }

    private BatchBuffers Allocate(int batchSize)
    {
        var layout = Layout;
        if ((long)layout.ActivationFloatsPerSample * batchSize > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"{layout.NetworkName}: evaluating at batch size {batchSize} needs more floats in one buffer than an array holds.");
        }

        return new BatchBuffers(
            batchSize,
            ForTraining: false,
            InputGradients: false,
            new float[layout.ActivationFloatsPerSample * batchSize],
            Gradients: [],
            new float[layout.LabelFloatsPerSample * batchSize],
            new Tensor?[layout.Inputs.Count],
            new Tensor?[layout.Labels.Count],
            HasForward: false,
            ForwardWasTraining: false,
            ReplicasActive: false);
    }

    private BatchBuffers Capture()
        => new(BatchSize, ForTraining, InputGradientsWanted, _activations, _gradients, _labels, _batchInputs, _batchLabels, _hasForward, _forwardWasTraining, _replicasActive);

    // The host buffers, the device's (rebound: its parameters and optimizer state stay), and the views of them.
    private void Restore(BatchBuffers buffers)
    {
        _executor?.Bind(buffers.BatchSize, buffers.ForTraining, _parameterGradReqs, buffers.InputGradients);
        BatchSize = buffers.BatchSize;
        ForTraining = buffers.ForTraining;
        InputGradientsWanted = buffers.InputGradients;
        _activations = buffers.Activations;
        _gradients = buffers.Gradients;
        _labels = buffers.Labels;
        _batchInputs = buffers.BatchInputs;
        _batchLabels = buffers.BatchLabels;
        _hasForward = buffers.HasForward && _executor is null; // a rebound device has lost its activations
        _forwardWasTraining = buffers.ForwardWasTraining;
        _replicasActive = buffers.ReplicasActive; // another batch size runs this module's own plan, on the host
        AttachViews();
    }
}

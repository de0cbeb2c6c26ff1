using System;
using System.Collections.Generic;

namespace Nxt;

public abstract partial class Module
{
    // Data parallelism over several devices in one process (MXNet's context list): one replica of
    // the network per device, each bound for its slice of the batch. This module keeps the
    // parameters, the summed gradients, the optimizer and the whole batch's outputs on the host.
    private Module[] _replicas = [];
    private int[] _sliceStart = [];
    private DataBatch[] _sliceBatches = [];
    private bool _replicasActive;

    /// <summary>The devices the module is bound to: one, or several for data parallelism in one process.</summary>
    public IReadOnlyList<Device> Devices { get; private set; } = [Device.Cpu];

    /// <summary>
    /// Binds one replica per device, each for its slice of <paramref name="batchSize"/> rows (in
    /// proportion to <paramref name="workLoad"/>, MXNet's <c>work_load_list</c>; equal by default).
    /// </summary>
    private void BindReplicas(int batchSize, bool forTraining, GradReq gradReq, IReadOnlyList<Device> devices, IReadOnlyDictionary<string, GradReq>? gradReqs, IReadOnlyList<float>? workLoad)
    {
        var rows = SliceRows(batchSize, devices.Count, workLoad);
        var replicas = new Module[devices.Count];
        try
        {
            for (int i = 0; i < replicas.Length; i++)
            {
                replicas[i] = CreateReplica();
                replicas[i].Bind(rows[i], forTraining, gradReq, devices[i], gradReqs);
            }
        }
        catch
        {
            foreach (var replica in replicas)
            {
                replica?.Dispose();
            }

            throw;
        }

        ReleaseReplicas();
        _replicas = replicas;
        _sliceStart = new int[devices.Count];
        _sliceBatches = new DataBatch[devices.Count];
        for (int i = 1; i < devices.Count; i++)
        {
            _sliceStart[i] = _sliceStart[i - 1] + rows[i - 1];
        }

        for (int i = 0; i < devices.Count; i++)
        {
            _sliceBatches[i] = SliceBatch(rows[i]);
        }

        Devices = devices;
        _replicasActive = true;
    }

    // MXNet's split: rows in proportion to the work loads, rounded, the last slice taking the rest; each at least one.
    private static int[] SliceRows(int batchSize, int devices, IReadOnlyList<float>? workLoad)
    {
        if (workLoad is not null && (workLoad.Count != devices || Array.Exists([.. workLoad], w => !(w > 0) || !float.IsFinite(w))))
        {
            throw new ArgumentException($"Bind: the work load list needs one positive weight per device ({devices}), got {workLoad.Count} value(s).", nameof(workLoad));
        }

        if (batchSize < devices)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"Bind: a batch of {batchSize} cannot give each of {devices} devices a row.");
        }

        double total = 0;
        for (int i = 0; i < devices; i++)
        {
            total += workLoad?[i] ?? 1f;
        }

        var rows = new int[devices];
        int given = 0;
        for (int i = 0; i < devices - 1; i++)
        {
            rows[i] = Math.Clamp((int)Math.Round((workLoad?[i] ?? 1f) * batchSize / total), 1, batchSize - given - (devices - 1 - i));
            given += rows[i];
        }

        rows[^1] = batchSize - given;
        return rows;
    }

    // A copy of this module sharing nothing mutable: its own buffers (Bind allocates them), parameters and gradients.
    private Module CreateReplica()
    {
        var replica = (Module)MemberwiseClone();
        replica._parameters = new float[_parameters.Length];
        replica._parameterGradients = new float[_parameterGradients.Length];
        replica._auxiliaryStates = new float[_auxiliaryStates.Length];
        replica._executor = null;
        replica._optimizer = null;
        replica._optimizerState = [];
        replica._kvStore = null;
        replica._overlappedSum = null; // the job's sums are this module's, never a replica's
        replica._replicas = [];
        replica._evaluation = null;
        replica._userThread = 0;
        replica._useDepth = 0;
        replica._disposed = false;
        replica._deviceParametersStale = false;
        replica._hostParametersStale = false;
        replica._hostGradientsStale = false;
        replica._hostOptimizerStateStale = false;
        replica._optimizerOnDevice = false;
        replica.BatchSize = 0;
        replica.ParamsInitialized = true;
        return replica;
    }

    private DataBatch SliceBatch(int rows)
    {
        var layout = Layout;
        var inputs = new Tensor[layout.Inputs.Count];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = new Tensor(new float[rows * layout.Inputs[i].SampleLength], layout.Inputs[i].ShapeFor(rows));
        }

        // No labels: this module checked the batch's and copies them into each replica's label buffer.
        return new DataBatch(inputs, null);
    }

    private void ReleaseReplicas()
    {
        foreach (var replica in _replicas)
        {
            replica.Dispose();
        }

        _replicas = [];
        _replicasActive = false;
        Devices = [Device];
    }

    /// <summary>
    /// The forward pass over the replicas: this module's parameters and auxiliary states to each,
    /// each its slice of the batch, the outputs back into this module's whole-batch outputs; after a
    /// training pass, the auxiliary states (moving statistics) are the replicas' mean.
    /// </summary>
    private void ForwardOnReplicas(bool train, bool labelled)
    {
        for (int r = 0; r < _replicas.Length; r++)
        {
            var replica = _replicas[r];
            var slice = _sliceBatches[r];
            int start = _sliceStart[r], rows = slice.BatchSize;
            for (int i = 0; i < _batchInputs.Length; i++)
            {
                int length = Layout.Inputs[i].SampleLength;
                _batchInputs[i]!.Span.Slice(start * length, rows * length).CopyTo(slice.Inputs[i].Span);
            }

            if (labelled)
            {
                foreach (var spec in Layout.Labels)
                {
                    int length = spec.SampleLength;
                    _labels.AsSpan((spec.Offset * BatchSize) + (start * length), rows * length).CopyTo(replica._labels.AsSpan(spec.Offset * rows, rows * length));
                }
            }

            _parameters.CopyTo(replica._parameters, 0);
            _auxiliaryStates.CopyTo(replica._auxiliaryStates, 0);
            replica.MarkHostParametersChanged();
            replica.CheckInputs = false; // this module checked the whole batch
            replica.ForwardSlice(slice, train);
            for (int o = 0; o < _outputs.Length; o++)
            {
                int length = Layout.Outputs[o].SampleLength;
                replica._outputs[o].Span.CopyTo(_outputs[o].Span.Slice(start * length, rows * length));
            }
        }

        if (train && _auxiliaryStates.Length > 0)
        {
            Array.Clear(_auxiliaryStates);
            foreach (var replica in _replicas)
            {
                replica.PullFromDevice();
                Cpu.ElementwiseKernels.AddInPlace(_auxiliaryStates, replica._auxiliaryStates);
            }

            Cpu.SpanMath.ScaleInto(_auxiliaryStates, _auxiliaryStates, 1f / _replicas.Length);
        }
    }

    // A replica's forward pass on a slice this module has already matched and checked (its labels already in place).
    private void ForwardSlice(DataBatch slice, bool train)
    {
        MatchBatch(slice, nameof(Forward));
        RunForwardPlan(train);
    }

    /// <summary>Each replica's backward pass, then their parameter gradients summed into this module's ('local': on the host).</summary>
    private void BackwardOnReplicas()
    {
        Array.Clear(_parameterGradients);
        foreach (var replica in _replicas)
        {
            replica.Backward();
            replica.PullFromDevice();
            Cpu.ElementwiseKernels.AddInPlace(_parameterGradients, replica._parameterGradients);
        }
    }
}

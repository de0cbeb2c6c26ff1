using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using Nxt.Checkpoints;

namespace Nxt;

public abstract partial class Module
{
    /// <summary>Copies of every parameter (<c>arg_params</c>) and auxiliary state (<c>aux_params</c>), by name.</summary>
    public (Dictionary<string, Tensor> ArgParams, Dictionary<string, Tensor> AuxParams) GetParams()
    {
        ThrowIfDisposed();
        PullFromDevice();
        var args = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var p in Layout.Parameters)
        {
            args[p.Name] = new Tensor(_parameters.AsSpan(p.Offset, p.SampleLength).ToArray(), p.ShapeFor(0));
        }

        var aux = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var a in Layout.AuxiliaryStates)
        {
            aux[a.Name] = new Tensor(_auxiliaryStates.AsSpan(a.Offset, a.SampleLength).ToArray(), a.ShapeFor(0));
        }

        return (args, aux);
    }

    /// <summary>
    /// Sets parameters by name. Every name and shape is checked before anything is copied, so a
    /// failed call leaves the module as it was. Missing names are an error unless
    /// <paramref name="allowMissing"/> (they keep their values); unknown names are an error
    /// unless <paramref name="allowExtra"/> (they are ignored).
    /// </summary>
    public void SetParams(
        IReadOnlyDictionary<string, Tensor> argParams,
        IReadOnlyDictionary<string, Tensor>? auxParams = null,
        bool allowMissing = false,
        bool allowExtra = false)
    {
        using var use = Use(nameof(SetParams));
        ArgumentNullException.ThrowIfNull(argParams);
        ThrowIfDisposed();
        auxParams ??= new Dictionary<string, Tensor>(StringComparer.Ordinal);
        CheckValues("parameter", Layout.Parameters, argParams, allowMissing, allowExtra);
        CheckValues("auxiliary state", Layout.AuxiliaryStates, auxParams, allowMissing, allowExtra);
        PullFromDevice(); // the values not given keep the device's current ones
        CopyValues(Layout.Parameters, argParams, _parameters);
        CopyValues(Layout.AuxiliaryStates, auxParams, _auxiliaryStates);
        ParamsInitialized = true;
        MarkHostParametersChanged();
    }

    /// <summary>
    /// Saves <c>prefix-symbol.json</c> and <c>prefix-EPOCH.params</c> (keys <c>arg:NAME</c> and
    /// <c>aux:NAME</c>; safetensors unless <paramref name="format"/> says MXNet), each written
    /// atomically; with <paramref name="saveOptimizerStates"/> also <c>prefix-EPOCH.states</c>
    /// (the optimizer's state per parameter and its update count), so training can resume exactly.
    /// </summary>
    public void SaveCheckpoint(string prefix, int epoch, bool saveOptimizerStates = false, CheckpointFormat format = CheckpointFormat.SafeTensors)
    {
        using var use = Use(nameof(SaveCheckpoint));
        ThrowIfDisposed();
        ThrowIfParamsNotInitialized(nameof(SaveCheckpoint));
        var arrays = new List<KeyValuePair<string, Tensor>>();
        var (args, aux) = GetParams();
        foreach (var (name, value) in args)
        {
            arrays.Add(new("arg:" + name, value));
        }

        foreach (var (name, value) in aux)
        {
            arrays.Add(new("aux:" + name, value));
        }

        AtomicFile.WriteText(prefix + "-symbol.json", Layout.SymbolJson);
        CheckpointFile.Save(ParamsPath(prefix, epoch), arrays, format, new Dictionary<string, string> { ["network"] = Layout.NetworkName });
        if (saveOptimizerStates)
        {
            var optimizer = _optimizer ?? throw new InvalidOperationException($"{Layout.NetworkName}.SaveCheckpoint(saveOptimizerStates: true) needs an optimizer: call InitOptimizer(...) first.");
            SafeTensorsFile.Save(StatesPath(prefix, epoch), OptimizerStateTensors(), new Dictionary<string, string>
            {
                ["optimizer"] = optimizer.GetType().Name,
                ["update_count"] = optimizer.UpdateCount.ToString(CultureInfo.InvariantCulture),
            });
        }
    }

    /// <summary>
    /// Loads <c>prefix-EPOCH.params</c> (safetensors, or MXNet's NDArray list of any version, keys
    /// <c>arg:</c>/<c>aux:</c> or Gluon's <c>save_parameters</c> names). The whole file is read and
    /// checked against this network's names and shapes before any parameter changes: a bad
    /// file leaves the module as it was. With <paramref name="loadOptimizerStates"/> it also
    /// loads <c>prefix-EPOCH.states</c>, applied now or when <see cref="InitOptimizer"/> runs.
    /// A NaN or infinite value in the file is an error unless <paramref name="allowNonFinite"/>.
    /// </summary>
    public void LoadCheckpoint(string prefix, int epoch, bool allowMissing = false, bool allowExtra = false, bool loadOptimizerStates = false, bool allowNonFinite = false)
    {
        using var use = Use(nameof(LoadCheckpoint));
        ThrowIfDisposed();
        string path = ParamsPath(prefix, epoch);
        var args = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var aux = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (key, value) in CheckpointFile.Load(path).Tensors)
        {
            int bad = allowNonFinite ? -1 : Cpu.SpanMath.IndexOfNonFinite(value.Span);
            if (bad >= 0)
            {
                throw new InvalidDataException($"Checkpoint parameters '{path}' hold {value.Span[bad]} at element {bad} of '{key}': a run diverged before it was saved. Pass allowNonFinite: true to load it anyway.");
            }

            if (key.StartsWith("arg:", StringComparison.Ordinal))
            {
                args[key[4..]] = value;
            }
            else if (key.StartsWith("aux:", StringComparison.Ordinal))
            {
                aux[key[4..]] = value;
            }
            else
            {
                // Gluon's save_parameters: bare names, dotted (fc1.weight) and with running_* for moving_*.
                string name = GluonName(key);
                (IsAuxiliaryState(name) ? aux : args)[name] = value;
            }
        }

        FusedRnnParameters.Split(args, Layout, path);
        PendingOptimizerStates? states = loadOptimizerStates ? ReadOptimizerStates(StatesPath(prefix, epoch)) : null;
        if (states is not null && _optimizer is not null)
        {
            CheckOptimizerStates(states, _optimizer, _stateOffsets); // before any parameter changes
        }

        try
        {
            SetParams(args, aux, allowMissing, allowExtra);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"Checkpoint '{path}' does not fit {Layout.NetworkName}: {ex.Message}", ex);
        }

        if (states is not null)
        {
            _pendingOptimizerStates = states;
            if (_optimizer is not null)
            {
                ApplyPendingOptimizerStates();
                PrepareDeviceOptimizer();
            }
        }
    }

    /// <summary>
    /// What a network's generated static <c>Load(prefix, epoch)</c> runs (MXNet <c>Module.load</c>):
    /// loads the checkpoint into the new <paramref name="module"/>, or disposes of it and throws.
    /// </summary>
    protected static TModule LoadInto<TModule>(TModule module, string prefix, int epoch, bool loadOptimizerStates)
        where TModule : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        try
        {
            module.LoadCheckpoint(prefix, epoch, loadOptimizerStates: loadOptimizerStates);
            return module;
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    // A Gluon parameter key as the argument or auxiliary state it is: fc1.weight -> fc1_weight, bn1.running_mean -> bn1_moving_mean.
    private static string GluonName(string key)
    {
        string name = key.Replace('.', '_');
        foreach (var (gluon, symbol) in new[] { ("running_mean", "moving_mean"), ("running_var", "moving_var") })
        {
            if (name.EndsWith(gluon, StringComparison.Ordinal))
            {
                return name[..^gluon.Length] + symbol;
            }
        }

        return name;
    }

    private bool IsAuxiliaryState(string name)
    {
        foreach (var spec in Layout.AuxiliaryStates)
        {
            if (spec.Name == name)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The optimizer-state file name for an epoch: <c>prefix-0001.states</c>.</summary>
    public static string StatesPath(string prefix, int epoch)
        => $"{prefix}-{epoch.ToString("D4", CultureInfo.InvariantCulture)}.states";

    /// <summary>
    /// Writes the network and its current parameters as an ONNX model (opset 13) for inference,
    /// with a symbolic batch dimension <c>N</c>; ONNX Runtime gives the same predictions as
    /// <see cref="Predict(DataIter, System.Threading.CancellationToken)"/>. Custom operators cannot be exported.
    /// A parameter of more than 256 MiB is stored in <c>PATH.data</c> beside the model (ONNX external
    /// data), so models past protobuf's 2 GiB export too.
    /// </summary>
    public void ExportOnnx(string path)
    {
        ThrowIfDisposed();
        ThrowIfParamsNotInitialized(nameof(ExportOnnx));
        var (args, aux) = GetParams();
        foreach (var (name, value) in aux)
        {
            args[name] = value;
        }

        // Parameters past 256 MiB go to PATH.data beside the model (ONNX external data), written
        // first, so that a model on disk never names data that is not there yet.
        string dataFile = Path.GetFileName(path) + ".data";
        var (model, external) = Onnx.OnnxExporter.Export(Layout, args, dataFile);
        if (external.Count > 0)
        {
            AtomicFile.Write(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, dataFile), stream =>
            {
                foreach (var tensor in external)
                {
                    var values = tensor.Span;
                    for (int start = 0; start < values.Length; start += 1 << 24)
                    {
                        stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.Slice(start, Math.Min(1 << 24, values.Length - start))));
                    }
                }
            });
        }

        AtomicFile.Write(path, stream => stream.Write(model));
    }

    /// <summary>The MXNet parameter file name for an epoch: <c>prefix-0001.params</c>.</summary>
    public static string ParamsPath(string prefix, int epoch)
        => $"{prefix}-{epoch.ToString("D4", CultureInfo.InvariantCulture)}.params";

    // Every name and shape, before anything is copied: a failed SetParams changes nothing.
    private void CheckValues(string kind, IReadOnlyList<BufferSpec> specs, IReadOnlyDictionary<string, Tensor> values, bool allowMissing, bool allowExtra)
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            known.Add(spec.Name);
            if (!values.TryGetValue(spec.Name, out var value))
            {
                if (!allowMissing)
                {
                    throw new ArgumentException($"{Layout.NetworkName}.SetParams: {kind} '{spec.Name}' {Tensor.FormatShape(spec.ShapeFor(0))} is missing (pass allowMissing: true to keep its current value).", nameof(values));
                }

                continue;
            }

            if (!value.Shape.SequenceEqual(spec.ShapeFor(0)))
            {
                throw new ArgumentException($"{Layout.NetworkName}.SetParams: {kind} '{spec.Name}' expects shape {Tensor.FormatShape(spec.ShapeFor(0))}, but the value has {value.ShapeString}.", nameof(values));
            }
        }

        foreach (var name in values.Keys)
        {
            if (!known.Contains(name) && !allowExtra)
            {
                var names = new List<string>();
                foreach (var spec in specs)
                {
                    names.Add(spec.Name);
                }

                throw new ArgumentException($"{Layout.NetworkName}.SetParams: '{name}' is not a {kind} of this network (pass allowExtra: true to ignore it). Its {kind}s are: {(names.Count == 0 ? "none" : string.Join(", ", names))}.", nameof(values));
            }
        }
    }

    private static void CopyValues(IReadOnlyList<BufferSpec> specs, IReadOnlyDictionary<string, Tensor> values, float[] target)
    {
        foreach (var spec in specs)
        {
            if (values.TryGetValue(spec.Name, out var value))
            {
                value.Span.CopyTo(target.AsSpan(spec.Offset, spec.SampleLength));
            }
        }
    }

    private sealed record PendingOptimizerStates(string Path, string Optimizer, int UpdateCount, Dictionary<string, Tensor> States);

    private PendingOptimizerStates? _pendingOptimizerStates;

    private List<KeyValuePair<string, Tensor>> OptimizerStateTensors()
    {
        PullFromDevice();
        var tensors = new List<KeyValuePair<string, Tensor>>();
        for (int i = 0; i < Layout.Parameters.Count; i++)
        {
            int length = _stateOffsets[i + 1] - _stateOffsets[i];
            if (length > 0)
            {
                tensors.Add(new("state:" + Layout.Parameters[i].Name, new Tensor(_optimizerState.AsSpan(_stateOffsets[i], length).ToArray(), length)));
            }
        }

        return tensors;
    }

    private static PendingOptimizerStates ReadOptimizerStates(string path)
    {
        var (tensors, metadata) = CheckpointFile.Load(path, "optimizer states");
        if (!metadata.TryGetValue("optimizer", out string? optimizer) || !metadata.TryGetValue("update_count", out string? count)
            || !int.TryParse(count, NumberStyles.Integer, CultureInfo.InvariantCulture, out int updateCount))
        {
            throw new InvalidDataException($"Optimizer states '{path}' lack their 'optimizer' and 'update_count' metadata.");
        }

        var states = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (key, value) in tensors)
        {
            states[key.StartsWith("state:", StringComparison.Ordinal) ? key[6..] : key] = value;
        }

        return new PendingOptimizerStates(path, optimizer, updateCount, states);
    }

    // Checks everything first, so a mismatch changes nothing.
    private void ApplyPendingOptimizerStates()
    {
        var pending = _pendingOptimizerStates!;
        var optimizer = _optimizer!;
        CheckOptimizerStates(pending, optimizer, _stateOffsets);
        for (int i = 0; i < Layout.Parameters.Count; i++)
        {
            if (pending.States.TryGetValue(Layout.Parameters[i].Name, out var state))
            {
                state.Span.CopyTo(_optimizerState.AsSpan(_stateOffsets[i]));
            }
        }

        optimizer.UpdateCount = pending.UpdateCount;
        _pendingOptimizerStates = null;
    }

    /// <summary>Throws, naming the mismatch, unless <paramref name="pending"/> are <paramref name="optimizer"/>'s states for this network.</summary>
    private void CheckOptimizerStates(PendingOptimizerStates pending, Optimizer optimizer, int[] stateOffsets)
    {
        if (pending.Optimizer != optimizer.GetType().Name)
        {
            throw new InvalidDataException($"Optimizer states '{pending.Path}' are {pending.Optimizer}'s, but the module's optimizer is {optimizer.GetType().Name}.");
        }

        for (int i = 0; i < Layout.Parameters.Count; i++)
        {
            int length = stateOffsets[i + 1] - stateOffsets[i];
            bool present = pending.States.TryGetValue(Layout.Parameters[i].Name, out var state);
            if ((length > 0) != present || (present && state!.Length != length))
            {
                throw new InvalidDataException($"Optimizer states '{pending.Path}' do not fit parameter '{Layout.Parameters[i].Name}': expected {length} floats, found {(present ? state!.Length : 0)}.");
            }
        }
    }
}

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
        ArgumentNullException.ThrowIfNull(argParams);
        ThrowIfDisposed();
        auxParams ??= new Dictionary<string, Tensor>(StringComparer.Ordinal);
        CheckValues("parameter", Layout.Parameters, argParams, allowMissing, allowExtra);
        CheckValues("auxiliary state", Layout.AuxiliaryStates, auxParams, allowMissing, allowExtra);
        CopyValues(Layout.Parameters, argParams, _parameters);
        CopyValues(Layout.AuxiliaryStates, auxParams, _auxiliaryStates);
        ParamsInitialized = true;
    }

    /// <summary>
    /// Saves <c>prefix-symbol.json</c> and <c>prefix-EPOCH.params</c> (MXNet layout, keys
    /// <c>arg:NAME</c> and <c>aux:NAME</c>), each written atomically.
    /// </summary>
    public void SaveCheckpoint(string prefix, int epoch)
    {
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

        WriteAtomically(prefix + "-symbol.json", Layout.SymbolJson);
        ParamsFile.Save(ParamsPath(prefix, epoch), arrays);
    }

    /// <summary>
    /// Loads <c>prefix-EPOCH.params</c>. The whole file is read and checked against this
    /// network's names and shapes before any parameter changes: a bad file leaves the module as it was.
    /// </summary>
    public void LoadCheckpoint(string prefix, int epoch, bool allowMissing = false, bool allowExtra = false)
    {
        ThrowIfDisposed();
        string path = ParamsPath(prefix, epoch);
        var args = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var aux = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (key, value) in ParamsFile.Load(path))
        {
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
                throw new InvalidDataException($"Checkpoint parameters '{path}' have key '{key}', which is neither 'arg:NAME' nor 'aux:NAME'.");
            }
        }

        try
        {
            SetParams(args, aux, allowMissing, allowExtra);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"Checkpoint '{path}' does not fit {Layout.NetworkName}: {ex.Message}", ex);
        }
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

    private static void WriteAtomically(string path, string text)
    {
        string temporary = path + $".{Environment.ProcessId}.tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }
}

using System;
using System.Collections.Generic;

namespace Nxt;

public abstract partial class Module
{
    // The current batch's tensors in DataNames / LabelNames order (null: a label the batch lacks),
    // filled per batch into arrays allocated at Bind, so that a step allocates nothing.
    private Tensor?[] _batchInputs = [];
    private Tensor?[] _batchLabels = [];

    /// <summary>
    /// Matches <paramref name="batch"/>'s tensors to the network's data inputs and labels (by name
    /// when the batch has names, else by position), checks every shape, and returns whether the
    /// batch has labels. Errors name what was expected and what came.
    /// </summary>
    private bool MatchBatch(DataBatch batch, string operation)
    {
        var layout = Layout;
        Match(batch.Inputs, batch.DataNames, layout.Inputs, _batchInputs, "data", operation);
        bool labelled = batch.Labels.Count > 0;
        if (labelled && layout.Labels.Count > 0)
        {
            Match(batch.Labels, batch.LabelNames, layout.Labels, _batchLabels, "label", operation);
        }
        else
        {
            Array.Clear(_batchLabels);
        }

        for (int i = 0; i < _batchInputs.Length; i++)
        {
            var spec = layout.Inputs[i];
            if (!ShapeMatches(_batchInputs[i]!.Shape, spec))
            {
                throw new ArgumentException(
                    $"{layout.NetworkName}.{operation}: '{spec.Name}' expects shape {Tensor.FormatShape(spec.ShapeFor(BatchSize))} (the bound batch size is {BatchSize}), but the batch has {_batchInputs[i]!.ShapeString}.",
                    nameof(batch));
            }
        }

        for (int i = 0; i < _batchLabels.Length; i++)
        {
            var spec = layout.Labels[i];
            if (_batchLabels[i] is { } label && !ShapeMatches(label.Shape, spec) && !(spec.SampleLength == 1 && label.Length == BatchSize))
            {
                throw new ArgumentException(
                    $"{layout.NetworkName}.{operation}: '{spec.Name}' expects shape {Tensor.FormatShape(spec.ShapeFor(BatchSize))}, but the batch's label has {label.ShapeString}.",
                    nameof(batch));
            }
        }

        return labelled;
    }

    // Puts the batch's tensors in the network's order: by name, or by position when the batch has no names.
    private void Match(IReadOnlyList<Tensor> given, IReadOnlyList<string>? names, IReadOnlyList<BufferSpec> expected, Tensor?[] target, string what, string operation)
    {
        if (names is null)
        {
            if (given.Count != expected.Count)
            {
                throw new ArgumentException(
                    $"{Layout.NetworkName}.{operation}: the network takes {expected.Count} {what} tensor(s) ({Names(expected)}), but the batch has {given.Count}.",
                    nameof(given));
            }

            for (int i = 0; i < target.Length; i++)
            {
                target[i] = given[i];
            }

            return;
        }

        foreach (string name in names)
        {
            if (IndexOf(expected, name) < 0)
            {
                throw new ArgumentException(
                    $"{Layout.NetworkName}.{operation}: the batch has {what} '{name}', which the network does not take; its {what} names are: {Names(expected)}.",
                    nameof(names));
            }
        }

        for (int i = 0; i < target.Length; i++)
        {
            int index = -1;
            for (int j = 0; j < names.Count; j++)
            {
                if (names[j] == expected[i].Name)
                {
                    index = j;
                    break;
                }
            }

            target[i] = index >= 0 ? given[index] : throw new ArgumentException(
                $"{Layout.NetworkName}.{operation}: the batch has no {what} '{expected[i].Name}'; it has: {string.Join(", ", names)}.",
                nameof(names));
        }
    }

    /// <summary>Scans every data tensor for NaN and infinity (see <see cref="CheckInputs"/>).</summary>
    private void CheckInputsFinite(string operation)
    {
        for (int i = 0; i < _batchInputs.Length; i++)
        {
            var data = _batchInputs[i]!.Span;
            int bad = Cpu.SpanMath.IndexOfNonFinite(data);
            if (bad >= 0)
            {
                var spec = Layout.Inputs[i];
                throw new ArgumentException(
                    $"{Layout.NetworkName}.{operation}: input '{spec.Name}' holds {data[bad]} at sample {bad / spec.SampleLength}, element {bad % spec.SampleLength}; one NaN or infinity would turn every parameter into NaN. Clean the data, or set CheckInputs = false to skip this check.",
                    "batch");
            }
        }
    }

    /// <summary>Copies each label into its region of the label buffer, checking class indices where the loss has classes.</summary>
    private void CopyLabels(string operation)
    {
        for (int k = 0; k < _batchLabels.Length; k++)
        {
            if (_batchLabels[k] is not { } label)
            {
                continue;
            }

            var spec = Layout.Labels[k];
            var source = label.Span;
            if (spec.Classes > 0)
            {
                CheckClasses(spec, source, operation);
            }

            source.CopyTo(_labels.AsSpan(spec.Offset * BatchSize, spec.SampleLength * BatchSize));
        }
    }

    private void CheckClasses(BufferSpec spec, ReadOnlySpan<float> source, string operation)
    {
        for (int i = 0; i < source.Length; i++)
        {
            float v = source[i];
            bool isClass = v >= 0 && v < spec.Classes && v == MathF.Floor(v);
            if (!isClass && v != spec.IgnoreLabel)
            {
                string ignored = spec.IgnoreLabel is int ignore ? $" (or {ignore}, the ignored label)" : string.Empty;
                throw new ArgumentException(
                    $"{Layout.NetworkName}.{operation}: '{spec.Name}' must hold class indices 0..{spec.Classes - 1}{ignored}, but sample {i} of the batch has label {v}.",
                    "batch");
            }
        }
    }

    private bool ShapeMatches(ReadOnlySpan<int> shape, BufferSpec spec)
    {
        if (shape.Length != spec.SampleShape.Count + 1 || shape[0] != BatchSize)
        {
            return false;
        }

        for (int i = 0; i < spec.SampleShape.Count; i++)
        {
            if (shape[i + 1] != spec.SampleShape[i])
            {
                return false;
            }
        }

        return true;
    }

    private static int IndexOf(IReadOnlyList<BufferSpec> specs, string name)
    {
        for (int i = 0; i < specs.Count; i++)
        {
            if (specs[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }

    private static string Names(IReadOnlyList<BufferSpec> specs)
    {
        var names = new string[specs.Count];
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = specs[i].Name;
        }

        return string.Join(", ", names);
    }
}

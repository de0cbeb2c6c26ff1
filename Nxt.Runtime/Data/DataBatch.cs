using System;
using System.Collections.Generic;

namespace Nxt;

/// <summary>
/// One batch (MXNet <c>DataBatch</c>): data tensors <c>(batch, ...)</c>, one per data input of
/// the network, label tensors, one per labelled loss, and <see cref="Pad"/>, the number of rows
/// at the end that only fill the batch (MXNet pads the last batch); metrics and <c>Predict</c>
/// leave those rows out. Tensors are matched to the network's <c>DataNames</c> and
/// <c>LabelNames</c> by position, or by name when the batch carries names (an iterator built
/// from dictionaries).
/// </summary>
public sealed class DataBatch
{
    /// <summary>A batch of one data tensor and optional labels: as many label rows as data rows, and a pad within the batch.</summary>
    public DataBatch(Tensor data, Tensor? label, int pad = 0)
        : this([data ?? throw new ArgumentNullException(nameof(data))], label is null ? null : [label], pad)
    {
    }

    /// <summary>
    /// A batch of several data tensors (in <c>DataNames</c> order) and labels (in <c>LabelNames</c>
    /// order, or null for unlabelled data): every tensor has the same number of rows.
    /// </summary>
    public DataBatch(IReadOnlyList<Tensor> data, IReadOnlyList<Tensor>? labels, int pad = 0)
        : this(data, labels, pad, dataNames: null, labelNames: null)
    {
    }

    /// <summary>A batch whose tensors are named (by an iterator over named arrays); the module matches them by name.</summary>
    internal DataBatch(IReadOnlyList<Tensor> data, IReadOnlyList<Tensor>? labels, int pad, IReadOnlyList<string>? dataNames, IReadOnlyList<string>? labelNames)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Count == 0)
        {
            throw new ArgumentException("DataBatch: give at least one data tensor.", nameof(data));
        }

        for (int i = 0; i < data.Count; i++)
        {
            if (data[i] is null || data[i].Rank < 1)
            {
                throw new ArgumentException($"DataBatch: data tensor {i} must have the batch along its first axis, got {(data[i] is null ? "null" : "shape " + data[i].ShapeString)}.", nameof(data));
            }
        }

        int rows = data[0].Shape[0];
        for (int i = 1; i < data.Count; i++)
        {
            if (data[i].Shape[0] != rows)
            {
                throw new ArgumentException($"DataBatch: data tensor 0 has {rows} rows ({data[0].ShapeString}) but data tensor {i} has shape {data[i].ShapeString}; every tensor of a batch needs {rows} rows.", nameof(data));
            }
        }

        labels ??= [];
        for (int i = 0; i < labels.Count; i++)
        {
            var label = labels[i];
            if (label is null || label.Rank < 1 || label.Shape[0] != rows)
            {
                throw new ArgumentException($"DataBatch: the data has {rows} rows ({data[0].ShapeString}) but label tensor {i} has {(label is null ? "no value" : "shape " + label.ShapeString)}; the labels need {rows} rows, one per sample.", nameof(labels));
            }
        }

        if (pad < 0 || pad > rows)
        {
            throw new ArgumentOutOfRangeException(nameof(pad), pad, $"DataBatch: the pad counts trailing rows of a batch of {rows}, so it must be in [0, {rows}].");
        }

        Inputs = data;
        Labels = labels;
        DataNames = dataNames;
        LabelNames = labelNames;
        Pad = pad;
    }

    /// <summary>The first data tensor, batch dimension first.</summary>
    public Tensor Data => Inputs[0];

    /// <summary>Every data tensor, one per data input of the network.</summary>
    public IReadOnlyList<Tensor> Inputs { get; }

    /// <summary>The first label tensor (class indices as floats, or real values), or null for unlabelled data.</summary>
    public Tensor? Label => Labels.Count > 0 ? Labels[0] : null;

    /// <summary>Every label tensor, one per labelled loss; empty for unlabelled data.</summary>
    public IReadOnlyList<Tensor> Labels { get; }

    /// <summary>The names of <see cref="Inputs"/>, when the batch came from named arrays; null: matched by position.</summary>
    public IReadOnlyList<string>? DataNames { get; }

    /// <summary>The names of <see cref="Labels"/>, when the batch came from named arrays; null: matched by position.</summary>
    public IReadOnlyList<string>? LabelNames { get; }

    /// <summary>How many trailing rows are padding.</summary>
    public int Pad { get; internal set; }

    /// <summary>The number of rows, padding included.</summary>
    public int BatchSize => Inputs[0].Shape[0];
}

using System;

namespace Nxt;

/// <summary>
/// One batch: data <c>(batch, ...)</c>, labels <c>(batch)</c>, and <see cref="Pad"/>, the number
/// of rows at the end that only fill the batch (MXNet pads the last batch); metrics and
/// <c>Predict</c> leave those rows out.
/// </summary>
public sealed class DataBatch
{
    /// <summary>A batch over the given tensors: as many label rows as data rows, and a pad within the batch.</summary>
    public DataBatch(Tensor data, Tensor? label, int pad = 0)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Rank < 1)
        {
            throw new ArgumentException($"DataBatch: the data must have the batch along its first axis, got shape {data.ShapeString}.", nameof(data));
        }

        int rows = data.Shape[0];
        if (label is not null && (label.Rank < 1 || label.Shape[0] != rows))
        {
            throw new ArgumentException($"DataBatch: the data has {rows} rows ({data.ShapeString}) but the labels have shape {label.ShapeString}; the labels need {rows} rows, one per sample.", nameof(label));
        }

        if (pad < 0 || pad > rows)
        {
            throw new ArgumentOutOfRangeException(nameof(pad), pad, $"DataBatch: the pad counts trailing rows of a batch of {rows}, so it must be in [0, {rows}].");
        }

        Data = data;
        Label = label;
        Pad = pad;
    }

    /// <summary>The inputs, batch dimension first.</summary>
    public Tensor Data { get; }

    /// <summary>The labels (class indices as floats), or null for unlabelled data.</summary>
    public Tensor? Label { get; }

    /// <summary>How many trailing rows are padding.</summary>
    public int Pad { get; internal set; }

    /// <summary>The number of rows, padding included.</summary>
    public int BatchSize => Data.Shape[0];
}

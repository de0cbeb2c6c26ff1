namespace Nxt;

/// <summary>
/// One batch: data <c>(batch, ...)</c>, labels <c>(batch)</c>, and <see cref="Pad"/>, the number
/// of rows at the end that only fill the batch (MXNet pads the last batch); metrics and
/// <c>Predict</c> leave those rows out.
/// </summary>
public sealed class DataBatch
{
    /// <summary>A batch over the given tensors.</summary>
    public DataBatch(Tensor data, Tensor? label, int pad = 0)
    {
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

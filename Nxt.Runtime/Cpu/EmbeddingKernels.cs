using System;

namespace Nxt.Cpu;

/// <summary>MXNet <c>Embedding</c>: rows of a weight table gathered by token id, and their gradient scattered back.</summary>
public static class EmbeddingKernels
{
    /// <summary>
    /// <c>y[i, :] = weight[ids[i], :]</c> for every id; an id that is not a whole number in
    /// <c>[0, inputDim)</c> throws, naming the sample (<paramref name="idsPerSample"/> ids each).
    /// </summary>
    public static void Forward(ReadOnlySpan<float> ids, ReadOnlySpan<float> weight, Span<float> y, int idsPerSample, int inputDim, int outputDim)
    {
        for (int i = 0; i < ids.Length; i++)
        {
            int id = Id(ids[i], i, idsPerSample, inputDim);
            weight.Slice(id * outputDim, outputDim).CopyTo(y.Slice(i * outputDim, outputDim));
        }
    }

    /// <summary><c>dweight (+)= Σ over positions i of id r: dy[i, :]</c>, into row r; rows no id names stay zero (or as they were).</summary>
    public static void BackwardWeight(ReadOnlySpan<float> ids, ReadOnlySpan<float> dy, Span<float> dweight, int inputDim, int outputDim, bool accumulate)
    {
        if (!accumulate)
        {
            dweight[..(inputDim * outputDim)].Clear();
        }

        for (int i = 0; i < ids.Length; i++)
        {
            // The forward pass has checked every id.
            int id = (int)ids[i];
            ElementwiseKernels.AddInPlace(dweight.Slice(id * outputDim, outputDim), dy.Slice(i * outputDim, outputDim));
        }
    }

    /// <summary>The id at position <paramref name="position"/>, or an error naming its sample.</summary>
    public static int Id(float value, int position, int idsPerSample, int inputDim)
    {
        int id = (int)value;
        if (id == value && id >= 0 && id < inputDim)
        {
            return id;
        }

        throw new ArgumentException(
            $"Embedding: sample {position / idsPerSample} has the token id {value} at position {position % idsPerSample}; ids must be whole numbers in [0, {inputDim}).",
            nameof(value));
    }
}

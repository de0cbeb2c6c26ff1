namespace Nxt;

/// <summary>
/// MXNet <c>Embedding</c>: each element of the input is a token id (a whole number, given as a
/// float) in <c>[0, inputDim)</c>, replaced by that row of the weight <c>(inputDim, outputDim)</c>,
/// so the output's shape is the input's with <c>outputDim</c> appended. An id out of range, or not
/// a whole number, is a run-time error naming the sample. No gradient flows to the ids; the
/// weight's gradient is the sum of the output gradients of each id's positions.
/// </summary>
public sealed class EmbeddingAttribute : LayerAttribute
{
    /// <summary>Declares an embedding of <paramref name="inputDim"/> tokens, each a vector of <paramref name="outputDim"/>.</summary>
    public EmbeddingAttribute(int inputDim, int outputDim)
    {
        InputDim = inputDim;
        OutputDim = outputDim;
    }

    /// <summary>The vocabulary size (MXNet <c>input_dim</c>).</summary>
    public int InputDim { get; }

    /// <summary>The length of each token's vector (MXNet <c>output_dim</c>).</summary>
    public int OutputDim { get; }
}

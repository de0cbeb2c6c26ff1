using Nxt;

namespace FortunesCharLstm;

/// <summary>
/// A character-level language model: each of <see cref="Steps"/> characters embedded, one LSTM
/// over them, and at every position a softmax over the next character.
/// </summary>
[Network]
public partial class CharLstm
{
    /// <summary>Characters a sequence holds.</summary>
    public const int Steps = 64;

    [Input(Steps)]                                                  Tensor data;    // (N,T) character ids
    [Embedding(Characters.Count, 64)]                               Tensor embed;   // (N,T,64)
    [RNN(256)]                                                      Tensor lstm;    // (N,T,256)
    [FullyConnected(Characters.Count, Flatten = false)]             Tensor logits;  // (N,T,V)
    [SoftmaxOutput(PreserveShape = true)]                           Tensor softmax; // label softmax_label (N,T): the next characters
}

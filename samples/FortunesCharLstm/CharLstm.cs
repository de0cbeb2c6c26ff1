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

    /// <summary>The size of the alphabet (<see cref="Characters"/>).</summary>
    public const int Alphabet = 97;

    [Input(Steps)]                                                  Tensor data;    // (N,T) character ids
    [Embedding(Alphabet, 64)]                                       Tensor embed;   // (N,T,64)
    [RNN(256)]                                                      Tensor lstm;    // (N,T,256)
    [FullyConnected(Alphabet, Flatten = false)]                     Tensor logits;  // (N,T,V)
    [SoftmaxOutput(PreserveShape = true)]                           Tensor softmax; // label softmax_label (N,T): the next characters
}

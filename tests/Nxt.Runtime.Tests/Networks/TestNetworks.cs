namespace Nxt.Runtime.Tests.Networks;

/// <summary>Tanh and sigmoid between dense layers: every weight's gradient flows through a smooth path.</summary>
[Network]
public partial class TinyMlp
{
    [Input(6)]                 Tensor data;
    [FullyConnected(5)]        Tensor fc1;
    [Activation(Act.Tanh)]     Tensor tanh1;
    [FullyConnected(4)]        Tensor fc2;
    [Activation(Act.Sigmoid)]  Tensor sig2;
    [FullyConnected(3)]        Tensor fc3;
    [SoftmaxOutput]            Tensor softmax;
}

/// <summary>Multi-dimensional input, a dense layer over the last axis, flatten, softrelu, no bias, dropout and a scaled loss.</summary>
[Network]
public partial class ShapedNet
{
    [Input(3, 4)]                                   Tensor data;
    [FullyConnected(5, Flatten = false)]            Tensor proj;     // (N,3,4) -> (N,3,5)
    [Flatten]                                       Tensor flat;     // (N,15), a view
    [Activation(Act.SoftRelu)]                      Tensor act;
    [Dropout(0.25)]                                 Tensor drop;
    [FullyConnected(3, NoBias = true)]              Tensor head;
    [SoftmaxOutput(GradScale = 2.0)]                Tensor softmax;
}

/// <summary>A side branch read from the input with From, which does not reach the loss.</summary>
[Network]
public partial class BranchNet
{
    [Input(4)]                                     Tensor data;
    [FullyConnected(6)]                            Tensor fc1;
    [Activation(Act.Relu)]                         Tensor relu1;
    [FullyConnected(2, From = nameof(data))]       Tensor side;
    [FullyConnected(3, From = nameof(relu1))]      Tensor fc2;
    [SoftmaxOutput]                                Tensor softmax;
}

/// <summary>
/// Every element-wise operator variant the generator emits besides the fusable ones: scalar
/// Add/Sub/Mul/Div, Sub/Div/Mul of two nodes, elu, clip and softsign.
/// </summary>
[Network]
public partial class ElementwiseZoo
{
    [Input(6)]                                        Tensor data;
    [FullyConnected(8)]                               Tensor fc1;
    [LeakyReLU(LeakyAct.Elu, Slope = 0.3)]            Tensor elu;
    [Add(Scalar = 0.5)]                               Tensor shifted;
    [Sub(Scalar = 0.25)]                              Tensor lowered;
    [Mul(Scalar = 1.5)]                               Tensor scaled;
    [Div(Scalar = 2.0)]                               Tensor halved;
    [Clip(-0.6, 0.7)]                                 Tensor clipped;
    [FullyConnected(8, From = nameof(data))]          Tensor fc2;
    [Activation(Act.Sigmoid)]                         Tensor gate;
    [Add(Scalar = 0.5)]                               Tensor denominator;
    [Sub(nameof(clipped), nameof(fc2))]               Tensor difference;
    [Div(nameof(difference), nameof(denominator))]    Tensor ratio;
    [Mul(nameof(ratio), nameof(gate))]                Tensor gated;
    [Activation(Act.SoftSign)]                        Tensor soft;
    [FullyConnected(3)]                               Tensor head;
    [SoftmaxOutput]                                   Tensor softmax;
}

/// <summary>
/// Every operator and variant with kernels in one network (dropout aside: its masks differ
/// between backends by design): both fused and unfused convolutions and BatchNorms, every
/// pooling, concat, every activation, clip, reshape and flatten, every element-wise form, an
/// ElementwiseSum and a SoftmaxOutput with an ignored label and valid normalisation.
/// </summary>
[Network]
public partial class OperatorZoo
{
    [Input(2, 8, 8)]                                                    Tensor data;
    [Convolution(4, Kernel = 3, Pad = 1)]                               Tensor conv1;
    [BatchNorm]                                                         Tensor bn1;
    [Activation(Act.Relu)]                                              Tensor relu1;
    [Convolution(4, Kernel = 3, Pad = 1, NoBias = true, NumGroup = 2)]  Tensor conv2;
    [BatchNorm(FixGamma = false)]                                       Tensor bn2;
    [Add(nameof(bn2), nameof(relu1))]                                   Tensor residual;
    [Activation(Act.Tanh)]                                              Tensor tanh1;
    [Pooling(Pool.Max, Kernel = 2, Stride = 2)]                         Tensor pool1;
    [Pooling(Pool.Avg, Kernel = 2, Stride = 1, Pad = 1, CountIncludePad = false, From = nameof(tanh1))] Tensor pool2;
    [Pooling(Pool.Avg, GlobalPool = true, From = nameof(tanh1))]        Tensor global;
    [Concat(nameof(pool1), nameof(pool1), Dim = 1)]                     Tensor joined;
    [LeakyReLU(LeakyAct.PRelu)]                                         Tensor prelu;
    [LeakyReLU(LeakyAct.Gelu)]                                          Tensor gelu;
    [Reshape(0, -1)]                                                    Tensor rows;
    [Flatten(From = nameof(global))]                                    Tensor flat;
    [FullyConnected(8, From = nameof(rows))]                            Tensor fc1;
    [LeakyReLU(LeakyAct.Leaky, Slope = 0.1)]                            Tensor leaky;
    [LeakyReLU(LeakyAct.Elu)]                                           Tensor elu;
    [Activation(Act.Sigmoid)]                                           Tensor sigmoid;
    [Activation(Act.SoftRelu)]                                          Tensor softrelu;
    [Activation(Act.SoftSign)]                                          Tensor softsign;
    [Clip(-0.5, 0.5)]                                                   Tensor clipped;
    [FullyConnected(8, From = nameof(flat))]                            Tensor fc2;
    [Add(nameof(clipped), nameof(fc2))]                                 Tensor sum;
    [Sub(nameof(sum), nameof(fc2))]                                     Tensor difference;
    [Mul(nameof(difference), nameof(sigmoid))]                          Tensor product;
    [Add(Scalar = 2)]                                                   Tensor positive;
    [Div(nameof(product), nameof(positive))]                            Tensor ratio;
    [Sub(Scalar = 1)]                                                   Tensor lowered;
    [Mul(Scalar = 2)]                                                   Tensor scaled;
    [Div(Scalar = 4)]                                                   Tensor quarter;
    [ElementwiseSum(nameof(quarter), nameof(fc2), nameof(ratio))]       Tensor total;
    [FullyConnected(3, Flatten = false)]                                Tensor head;
    [SoftmaxOutput(UseIgnore = true, IgnoreLabel = 0, Normalization = LossNormalization.Valid, GradScale = 0.5)] Tensor softmax;
}

/// <summary>Dropout kept as an output, to see its masks.</summary>
[Network]
public partial class DropoutProbe
{
    [Input(2000)]               Tensor data;
    [Dropout(0.25), Output]     Tensor drop;
    [FullyConnected(2)]         Tensor fc;
    [SoftmaxOutput]             Tensor softmax;
}

/// <summary>Inception's factorised convolutions: 1x7 then 7x1 (padded per axis), and a rectangular pooling window.</summary>
[Network]
public partial class FactorizedConvNet
{
    [Input(2, 9, 11)]                                                   Tensor data;
    [Convolution(3, KernelH = 1, KernelW = 7, PadW = 3)]                Tensor conv1x7;   // (N,3,9,11)
    [Convolution(4, KernelH = 7, KernelW = 1, PadH = 3, StrideW = 2)]   Tensor conv7x1;   // (N,4,9,6)
    [Activation(Act.Relu)]                                              Tensor relu;
    [Pooling(Pool.Max, KernelH = 3, KernelW = 2, StrideH = 3, StrideW = 2)] Tensor pool; // (N,4,3,3)
    [Flatten]                                                           Tensor flat;
    [FullyConnected(3)]                                                 Tensor fc;
    [SoftmaxOutput]                                                     Tensor softmax;
}

/// <summary>Five token ids through an embedding of ten tokens and a dense head.</summary>
[Network]
public partial class EmbeddingNet
{
    [Input(5)]                  Tensor ids;
    [Embedding(10, 4)]          Tensor embed;       // (N,5,4)
    [Activation(Act.Tanh)]      Tensor act;
    [FullyConnected(3)]         Tensor fc;
    [SoftmaxOutput]             Tensor softmax;

    /// <summary>A batch of random ids, with repeats, and labels 1 where token 7 occurs (0 elsewhere).</summary>
    public static DataBatch Batch(int rows, ulong seed)
    {
        var random = new RandomSource(seed);
        var ids = new float[rows * 5];
        var labels = new float[rows];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = Math.Min(9, (int)(random.NextFloat() * 10));
        }

        for (int r = 0; r < rows; r++)
        {
            labels[r] = ids.AsSpan(r * 5, 5).Contains(7f) ? 1 : 0;
        }

        return new DataBatch(new Tensor(ids, rows, 5), new Tensor(labels, rows));
    }
}

/// <summary>An embedding alone: an inference graph whose output is the gathered rows.</summary>
[Network]
public partial class EmbeddingOnly
{
    [Input(2, 3)]       Tensor ids;
    [Embedding(6, 2)]   Tensor embed;       // (N,2,3,2)
}

/// <summary>An LSTM over six steps of three features, its last step into a classifier.</summary>
[Network]
public partial class LstmNet
{
    [Input(6, 3)]           Tensor data;
    [RNN(5)]                Tensor lstm;        // (N,6,5)
    [SequenceLast]          Tensor last;        // (N,5)
    [FullyConnected(3)]     Tensor fc;
    [SoftmaxOutput]         Tensor softmax;
}

/// <summary>The last step of a sequence into a dense head: SequenceLast alone (ONNX export).</summary>
[Network]
public partial class SequenceLastNet
{
    [Input(4, 3)]           Tensor data;
    [SequenceLast]          Tensor last;        // (N,3)
    [FullyConnected(3)]     Tensor fc;
    [SoftmaxOutput]         Tensor softmax;
}

/// <summary>A sequence classifier: token ids, an embedding, an LSTM, its last step, a dense head.</summary>
[Network]
public partial class SequenceClassifier
{
    [Input(20)]             Tensor tokens;
    [Embedding(10, 8)]      Tensor embed;       // (N,20,8)
    [RNN(16)]               Tensor lstm;        // (N,20,16)
    [SequenceLast]          Tensor last;        // (N,16)
    [FullyConnected(2)]     Tensor fc;
    [SoftmaxOutput]         Tensor softmax;
}

/// <summary>slice_axis, transpose (two kinds) and expand_dims between two dense layers.</summary>
[Network]
public partial class AxisZoo
{
    [Input(4, 6)]                           Tensor data;
    [FullyConnected(6, Flatten = false)]    Tensor proj;        // (N,4,6)
    [SliceAxis(2, 1, -1)]                   Tensor cut;         // (N,4,4): elements 1..4 of axis 2
    [Transpose(0, 2, 1)]                    Tensor swapped;     // (N,4,4)
    [ExpandDims(1)]                         Tensor expanded;    // (N,1,4,4)
    [Transpose(0, 3, 1, 2)]                 Tensor rolled;      // (N,4,1,4)
    [Flatten]                               Tensor flat;
    [FullyConnected(3)]                     Tensor fc;
    [SoftmaxOutput]                         Tensor softmax;
}

/// <summary>A slice and a transpose alone: an inference graph whose output shows their values.</summary>
[Network]
public partial class SliceTranspose
{
    [Input(2, 3, 4)]                        Tensor data;
    [SliceAxis(3, 1, 3)]                    Tensor cut;         // (N,2,3,2)
    [Transpose(0, 3, 1, 2)]                 Tensor moved;       // (N,2,2,3)
}

/// <summary>Layer normalisation of each step's features between two dense layers.</summary>
[Network]
public partial class LayerNormNet
{
    [Input(3, 6)]                           Tensor data;
    [FullyConnected(6, Flatten = false)]    Tensor proj;        // (N,3,6)
    [LayerNorm]                             Tensor norm;
    [Activation(Act.Tanh)]                  Tensor act;
    [FullyConnected(3)]                     Tensor fc;
    [SoftmaxOutput]                         Tensor softmax;
}

/// <summary>A tagger: a class per step of a sequence, SoftmaxOutput over the last axis with a label per step.</summary>
[Network]
public partial class SequenceTagger
{
    [Input(12)]                                 Tensor tokens;
    [Embedding(10, 6)]                          Tensor embed;       // (N,12,6)
    [RNN(12)]                                   Tensor lstm;        // (N,12,12)
    [FullyConnected(2, Flatten = false)]        Tensor tags;        // (N,12,2)
    [SoftmaxOutput(PreserveShape = true)]       Tensor softmax;     // labels (N,12)
}

/// <summary>A sum over steps and a mean over features (kept as an axis of 1), joined into a dense head.</summary>
[Network]
public partial class ReduceZoo
{
    [Input(3, 4)]                                       Tensor data;
    [FullyConnected(5, Flatten = false)]                Tensor proj;        // (N,3,5)
    [Sum(1)]                                            Tensor total;       // (N,5)
    [Mean(2, Keepdims = true, From = nameof(proj))]     Tensor average;     // (N,3,1)
    [Flatten]                                           Tensor flat;        // (N,3)
    [Concat(nameof(total), nameof(flat))]               Tensor joined;      // (N,8)
    [FullyConnected(3)]                                 Tensor fc;
    [SoftmaxOutput]                                     Tensor softmax;
}

/// <summary>A strided convolution down and two deconvolutions up: a bias and an adjustment, then groups, dilation and a target shape.</summary>
[Network]
public partial class DeconvNet
{
    [Input(2, 4, 4)]                                                        Tensor data;
    [Convolution(4, Kernel = 3, Stride = 2, Pad = 1)]                       Tensor down;    // (N,4,2,2)
    [Deconvolution(4, Kernel = 3, Stride = 2, Pad = 1, Adj = 1, NoBias = false)] Tensor up; // (N,4,4,4)
    [Activation(Act.Tanh)]                                                  Tensor act;
    [Deconvolution(2, KernelH = 2, KernelW = 3, Stride = 2, DilateW = 2, NumGroup = 2, TargetShape = new[] { 5, 7 })] Tensor wide; // (N,2,5,7)
    [FullyConnected(3)]                                                     Tensor fc;
    [SoftmaxOutput]                                                         Tensor softmax;
}

/// <summary>MXNet's bilinear UpSampling (a learned depthwise deconvolution) between a convolution and a dense head.</summary>
[Network]
public partial class BilinearUpNet
{
    [Input(2, 3, 3)]                                                                    Tensor data;
    [Convolution(3, Kernel = 2)]                                                        Tensor conv;    // (N,3,2,2)
    [UpSampling(3, SampleType = UpSamplingSampleType.Bilinear, NumFilter = 3)]          Tensor up;      // (N,3,6,6), up_weight (3,1,5,5)
    [FullyConnected(3)]                                                                 Tensor fc;
    [SoftmaxOutput]                                                                     Tensor softmax;
}

/// <summary>A bilinear up-sampling by 2 alone, to read its values.</summary>
[Network]
public partial class BilinearUpOnly
{
    [Input(1, 4, 4)]                                                                    Tensor data;
    [UpSampling(2, SampleType = UpSamplingSampleType.Bilinear, NumFilter = 1)]          Tensor up;
}

/// <summary>Nearest up-sampling between two convolutions.</summary>
[Network]
public partial class UpSamplingNet
{
    [Input(2, 3, 3)]                                Tensor data;
    [Convolution(3, Kernel = 2)]                    Tensor conv;    // (N,3,2,2)
    [UpSampling(3)]                                 Tensor up;      // (N,3,6,6)
    [Activation(Act.Tanh)]                          Tensor act;
    [Convolution(2, Kernel = 3, Stride = 2)]        Tensor down;    // (N,2,2,2)
    [FullyConnected(3)]                             Tensor fc;
    [SoftmaxOutput]                                 Tensor softmax;
}

/// <summary>Instance normalisation of images, then of a sequence's channels.</summary>
[Network]
public partial class InstanceNormNet
{
    [Input(2, 3, 3)]                                Tensor data;
    [Convolution(3, Kernel = 2)]                    Tensor conv;    // (N,3,2,2)
    [InstanceNorm]                                  Tensor norm;
    [Activation(Act.Tanh)]                          Tensor act;
    [Reshape(0, 3, 4)]                              Tensor rows;    // (N,3,4)
    [InstanceNorm(Eps = 1e-4)]                      Tensor rowNorm;
    [FullyConnected(3)]                             Tensor fc;
    [SoftmaxOutput]                                 Tensor softmax;
}

/// <summary>MXNet's other fused RNN cells in a row: GRU, then tanh, then relu.</summary>
[Network]
public partial class RecurrentZoo
{
    [Input(4, 3)]                               Tensor data;    // (N,T=4,C=3)
    [RNN(5, Mode = RnnMode.Gru)]                Tensor gru;     // (N,4,5)
    [RNN(4, Mode = RnnMode.RnnTanh)]            Tensor plain;   // (N,4,4)
    [RNN(3, Mode = RnnMode.RnnRelu)]            Tensor rectified;
    [FullyConnected(3)]                         Tensor fc;
    [SoftmaxOutput]                             Tensor softmax;
}

/// <summary>Stacked and bidirectional layers: a two-layer bidirectional LSTM into a bidirectional GRU.</summary>
[Network]
public partial class StackedRecurrent
{
    [Input(4, 3)]                                                   Tensor data;    // (N,T=4,C=3)
    [RNN(4, NumLayers = 2, Bidirectional = true)]                   Tensor lstm;    // (N,4,8)
    [RNN(3, Mode = RnnMode.Gru, Bidirectional = true)]              Tensor gru;     // (N,4,6)
    [RNN(2, Mode = RnnMode.RnnTanh, NumLayers = 2)]                 Tensor plain;   // (N,4,2)
    [FullyConnected(3)]                                             Tensor fc;
    [SoftmaxOutput]                                                 Tensor softmax;
}

/// <summary>A two-layer LSTM that starts from given hidden states and cells, then a GRU from given states.</summary>
[Network]
public partial class SeededRecurrent
{
    [Input(5, 3)]                                                                           Tensor data;
    [Input(2, 4)]                                                                           Tensor h0;      // (L*D=2, H=4)
    [Input(2, 4)]                                                                           Tensor c0;
    [Input(2, 3)]                                                                           Tensor g0;      // one layer, both directions
    [RNN(4, NumLayers = 2, State = nameof(h0), StateCell = nameof(c0), From = nameof(data))] Tensor lstm;    // (N,5,4)
    [RNN(3, Mode = RnnMode.Gru, Bidirectional = true, State = nameof(g0), From = nameof(lstm))] Tensor gru; // (N,5,6)
    [FullyConnected(3)]                                                                     Tensor fc;
    [SoftmaxOutput]                                                                         Tensor softmax;
}

/// <summary>An encoder's final states (MXNet's state_outputs) as values: classified, and the cells also an output.</summary>
[Network]
public partial class FinalStates
{
    [Input(5, 3)]                                                   Tensor data;
    [RNN(4, NumLayers = 2, Bidirectional = true)]                   Tensor lstm;    // (N,5,8)
    [RNNState(nameof(lstm))]                                        Tensor hidden;  // (N,4,4)
    [RNNState(nameof(lstm), Cell = true), Output]                   Tensor cells;   // (N,4,4)
    [Concat(nameof(hidden), nameof(cells))]                         Tensor both;    // (N,8,4)
    [FullyConnected(3)]                                             Tensor fc;
    [SoftmaxOutput]                                                 Tensor softmax;
}

/// <summary><see cref="FinalStates"/>'s encoder with its sequence and its final hidden states as outputs.</summary>
[Network]
public partial class FinalStatesProbe
{
    [Input(5, 3)]                                                   Tensor data;
    [RNN(4, NumLayers = 2, Bidirectional = true), Output]           Tensor lstm;
    [RNNState(nameof(lstm)), Output]                                Tensor hidden;
}

/// <summary>Three tanh layers with MXNet's dropout between them, and the same stack without.</summary>
[Network]
public partial class DroppedStack
{
    [Input(6, 3)]                                                   Tensor data;
    [RNN(8, Mode = RnnMode.RnnTanh, NumLayers = 3, P = 0.5)]        Tensor stack;
    [FullyConnected(3)]                                             Tensor fc;
    [SoftmaxOutput]                                                 Tensor softmax;
}

/// <summary><see cref="DroppedStack"/> without the dropout.</summary>
[Network]
public partial class UndroppedStack
{
    [Input(6, 3)]                                                   Tensor data;
    [RNN(8, Mode = RnnMode.RnnTanh, NumLayers = 3)]                 Tensor stack;
    [FullyConnected(3)]                                             Tensor fc;
    [SoftmaxOutput]                                                 Tensor softmax;
}

/// <summary>A projected sequence masked past each sample's length, then classified.</summary>
[Network]
public partial class MaskedSequence
{
    [Input(5, 3)]                                               Tensor data;
    [Input(1)]                                                  Tensor lengths;
    [FullyConnected(4, Flatten = false, From = "data")]         Tensor proj;    // (N,5,4)
    [SequenceMask("proj", "lengths", Value = -1)]               Tensor masked;
    [Activation(Act.Tanh)]                                      Tensor act;
    [FullyConnected(3)]                                         Tensor fc;
    [SoftmaxOutput]                                             Tensor softmax;

    /// <summary>Random steps and the given lengths, with labels 0, 2, 1, 0, ...</summary>
    public static DataBatch Batch(params float[] lengths)
    {
        int n = lengths.Length;
        return new DataBatch(
            [new Tensor(TestData.Random(n * 5 * 3, 21), n, 5, 3), new Tensor(lengths, n, 1)],
            [new Tensor(Enumerable.Range(0, n).Select(i => (float)(new[] { 0, 2, 1 }[i % 3])).ToArray(), n)]);
    }
}

/// <summary>Only a mask: an inference graph whose output is the masked sequence.</summary>
[Network]
public partial class MaskOnly
{
    [Input(5, 4)]                                   Tensor data;
    [Input(1)]                                      Tensor lengths;
    [SequenceMask("data", "lengths", Value = -1)]   Tensor masked;
}

/// <summary>Every broadcast operation: a squeeze-and-excitation gate, operands broadcast along different axes, a broadcast divisor.</summary>
[Network]
public partial class BroadcastZoo
{
    [Input(2, 3, 3)]                                Tensor data;
    [Convolution(4, Kernel = 2)]                    Tensor conv;    // (N,4,2,2)
    [Pooling(Pool.Avg, GlobalPool = true)]          Tensor squeeze; // (N,4,1,1)
    [Activation(Act.Sigmoid)]                       Tensor gate;
    [BroadcastMul("conv", "gate")]                  Tensor scaled;  // (N,4,2,2)
    [Mean(3, Keepdims = true, From = "scaled")]     Tensor rows;    // (N,4,2,1)
    [Mean(2, Keepdims = true, From = "scaled")]     Tensor columns; // (N,4,1,2)
    [BroadcastSub("rows", "columns")]               Tensor grid;    // (N,4,2,2)
    [Add("gate", Scalar = 2)]                       Tensor shifted; // (N,4,1,1)
    [BroadcastDiv("grid", "shifted")]               Tensor ratio;
    [BroadcastAdd("ratio", "scaled")]               Tensor sum;
    [FullyConnected(3)]                             Tensor fc;
    [SoftmaxOutput]                                 Tensor softmax;
}

/// <summary>Dot-product attention over four steps, and products with each operand transposed.</summary>
[Network]
public partial class AttentionNet
{
    [Input(4, 3)]                                                       Tensor data;    // (N,T=4,C=3)
    [FullyConnected(5, Flatten = false)]                                Tensor query;   // (N,4,5)
    [FullyConnected(5, Flatten = false, From = "data")]                 Tensor key;     // (N,4,5)
    [BatchDot("query", "key", TransposeB = true)]                       Tensor scores;  // (N,4,4)
    [Softmax]                                                           Tensor weights;
    [FullyConnected(2, Flatten = false, From = "data")]                 Tensor value;   // (N,4,2)
    [BatchDot("weights", "value")]                                      Tensor mixed;   // (N,4,2)
    [BatchDot("value", "query", TransposeA = true)]                     Tensor cross;   // (N,2,5)
    [BatchDot("cross", "value", TransposeA = true, TransposeB = true)]  Tensor both;    // (N,5,4)
    [Flatten(From = "mixed")]                                           Tensor mixedFlat;
    [Flatten(From = "both")]                                            Tensor bothFlat;
    [Concat("mixedFlat", "bothFlat")]                                   Tensor joined;
    [FullyConnected(3)]                                                 Tensor fc;
    [SoftmaxOutput]                                                     Tensor softmax;
}

/// <summary>Each border: constant, edge and reflected, between convolutions.</summary>
[Network]
public partial class PadZoo
{
    [Input(2, 3, 3)]                                                        Tensor data;
    [Pad(0, 0, 0, 0, 1, 0, 2, 1, ConstantValue = 0.5)]                      Tensor framed;      // (N,2,4,6)
    [Convolution(3, Kernel = 2)]                                            Tensor conv;        // (N,3,3,5)
    [Pad(0, 0, 0, 0, 2, 1, 1, 2, Mode = PadMode.Edge)]                      Tensor edged;       // (N,3,6,8)
    [Activation(Act.Tanh)]                                                  Tensor act;
    [Pad(0, 0, 0, 0, 1, 2, 3, 1, Mode = PadMode.Reflect, From = "conv")]    Tensor mirrored;    // (N,3,6,9)
    [Flatten(From = "act")]                                                 Tensor actFlat;
    [Flatten(From = "mirrored")]                                            Tensor mirroredFlat;
    [Concat("actFlat", "mirroredFlat")]                                     Tensor joined;
    [FullyConnected(3)]                                                     Tensor fc;
    [SoftmaxOutput]                                                         Tensor softmax;
}

/// <summary>Means and sums over a plane's two axes at once: each channel centred on its spatial mean, then summed over the plane.</summary>
[Network]
public partial class SpatialReduce
{
    [Input(2, 3, 4)]                                    Tensor data;
    [Convolution(3, Kernel = 2)]                        Tensor conv;        // (N,3,2,3)
    [Mean(2, 3, Keepdims = true)]                       Tensor planeMean;   // (N,3,1,1)
    [BroadcastSub("conv", "planeMean")]                 Tensor centred;
    [Activation(Act.Tanh)]                              Tensor act;
    [Sum(2, 3)]                                         Tensor planeSum;    // (N,3)
    [Mean(1, 2, From = "act")]                          Tensor rowMean;     // (N,3)
    [Concat("planeSum", "rowMean")]                     Tensor joined;
    [FullyConnected(3)]                                 Tensor fc;
    [SoftmaxOutput]                                     Tensor softmax;
}

/// <summary>Products with learned matrices: a sequence's steps times one, and a vector times the transpose of another.</summary>
[Network]
public partial class DotNet
{
    [Input(4, 3)]                                   Tensor data;        // (N,4,3)
    [Variable(3, 5)]                                Tensor mixing;
    [Dot("data", "mixing")]                         Tensor mixed;       // (N,4,5)
    [Activation(Act.Tanh)]                          Tensor act;
    [Mean(1)]                                       Tensor pooled;      // (N,5)
    [Variable(2, 5)]                                Tensor reading;
    [Dot("pooled", "reading", TransposeB = true)]   Tensor read;        // (N,2)
    [FullyConnected(3)]                             Tensor fc;
    [SoftmaxOutput]                                 Tensor softmax;
}

/// <summary>Python slices of three axes at once: a range, every other element, a backward walk, and a whole axis reversed.</summary>
[Network]
public partial class SliceZoo
{
    [Input(3, 4, 5)]                                                                                        Tensor data;
    [FullyConnected(5, Flatten = false)]                                                                    Tensor proj;        // (N,3,4,5)
    [Slice(Begin = new[] { 1, 0, -1 }, End = new[] { 3, int.MaxValue, 0 }, Step = new[] { 1, 2, -2 })]     Tensor picked;      // (N,2,2,2)
    [Slice(Step = new[] { -1 }, From = "proj")]                                                             Tensor reversed;    // (N,3,4,5)
    [Slice(Begin = new[] { -2 }, From = "reversed")]                                                        Tensor tail;        // (N,2,4,5)
    [Flatten(From = "picked")]                                                                              Tensor pickedFlat;
    [Flatten(From = "tail")]                                                                                Tensor tailFlat;
    [Concat("pickedFlat", "tailFlat")]                                                                      Tensor joined;
    [FullyConnected(3)]                                                                                     Tensor fc;
    [SoftmaxOutput]                                                                                         Tensor softmax;
}

/// <summary>Only a slice, <c>x[:, 1:, -1:0:-2]</c> in Python's notation: an inference graph whose output is the slice.</summary>
[Network]
public partial class SliceOnly
{
    [Input(2, 5)]                                                                                   Tensor data;
    [Slice(Begin = new[] { 1, -1 }, End = new[] { int.MaxValue, 0 }, Step = new[] { 1, -2 })]       Tensor picked;  // (N,1,2)
}

namespace Nxt.Runtime.Tests.Networks;

/// <summary>A residual unit: convolution, BatchNorm, relu, added to the unit's input.</summary>
[Block]
public partial class TinyUnit
{
    [BlockInput]                                          Tensor data;
    [Convolution(3, Kernel = 3, Pad = 1, NoBias = true)]  Tensor conv1;
    [BatchNorm(FixGamma = false)]                         Tensor bn1;
    [Activation(Act.Tanh)]                                Tensor act;
    [Add(nameof(act), nameof(data))]                      Tensor sum;
}

/// <summary>A block that itself uses a block, to check nested names.</summary>
[Block]
public partial class TinyStage
{
    [BlockInput]                          Tensor data;
    [Use<TinyUnit>(Repeat = 2)]           Tensor body;
    [Pooling(Pool.Max, Kernel = 2, Stride = 2)] Tensor down;
}

[Network]
public partial class BlockNet
{
    [Input(3, 4, 4)]                      Tensor data;
    [Use<TinyStage>]                      Tensor stage1;
    [Flatten]                             Tensor flat;
    [FullyConnected(3)]                   Tensor fc;
    [SoftmaxOutput]                       Tensor softmax;

    public Tensor Stage1 => stage1;
}

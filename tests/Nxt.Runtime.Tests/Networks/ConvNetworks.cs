namespace Nxt.Runtime.Tests.Networks;

/// <summary>Convolution, BatchNorm with a learned gamma, relu, pooling, a residual Add (two readers of one value).</summary>
[Network]
public partial class TinyResidual
{
    [Input(2, 6, 6)]                                   Tensor data;
    [Convolution(3, Kernel = 3, Pad = 1)]              Tensor conv1;
    [BatchNorm(FixGamma = false)]                      Tensor bn1;
    [Activation(Act.Relu)]                             Tensor relu1;
    [Convolution(3, Kernel = 3, Pad = 1, NoBias = true)] Tensor conv2;
    [Add(nameof(conv2), nameof(relu1))]                Tensor sum;
    [Pooling(Pool.Max, Kernel = 2, Stride = 2)]        Tensor pool;
    [FullyConnected(3)]                                Tensor fc;
    [SoftmaxOutput]                                    Tensor softmax;
}

/// <summary>Branches joined by Concat, grouped and strided convolution, PReLU, GELU, average and global pooling, scalar arithmetic, ElementwiseSum.</summary>
[Network]
public partial class TinyInception
{
    [Input(4, 7, 7)]                                                 Tensor data;
    [Convolution(4, Kernel = 1)]                                     Tensor branch1;
    [Convolution(2, Kernel = 3, Pad = 1, NumGroup = 2, From = nameof(data))] Tensor branch2;
    [LeakyReLU(LeakyAct.PRelu)]                                      Tensor prelu;
    [Concat(nameof(branch1), nameof(prelu))]                         Tensor joined;
    [Convolution(6, Kernel = 3, Stride = 2, Dilate = 1)]             Tensor down;
    [LeakyReLU(LeakyAct.Gelu)]                                       Tensor gelu;
    [Mul(Scalar = 0.5)]                                              Tensor half;
    [Pooling(Pool.Avg, Kernel = 2, Stride = 1, Pad = 1, CountIncludePad = false)] Tensor avg;
    [Pooling(Pool.Max, GlobalPool = true, From = nameof(gelu))]      Tensor global;
    [Pooling(Pool.Avg, GlobalPool = true, From = nameof(avg))]       Tensor globalAvg;
    [ElementwiseSum(nameof(global), nameof(globalAvg), nameof(global))] Tensor total;
    [Reshape(0, -1)]                                                 Tensor flat;
    [FullyConnected(3)]                                              Tensor fc;
    [SoftmaxOutput]                                                  Tensor softmax;
}

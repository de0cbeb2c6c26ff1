using Nxt;

namespace FashionMnistLeNet;

/// <summary>The Gluon tutorial LeNet: two convolution + max-pool stages, then two dense layers.</summary>
[Network]
public partial class LeNet
{
    [Input(1, 28, 28)]                            Tensor data;
    [Convolution(20, Kernel = 5)]                 Tensor conv1;
    [Activation(Act.Relu)]                        Tensor relu1;
    [Pooling(Pool.Max, Kernel = 2, Stride = 2)]   Tensor pool1;
    [Convolution(50, Kernel = 5)]                 Tensor conv2;
    [Activation(Act.Relu)]                        Tensor relu2;
    [Pooling(Pool.Max, Kernel = 2, Stride = 2)]   Tensor pool2;
    [Flatten]                                     Tensor flat;
    [FullyConnected(500)]                         Tensor fc1;
    [Activation(Act.Relu)]                        Tensor relu3;
    [FullyConnected(10)]                          Tensor fc2;
    [SoftmaxOutput]                               Tensor softmax;
}

namespace Nxt.TorchSharpBenchmarks;

/// <summary>The MXNet tutorial MLP.</summary>
[Network]
public partial class PeerMlp
{
    [Input(784)]            Tensor data;
    [FullyConnected(128)]   Tensor fc1;
    [Activation(Act.Relu)]  Tensor relu1;
    [FullyConnected(64)]    Tensor fc2;
    [Activation(Act.Relu)]  Tensor relu2;
    [FullyConnected(10)]    Tensor fc3;
    [SoftmaxOutput]         Tensor softmax;
}

/// <summary>The Gluon tutorial LeNet, as in samples/FashionMnistLeNet.</summary>
[Network]
public partial class PeerLeNet
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

/// <summary>The MXNet Module tutorial's conv net, as in samples/TutorialConvNet.</summary>
[Network]
public partial class PeerTutorialNet
{
    [Input(3, 224, 224)]                          Tensor data;
    [Convolution(128, Kernel = 3, Pad = 1)]       Tensor conv1;
    [BatchNorm(FixGamma = false)]                 Tensor bn1;
    [Activation(Act.Relu)]                        Tensor relu1;
    [Pooling(Pool.Max, Kernel = 2, Stride = 2)]   Tensor pool1;
    [FullyConnected(2)]                           Tensor fc1;
    [SoftmaxOutput]                               Tensor softmax;
}

namespace Nxt.TorchSharpBenchmarks;

// The MLP and LeNet are the samples' own declarations (linked by the project file); the
// tutorial net differs from its sample in one argument: BatchNorm learns its scale here, as
// torch's BatchNorm2d does.

/// <summary>The MXNet Module tutorial's conv net, as in samples/TutorialConvNet but with a learned BatchNorm scale.</summary>
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

/// <summary>
/// Issue 15's BatchNorm conv net: three conv(3x3, no bias) + BatchNorm + relu blocks, max-pools
/// after the first two, a dense head, on 3x32x32 images.
/// </summary>
[Network]
public partial class PeerBatchNormNet
{
    [Input(3, 32, 32)]                                      Tensor data;
    [Convolution(32, Kernel = 3, Pad = 1, NoBias = true)]   Tensor conv1;
    [BatchNorm(FixGamma = false)]                           Tensor bn1;
    [Activation(Act.Relu)]                                  Tensor relu1;
    [Pooling(Pool.Max, Kernel = 2, Stride = 2)]             Tensor pool1;
    [Convolution(64, Kernel = 3, Pad = 1, NoBias = true)]   Tensor conv2;
    [BatchNorm(FixGamma = false)]                           Tensor bn2;
    [Activation(Act.Relu)]                                  Tensor relu2;
    [Pooling(Pool.Max, Kernel = 2, Stride = 2)]             Tensor pool2;
    [Convolution(128, Kernel = 3, Pad = 1, NoBias = true)]  Tensor conv3;
    [BatchNorm(FixGamma = false)]                           Tensor bn3;
    [Activation(Act.Relu)]                                  Tensor relu3;
    [FullyConnected(10)]                                    Tensor fc;
    [SoftmaxOutput]                                         Tensor softmax;
}

/// <summary>Issue 15's wide MLP, 784-1024-1024-10: GEMM-bound at batch 128.</summary>
[Network]
public partial class PeerWideMlp
{
    [Input(784)]                Tensor data;
    [FullyConnected(1024)]      Tensor fc1;
    [Activation(Act.Relu)]      Tensor relu1;
    [FullyConnected(1024)]      Tensor fc2;
    [Activation(Act.Relu)]      Tensor relu2;
    [FullyConnected(10)]        Tensor fc3;
    [SoftmaxOutput]             Tensor softmax;
}

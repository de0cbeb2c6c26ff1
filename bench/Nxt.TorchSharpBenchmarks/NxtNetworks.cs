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

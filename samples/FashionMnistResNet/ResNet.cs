using Nxt;

namespace FashionMnistResNet;

/// <summary>A basic residual unit: two 3x3 convolutions with BatchNorm, added to its input.</summary>
[Block]
public partial class ResidualUnit
{
    [BlockInput]                                            Tensor data;
    [Convolution(16, Kernel = 3, Pad = 1, NoBias = true)]   Tensor conv1;
    [BatchNorm(FixGamma = false)]                           Tensor bn1;
    [Activation(Act.Relu)]                                  Tensor relu1;
    [Convolution(16, Kernel = 3, Pad = 1, NoBias = true)]   Tensor conv2;
    [BatchNorm(FixGamma = false)]                           Tensor bn2;
    [Add(nameof(bn2), nameof(data))]                        Tensor sum;
    [Activation(Act.Relu)]                                  Tensor relu2;
}

/// <summary>A small ResNet for 28x28 images: a stem, two residual stages, global pooling.</summary>
[Network]
public partial class ResNet
{
    [Input(1, 28, 28)]                                      Tensor data;
    [Convolution(16, Kernel = 3, Pad = 1, NoBias = true)]   Tensor conv0;
    [BatchNorm(FixGamma = false)]                           Tensor bn0;
    [Activation(Act.Relu)]                                  Tensor relu0;
    [Use<ResidualUnit>(Repeat = 2)]                         Tensor stage1;   // stage1_unit1_conv1, ...
    [Pooling(Pool.Max, Kernel = 2, Stride = 2)]             Tensor pool1;    // 14x14
    [Use<ResidualUnit>(Repeat = 2)]                         Tensor stage2;
    [Pooling(Pool.Avg, GlobalPool = true)]                  Tensor pool2;
    [Flatten]                                               Tensor flat;
    [FullyConnected(10)]                                    Tensor fc;
    [SoftmaxOutput]                                         Tensor softmax;
}

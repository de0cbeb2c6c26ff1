using Nxt;

namespace FashionMnistMlp;

/// <summary>The MXNet tutorial MLP, 784-128-64-10 with ReLU, declared for Nxt to compile.</summary>
[Network]
public partial class FashionMlp
{
    [Input(784)]            Tensor data;
    [FullyConnected(128)]   Tensor fc1;
    [Activation(Act.Relu)]  Tensor relu1;
    [FullyConnected(64)]    Tensor fc2;
    [Activation(Act.Relu)]  Tensor relu2;
    [FullyConnected(10)]    Tensor fc3;
    [SoftmaxOutput]         Tensor softmax;
}

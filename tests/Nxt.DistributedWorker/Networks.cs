namespace Nxt.DistributedWorker;

/// <summary>A small MLP: the equivalence runs compare its parameters after 20 steps.</summary>
[Network]
public partial class SmallMlp
{
    [Input(12)]             Tensor data;
    [FullyConnected(16)]    Tensor fc1;
    [Activation(Act.Tanh)]  Tensor t;
    [FullyConnected(4)]     Tensor fc2;
    [SoftmaxOutput]         Tensor softmax;
}

/// <summary>
/// Wide enough that the backward pass finishes fc2's and fc3's gradients (over 64 Ki floats)
/// before fc1's: their sum over the workers starts while fc1's backward still runs.
/// </summary>
[Network]
public partial class DeepMlp
{
    [Input(12)]             Tensor data;
    [FullyConnected(512)]   Tensor fc1;
    [Activation(Act.Tanh)]  Tensor t1;
    [FullyConnected(256)]   Tensor fc2;
    [Activation(Act.Tanh)]  Tensor t2;
    [FullyConnected(4)]     Tensor fc3;
    [SoftmaxOutput]         Tensor softmax;
}

/// <summary>The small MLP one unit wider: a worker that trains it must be stopped before training.</summary>
[Network]
public partial class WiderMlp
{
    [Input(12)]             Tensor data;
    [FullyConnected(17)]    Tensor fc1;
    [Activation(Act.Tanh)]  Tensor t;
    [FullyConnected(4)]     Tensor fc2;
    [SoftmaxOutput]         Tensor softmax;
}

/// <summary>
/// The tutorial MLP for the Fashion-MNIST run. Declared here, not taken from the sample: the test
/// project compiles the sample's file itself and references this program, so one type would come twice.
/// </summary>
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

namespace Nxt.Runtime.Tests.Networks;

[Network]
public partial class RegressionNet
{
    [Input(5)]                                    Tensor data;
    [FullyConnected(3)]                           Tensor fc;
    [LinearRegressionOutput(GradScale = 2.0)]     Tensor output;
}

[Network]
public partial class LogisticNet
{
    [Input(5)]                                    Tensor data;
    [FullyConnected(3)]                           Tensor fc;
    [LogisticRegressionOutput]                    Tensor output;
}

/// <summary>Minimises Σ tanh(fc)² through MakeLoss: a loss with no label.</summary>
[Network]
public partial class MakeLossNet
{
    [Input(5)]                                    Tensor data;
    [FullyConnected(4)]                           Tensor fc;
    [Activation(Act.Tanh)]                        Tensor t;
    [Mul(nameof(t), nameof(t))]                   Tensor square;
    [MakeLoss(GradScale = 0.5)]                   Tensor loss;
}

/// <summary>Ignored labels, valid normalisation, and softmax and log-softmax as inner layers.</summary>
[Network]
public partial class IgnoreNet
{
    [Input(5)]                                    Tensor data;
    [FullyConnected(4)]                           Tensor fc1;
    [Softmax]                                     Tensor soft;
    [LogSoftmax]                                  Tensor logSoft;
    [FullyConnected(3)]                           Tensor fc2;
    [SoftmaxOutput(UseIgnore = true, IgnoreLabel = 1, Normalization = LossNormalization.Valid, GradScale = 3.0)] Tensor softmax;
}

[Network]
public partial class BlockGradNet
{
    [Input(5)]                                    Tensor data;
    [FullyConnected(4)]                           Tensor frozen;
    [BlockGrad]                                   Tensor stop;
    [FullyConnected(3)]                           Tensor head;
    [SoftmaxOutput]                               Tensor softmax;
}

/// <summary>No loss: an inference-only network ending in a Softmax head.</summary>
[Network]
public partial class InferenceNet
{
    [Input(5)]                                    Tensor data;
    [FullyConnected(3)]                           Tensor fc;
    [Softmax]                                     Tensor probabilities;
}

/// <summary>An internal feature exposed as a second output (MXNet Group).</summary>
[Network]
public partial class GroupNet
{
    [Input(5)]                                    Tensor data;
    [FullyConnected(4), Output]                   Tensor features;
    [Activation(Act.Relu)]                        Tensor relu;
    [FullyConnected(3)]                           Tensor fc;
    [SoftmaxOutput]                               Tensor softmax;
}

/// <summary>BatchNorm after FullyConnected: per-feature statistics, (N,C) with no spatial extent.</summary>
[Network]
public partial class DenseBatchNormNet
{
    [Input(5)]                                    Tensor data;
    [FullyConnected(4)]                           Tensor fc1;
    [BatchNorm(FixGamma = false, Eps = 1e-5)]     Tensor bn;
    [Activation(Act.Sigmoid)]                     Tensor act;
    [FullyConnected(3)]                           Tensor fc2;
    [SoftmaxOutput]                               Tensor softmax;
}

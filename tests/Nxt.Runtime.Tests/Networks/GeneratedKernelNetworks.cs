namespace Nxt.Runtime.Tests.Networks;

/// <summary>The example: a dense layer, then <c>tanh(0.5x · sigmoid(0.5x) + 1)</c>, a dense head.</summary>
[Block]
public partial class ScaledGateBody
{
    [BlockInput]                                Tensor data;
    [FullyConnected(32)]                        Tensor fc1;
    [Mul(Scalar = 0.5)]                         Tensor half;
    [Activation(Act.Sigmoid)]                   Tensor sig;
    [Mul(nameof(half), nameof(sig))]            Tensor prod;
    [Add(Scalar = 1)]                           Tensor shifted;
    [Activation(Act.Tanh)]                      Tensor t;
}

[Network]
public partial class ScaledGateNet
{
    [Input(12)]             Tensor data;
    [Use<ScaledGateBody>]   Tensor body;
    [FullyConnected(4)]     Tensor fc2;
    [SoftmaxOutput]         Tensor softmax;
}

[Network(Fuse = false)]
public partial class UnfusedScaledGateNet
{
    [Input(12)]             Tensor data;
    [Use<ScaledGateBody>]   Tensor body;
    [FullyConnected(4)]     Tensor fc2;
    [SoftmaxOutput]         Tensor softmax;
}

/// <summary>
/// Swish (<c>x · sigmoid(x)</c>) after a dense layer; a transformer-style tail (dense, GELU,
/// dense, scale, residual add); GELU then a scale, a difference read twice, softsign (no kinks:
/// the finite-difference check applies).
/// </summary>
[Block]
public partial class GeneratedTailBody
{
    [BlockInput]                                Tensor data;
    [FullyConnected(16)]                        Tensor fc1;
    [Activation(Act.Sigmoid)]                   Tensor gate;
    [Mul(nameof(fc1), nameof(gate))]            Tensor swish;
    [FullyConnected(32)]                        Tensor up;
    [LeakyReLU(LeakyAct.Gelu)]                  Tensor gelu;
    [FullyConnected(16)]                        Tensor down;
    [Mul(Scalar = 0.5)]                         Tensor scaled;
    [Add(nameof(scaled), nameof(swish))]        Tensor residual;
    [FullyConnected(16)]                        Tensor fc4;
    [LeakyReLU(LeakyAct.Gelu)]                  Tensor gelu4;
    [Mul(Scalar = 1.5)]                         Tensor gelu4Scaled;
    [Sub(nameof(gelu4Scaled), nameof(residual))] Tensor difference;
    [Mul(nameof(difference), nameof(difference))] Tensor square;
    [Activation(Act.SoftSign)]                  Tensor soft;
}

[Network]
public partial class GeneratedTailNet
{
    [Input(10)]                 Tensor data;
    [Use<GeneratedTailBody>]    Tensor body;
    [FullyConnected(3)]         Tensor head;
    [SoftmaxOutput]             Tensor softmax;
}

[Network(Fuse = false)]
public partial class UnfusedGeneratedTailNet
{
    [Input(10)]                 Tensor data;
    [Use<GeneratedTailBody>]    Tensor body;
    [FullyConnected(3)]         Tensor head;
    [SoftmaxOutput]             Tensor softmax;
}

/// <summary>
/// PReLU after an add of two dense layers, times a learned <c>[Variable]</c> scale: the add, the
/// PReLU (its slopes one per feature) and the scale run as the second dense layer's generated epilogue.
/// </summary>
[Block]
public partial class PReluTailBody
{
    [BlockInput]                                Tensor data;
    [FullyConnected(16)]                        Tensor fc1;
    [FullyConnected(16, From = nameof(data))]   Tensor skip;
    [Add(nameof(fc1), nameof(skip))]            Tensor sum;
    [LeakyReLU(LeakyAct.PRelu)]                 Tensor prelu;
    [Variable(16)]                              Tensor scale;
    [Mul(nameof(prelu), nameof(scale))]         Tensor scaled;
}

[Network]
public partial class PReluTailNet
{
    [Input(12)]                 Tensor data;
    [Use<PReluTailBody>]        Tensor body;
    [FullyConnected(4)]         Tensor head;
    [SoftmaxOutput]             Tensor softmax;
}

[Network(Fuse = false)]
public partial class UnfusedPReluTailNet
{
    [Input(12)]                 Tensor data;
    [Use<PReluTailBody>]        Tensor body;
    [FullyConnected(4)]         Tensor head;
    [SoftmaxOutput]             Tensor softmax;
}

/// <summary>
/// Generated epilogues after convolutions: swish after the first; GELU, a scale, a learned
/// <c>[Variable]</c> per output element, the residual add of the swish and a PReLU (its slopes
/// one per channel) after the second.
/// </summary>
[Block]
public partial class ConvTailBody
{
    [BlockInput]                                Tensor data;
    [Convolution(4, Kernel = 3, Pad = 1)]       Tensor conv1;
    [Activation(Act.Sigmoid)]                   Tensor gate;
    [Mul(nameof(conv1), nameof(gate))]          Tensor swish;
    [Convolution(4, Kernel = 3, Pad = 1, NumGroup = 2)] Tensor conv2;
    [LeakyReLU(LeakyAct.Gelu)]                  Tensor gelu;
    [Mul(Scalar = 0.5)]                         Tensor scaled;
    [Variable(4, 6, 6)]                         Tensor shift;
    [Add(nameof(scaled), nameof(shift))]        Tensor shifted;
    [Add(nameof(shifted), nameof(swish))]       Tensor residual;
    [LeakyReLU(LeakyAct.PRelu)]                 Tensor prelu;
}

[Network]
public partial class ConvTailNet
{
    [Input(2, 6, 6)]            Tensor data;
    [Use<ConvTailBody>]         Tensor body;
    [FullyConnected(3)]         Tensor head;
    [SoftmaxOutput]             Tensor softmax;
}

[Network(Fuse = false)]
public partial class UnfusedConvTailNet
{
    [Input(2, 6, 6)]            Tensor data;
    [Use<ConvTailBody>]         Tensor body;
    [FullyConnected(3)]         Tensor head;
    [SoftmaxOutput]             Tensor softmax;
}

namespace Nxt.Runtime.Tests.Networks;

/// <summary>The Symbol tutorial's <c>d = (A + B) / 10 + 1</c>: two inputs, no loss.</summary>
[Network]
public partial class ScaledSum
{
    [Input(2)]              Tensor A;
    [Input(2)]              Tensor B;
    [Add("A", "B")]         Tensor sum;
    [Div(Scalar = 10)]      Tensor c;
    [Add(Scalar = 1)]       Tensor d;
}

/// <summary>The tutorial's <c>C = A * B; E = C + D</c>, with C kept as an output (<c>Group([E, C])</c>).</summary>
[Network]
public partial class MulAdd
{
    [Input(1)]                  Tensor A;
    [Input(1)]                  Tensor B;
    [Input(1)]                  Tensor D;
    [Mul("A", "B"), Output]     Tensor C;
    [Add("C", "D")]             Tensor E;
}

/// <summary>The tutorial's <c>loss = MakeLoss(BlockGrad(3 * (b + c)) + a)</c>.</summary>
[Network]
public partial class StopGradLoss
{
    [Input(2)]                  Tensor a;
    [Input(2)]                  Tensor b;
    [Input(2)]                  Tensor c;
    [Add("b", "c")]             Tensor d;
    [Mul("d", Scalar = 3)]      Tensor d3;
    [BlockGrad]                 Tensor stop;
    [Add("stop", "a")]          Tensor sum;
    [MakeLoss]                  Tensor loss;
}

/// <summary>A learned free variable added to every row of the data, then a dense head.</summary>
[Network]
public partial class ShiftedMlp
{
    [Input(4)]                  Tensor data;
    [Variable(4)]               Tensor shift;
    [Add("data", "shift"), Output] Tensor moved;
    [Activation(Act.Tanh)]      Tensor t;
    [FullyConnected(3)]         Tensor fc;
    [SoftmaxOutput]             Tensor softmax;

    public Tensor Moved => moved;
}

/// <summary>Two inputs and two labelled heads on a shared trunk, each head declared where it reads.</summary>
[Network]
public partial class TwoInputTwoHead
{
    [Input(5)]                                  Tensor image;
    [Input(3)]                                  Tensor extra;
    [FullyConnected(6)]                         Tensor trunk;
    [FullyConnected(6, From = "extra")]         Tensor side;
    [Mul("trunk", "side")]                      Tensor gated;
    [Activation(Act.Relu)]                      Tensor relu;
    [FullyConnected(4)]                         Tensor classFc;
    [SoftmaxOutput]                             Tensor category;
    [FullyConnected(2, From = "relu")]          Tensor valueFc;
    [LinearRegressionOutput]                    Tensor value;
}

/// <summary>Fashion-MNIST with two labellings: the ten classes, and clothing / footwear / bag.</summary>
[Network]
public partial class TwoHeadMlp
{
    [Input(784)]                                Tensor data;
    [FullyConnected(128)]                       Tensor fc1;
    [Activation(Act.Relu)]                      Tensor relu1;
    [FullyConnected(10)]                        Tensor classFc;
    [SoftmaxOutput]                             Tensor category;
    [FullyConnected(3, From = "relu1")]         Tensor groupFc;
    [SoftmaxOutput]                             Tensor group;
}

/// <summary>A regression of width 2 (a label of two values per sample).</summary>
[Network]
public partial class PlaneRegression
{
    [Input(3)]                  Tensor x;
    [FullyConnected(2)]         Tensor fc;
    [LinearRegressionOutput]    Tensor output;
}

/// <summary>A feature extractor: no loss, ends in an ordinary operator.</summary>
[Network]
public partial class FeatureExtractor
{
    [Input(1, 6, 6)]                            Tensor data;
    [Convolution(2, Kernel = 3)]                Tensor conv;
    [Activation(Act.Relu)]                      Tensor relu;
    [Flatten]                                   Tensor features;
}

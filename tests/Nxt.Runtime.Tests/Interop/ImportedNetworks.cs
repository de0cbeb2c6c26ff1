namespace Nxt.Runtime.Tests.Interop;

/// <summary>The tutorial MLP as MXNet 1.x's mx.sym.save writes it (attrs, node_row_ptr, mxnet_version), with a dropout.</summary>
[Network(Symbol = "Interop/Symbols/mlp-symbol.json")]
public partial class ImportedMlp
{
    [Input(784)] Tensor data;
}

/// <summary>A conv net as MXNet 0.9 wrote it (param, backward_source_id, two-element inputs, cuDNN settings).</summary>
[Network(Symbol = "Interop/Symbols/convnet-symbol.json")]
public partial class ImportedConvNet
{
    [Input(1, 28, 28)] Tensor data;
}

/// <summary>The same conv net declared with attributes: the imported one must be the same module.</summary>
[Network]
public partial class DeclaredConvNet
{
    [Input(1, 28, 28)]                              Tensor data;
    [Convolution(8, Kernel = 5)]                    Tensor conv1;
    [BatchNorm(FixGamma = false)]                   Tensor bn1;
    [Activation(Act.Relu)]                          Tensor relu1;
    [Pooling(Pool.Max, Kernel = 2, Stride = 2)]     Tensor pool1;
    [Flatten]                                       Tensor flatten1;
    [FullyConnected(10)]                            Tensor fc1;
    [SoftmaxOutput]                                 Tensor softmax;
}

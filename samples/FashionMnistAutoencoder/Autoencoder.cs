using Nxt;

namespace FashionMnistAutoencoder;

/// <summary>
/// A convolutional autoencoder: two strided convolutions squeeze a 28x28 image to 32 planes of
/// 7x7 (1,568 values, twice fewer than the pixels), two deconvolutions grow it back, and a
/// logistic regression head compares every reconstructed pixel with the original.
/// </summary>
[Network]
public partial class Autoencoder
{
    [Input(1, 28, 28)]                                                      Tensor data;
    [Convolution(16, Kernel = 3, Stride = 2, Pad = 1)]                      Tensor conv1;   // (N,16,14,14)
    [Activation(Act.Relu)]                                                  Tensor relu1;
    [Convolution(32, Kernel = 3, Stride = 2, Pad = 1)]                      Tensor conv2;   // (N,32,7,7)
    [Activation(Act.Relu)]                                                  Tensor code;
    [Deconvolution(16, Kernel = 4, Stride = 2, Pad = 1, NoBias = false)]    Tensor deconv1; // (N,16,14,14)
    [Activation(Act.Relu)]                                                  Tensor relu2;
    [Deconvolution(1, Kernel = 4, Stride = 2, Pad = 1, NoBias = false)]     Tensor deconv2; // (N,1,28,28)
    [LogisticRegressionOutput]                                              Tensor image;   // label image_label: the input itself
}

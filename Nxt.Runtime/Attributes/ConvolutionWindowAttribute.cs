namespace Nxt;

/// <summary>The window a convolution and a deconvolution share: a pooling's, plus dilation.</summary>
public abstract class ConvolutionWindowAttribute : WindowAttribute
{
    private int? _dilateH;
    private int? _dilateW;

    /// <summary>The dilation (MXNet default 1).</summary>
    public int Dilate { get; set; } = 1;

    /// <summary>The dilate along the height, for a rectangular window; unset, <see cref="Dilate"/>.</summary>
    public int DilateH
    {
        get => _dilateH ?? Dilate;
        set => _dilateH = value;
    }

    /// <summary>The dilate along the width, for a rectangular window; unset, <see cref="Dilate"/>.</summary>
    public int DilateW
    {
        get => _dilateW ?? Dilate;
        set => _dilateW = value;
    }
}

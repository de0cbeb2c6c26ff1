namespace Nxt.Kernels;

/// <summary>
/// The fixed geometry of one 2-D convolution (NCHW), baked into generated plans as a constant and read by every backend's kernels:
/// input <c>(C,H,W)</c>, <c>F</c> filters of <c>KH×KW</c> over <c>C/G</c> channels, strides,
/// paddings and dilations, output <c>(F,OH,OW)</c>.
/// </summary>
public readonly record struct ConvGeometry(
    int Channels, int Height, int Width, int Filters, int KernelH, int KernelW,
    int StrideH, int StrideW, int PadH, int PadW, int DilateH, int DilateW, int Groups, int OutHeight, int OutWidth)
{
    internal int ChannelsPerGroup => Channels / Groups;

    internal int FiltersPerGroup => Filters / Groups;

    /// <summary>Rows of one group's im2col matrix: <c>C/G · KH · KW</c>.</summary>
    internal int PatchLength => ChannelsPerGroup * KernelH * KernelW;

    internal int OutPixels => OutHeight * OutWidth;

    internal int InputLength => Channels * Height * Width;

    internal int OutputLength => Filters * OutPixels;

    internal int ColumnLength => PatchLength * OutPixels;

    internal int WeightLength => Filters * PatchLength;
}

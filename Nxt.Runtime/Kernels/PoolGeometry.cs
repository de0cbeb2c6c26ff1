namespace Nxt.Kernels;

/// <summary>The fixed geometry of one 2-D pooling (NCHW): input <c>(C,H,W)</c>, window, stride, padding, output <c>(C,OH,OW)</c>.</summary>
public readonly record struct PoolGeometry(
    int Channels, int Height, int Width, int KernelH, int KernelW, int StrideH, int StrideW, int PadH, int PadW, int OutHeight, int OutWidth)
{
    internal int InputPlane => Height * Width;

    internal int OutputPlane => OutHeight * OutWidth;
}

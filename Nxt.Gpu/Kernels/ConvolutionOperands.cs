using ILGPU;
using Nxt.Cpu;
using Nxt.Kernels;

namespace Nxt.Gpu;

// How the convolution's three implicit GEMMs address NCHW tensors. For group g of G, with
// Cg = C/G input channels, Fg = F/G filters, P = Cg·KH·KW patch length and OHW output pixels:
//   forward          y[f, (n,p)]      = Σ_k W[f, k] · im2col(x)[k, (n,p)]        M = Fg, N = batch·OHW, K = P
//   data gradient    dx[c, (n,h,w)]   = Σ_(f,kh,kw) W[f, c, kh, kw] · dy[n, f, oh, ow]  where oh·S = h + pad - kh·D
//                                                                               M = Cg, N = batch·H·W, K = Fg·KH·KW
//   weight gradient  dW[f, k]         = Σ_(n,p) dy[n, f, p] · im2col(x)[k, (n,p)]  M = Fg, N = P, K = batch·OHW
// No im2col matrix is ever stored: each operand computes its element from the tensor.

/// <summary>Forward B: the im2col matrix of group <c>Group</c>, rows (c, kh, kw), columns (n, oh, ow).</summary>
public readonly record struct Im2Col(ConvGeometry G, int Group) : IGemmOperand
{
    /// <inheritdoc/>
    public float Load(ArrayView<float> x, int row, int column) => PatchValue(G, Group, x, row, column);

    /// <inheritdoc/>
    public bool ColumnsContiguous() => true;

    /// <summary>The input under patch element <paramref name="k"/> of output column <paramref name="column"/>, 0 in the padding.</summary>
    internal static float PatchValue(ConvGeometry g, int group, ArrayView<float> x, int k, int column)
    {
        int kernel = g.KernelH * g.KernelW;
        int c = k / kernel, kh = (k % kernel) / g.KernelW, kw = k % g.KernelW;
        int pixels = g.OutHeight * g.OutWidth;
        int n = column / pixels, p = column % pixels;
        int h = ((p / g.OutWidth) * g.StrideH) - g.PadH + (kh * g.DilateH);
        int w = ((p % g.OutWidth) * g.StrideW) - g.PadW + (kw * g.DilateW);
        if (h < 0 || h >= g.Height || w < 0 || w >= g.Width)
        {
            return 0f;
        }

        int channel = (group * (g.Channels / g.Groups)) + c;
        return x[(((n * g.Channels) + channel) * g.Height * g.Width) + (h * g.Width) + w];
    }
}

/// <summary>Weight-gradient B: the im2col matrix transposed, rows (n, oh, ow), columns (c, kh, kw).</summary>
public readonly record struct PatchRows(ConvGeometry G, int Group) : IGemmOperand
{
    /// <inheritdoc/>
    public float Load(ArrayView<float> x, int row, int column) => Im2Col.PatchValue(G, Group, x, column, row);

    /// <inheritdoc/>
    public bool ColumnsContiguous() => false;
}

/// <summary>Weight-gradient A: dy of group <c>Group</c> as rows f, columns (n, oh, ow).</summary>
public readonly record struct OutputGradientRows(ConvGeometry G, int Group) : IGemmOperand
{
    /// <inheritdoc/>
    public float Load(ArrayView<float> dy, int row, int column)
    {
        int pixels = G.OutHeight * G.OutWidth;
        int n = column / pixels, p = column % pixels;
        int filter = (Group * (G.Filters / G.Groups)) + row;
        return dy[(((n * G.Filters) + filter) * pixels) + p];
    }

    /// <inheritdoc/>
    public bool ColumnsContiguous() => true;
}

/// <summary>Data-gradient A: the weights of group <c>Group</c> as rows c, columns (f, kh, kw).</summary>
public readonly record struct WeightColumns(ConvGeometry G, int Group) : IGemmOperand
{
    /// <inheritdoc/>
    public float Load(ArrayView<float> weight, int row, int column)
    {
        int kernel = G.KernelH * G.KernelW;
        int f = column / kernel, k = column % kernel;
        int filter = (Group * (G.Filters / G.Groups)) + f;
        return weight[(((filter * (G.Channels / G.Groups)) + row) * kernel) + k];
    }

    /// <inheritdoc/>
    public bool ColumnsContiguous() => false;
}

/// <summary>Data-gradient B: for row (f, kh, kw) and input pixel column (n, h, w), the dy that pixel fed through that tap, or 0.</summary>
public readonly record struct OutputGradientGather(ConvGeometry G, int Group) : IGemmOperand
{
    /// <inheritdoc/>
    public float Load(ArrayView<float> dy, int row, int column)
    {
        int kernel = G.KernelH * G.KernelW;
        int f = row / kernel, kh = (row % kernel) / G.KernelW, kw = row % G.KernelW;
        int plane = G.Height * G.Width;
        int n = column / plane, h = (column % plane) / G.Width, w = column % G.Width;
        int hs = h + G.PadH - (kh * G.DilateH), ws = w + G.PadW - (kw * G.DilateW);
        if (hs < 0 || ws < 0 || hs % G.StrideH != 0 || ws % G.StrideW != 0)
        {
            return 0f;
        }

        int oh = hs / G.StrideH, ow = ws / G.StrideW;
        if (oh >= G.OutHeight || ow >= G.OutWidth)
        {
            return 0f;
        }

        int filter = (Group * (G.Filters / G.Groups)) + f;
        return dy[(((n * G.Filters) + filter) * G.OutHeight * G.OutWidth) + (oh * G.OutWidth) + ow];
    }

    /// <inheritdoc/>
    public bool ColumnsContiguous() => true;
}

/// <summary>Forward output: (f, (n, p)) of group <c>Group</c> into NCHW y, with the filter's bias.</summary>
public readonly record struct ConvOutput(ConvGeometry G, int Group) : IGemmOutput
{
    /// <inheritdoc/>
    public int Index(int row, int column)
    {
        int pixels = G.OutHeight * G.OutWidth;
        int n = column / pixels, p = column % pixels;
        return (((n * G.Filters) + (Group * (G.Filters / G.Groups)) + row) * pixels) + p;
    }

    /// <inheritdoc/>
    public int BiasIndex(int row, int column) => (Group * (G.Filters / G.Groups)) + row;
}

/// <summary>Data-gradient output: (c, (n, h, w)) of group <c>Group</c> into NCHW dx.</summary>
public readonly record struct ConvInputGradient(ConvGeometry G, int Group) : IGemmOutput
{
    /// <inheritdoc/>
    public int Index(int row, int column)
    {
        int plane = G.Height * G.Width;
        int n = column / plane, q = column % plane;
        return (((n * G.Channels) + (Group * (G.Channels / G.Groups)) + row) * plane) + q;
    }

    /// <inheritdoc/>
    public int BiasIndex(int row, int column) => 0;
}

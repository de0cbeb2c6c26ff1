using System;
using System.Runtime.CompilerServices;

using Nxt.Kernels;

namespace Nxt.Cpu;

/// <summary>
/// MXNet <c>Convolution</c> as im2col + GEMM per group over chunks of samples (their columns side
/// by side: one wide GEMM instead of several narrow ones), with the samples split over the CPU
/// workers; each worker has its own slice of the workspace. Weight <c>(F, C/G, KH, KW)</c>.
/// </summary>
public static unsafe class ConvolutionKernels
{
    /// <summary>
    /// Samples whose im2col matrices sit side by side in one GEMM: per sample, a convolution's
    /// GEMM is narrow (LeNet's second layer: 50×64×500), and several samples make it wide enough
    /// for the microkernel to stream, while the columns stay within half a megabyte.
    /// </summary>
    public static int SamplesPerGemm(in ConvGeometry g) => Math.Clamp(ColumnBudget / Math.Max(1, g.ColumnLength), 1, 16);

    /// <summary>
    /// Scratch one worker needs: the im2col matrices of <see cref="SamplesPerGemm"/> samples, one
    /// group's GEMM output (or gathered output gradient) for them, and its own weight and bias
    /// gradient sums for the backward pass. The generator computes the same number.
    /// </summary>
    public static int WorkspacePerThread(in ConvGeometry g) => (SamplesPerGemm(g) * g.ColumnLength) + ProductLength(g) + g.WeightLength + g.Filters;

    /// <summary>
    /// The chunk's GEMM output (or gathered output gradient), filters × samples·pixels; none for
    /// a chunk of one sample, whose output planes already lie that way. The forward leaves it
    /// unused where a sample's pixels are whole microkernel tiles: the GEMM writes the planes.
    /// </summary>
    internal static int ProductLength(in ConvGeometry g) => SamplesPerGemm(g) == 1 ? 0 : SamplesPerGemm(g) * g.FiltersPerGroup * g.OutPixels;

    // Floats of im2col columns one GEMM may span: 512 KB, which stay in a 1 MB L2 between im2col
    // writing them and the microkernel reading them (a megabyte did not: LeNet's step 0.96, its
    // prediction 0.92, the BatchNorm net 0.99 of what they took on one Zen 4 AVX2 path).
    private const int ColumnBudget = 1 << 17;

    /// <summary>
    /// Floats of one sample's output beyond which its forward goes in bands of output rows
    /// (512 KB, as <see cref="ColumnBudget"/>): a band's product is still in L2 when the bias and
    /// activation pass over it, where a whole sample's (the MXNet tutorial's 128 planes of 224x224,
    /// 25 MB) went to memory and came back (410 MB of traffic a step at batch 8).
    /// </summary>
    private const int OutputBudget = 1 << 17;

    // Output rows a band holds; the whole height where a sample's output fits the budget, or where
    // the product could not be written in place (too few filters for the GEMM's panels).
    internal static int BandRows(in ConvGeometry g)
        => (long)g.FiltersPerGroup * g.OutPixels <= OutputBudget || !Gemm.SuitsSegments(g.FiltersPerGroup, g.OutWidth, g.PatchLength, g.OutWidth)
            ? g.OutHeight
            : Math.Clamp(OutputBudget / (g.FiltersPerGroup * g.OutWidth), 1, g.OutHeight);

    [ThreadStatic]
    private static ConvWork? t_work;

    /// <summary><c>y = conv(x, W) (+ b)</c>; an empty <paramref name="bias"/> means no bias.</summary>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y, Span<float> workspace, int batch, in ConvGeometry g)
        => Forward(x, weight, bias, default, y, workspace, batch, g, Epilogue.None);

    /// <summary>
    /// The fused form: <c>y = act(conv(x, W) + b + residual)</c>, the epilogue applied to each
    /// sample's output planes right after its GEMM, while they are still in the worker's cache.
    /// </summary>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, ReadOnlySpan<float> residual, Span<float> y, Span<float> workspace, int batch, in ConvGeometry g, Epilogue epilogue)
        => Run(ConvPass.Forward, x, weight, bias, y, residual, default, workspace, batch, g, accumulate: false, epilogue);

    /// <summary>
    /// <c>y = conv(x, W) (+ b)</c>, then a generated <paramref name="epilogue"/> (the element-wise
    /// region after the convolution) over each chunk of whole samples as soon as a worker has
    /// produced it, so the region reads <c>y</c> from that worker's cache.
    /// </summary>
    public static void Forward<TEpilogue>(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y, Span<float> workspace, int batch, in ConvGeometry g, TEpilogue epilogue)
        where TEpilogue : IRowEpilogue, allows ref struct
    {
        // The epilogue lives on this frame (a ref struct of spans); the workers reach it through
        // its address while this call waits for them in CpuWorkers.Run. Its spans are the
        // module's: the activation arena, which Run pins with y, and the parameters, allocated pinned.
        var samples = new SampleEpilogue(Unsafe.AsPointer(ref epilogue), &ApplyEpilogue<TEpilogue>);
        Run(ConvPass.Forward, x, weight, bias, y, default, default, workspace, batch, g, accumulate: false, Epilogue.None, samples);
    }

    /// <summary>
    /// <c>y (+)= conv(x, W)</c> without bias or epilogue, written or added as
    /// <paramref name="accumulate"/> says: a deconvolution's input gradient.
    /// </summary>
    internal static void ForwardAdding(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, Span<float> y, Span<float> workspace, int batch, in ConvGeometry g, bool accumulate)
        => Run(ConvPass.Forward, x, weight, default, y, default, default, workspace, batch, g, accumulate, Epilogue.None);

    /// <summary>Input gradient: <c>dx (+)= conv_transpose(dy, W)</c>.</summary>
    public static void BackwardData(ReadOnlySpan<float> dy, ReadOnlySpan<float> weight, Span<float> dx, Span<float> workspace, int batch, in ConvGeometry g, bool accumulate)
        => Run(ConvPass.Data, default, weight, default, default, dy, dx, workspace, batch, g, accumulate, Epilogue.None);

    /// <summary>
    /// Weight and bias gradients <c>dW (+)= Σ dy · im2col(x)ᵀ</c>, <c>db (+)= Σ dy</c> (an empty
    /// <paramref name="dBias"/> for none), each written or added as its flag says: each worker
    /// sums its samples into its own workspace, then the partial sums are added up.
    /// </summary>
    public static void BackwardWeight(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dWeight, Span<float> dBias, Span<float> workspace, int batch, in ConvGeometry g, bool accumulateWeight, bool accumulateBias)
    {
        // The weight pass reads no bias: dBias takes its place, so an empty one (a convolution
        // without bias, as before a BatchNorm) spares the workers summing dy for it.
        int parts = Run(ConvPass.Weight, x, default, dBias, default, dy, default, workspace, batch, g, accumulate: false, Epilogue.None);
        if (!accumulateWeight)
        {
            dWeight[..g.WeightLength].Clear();
        }

        if (!accumulateBias && !dBias.IsEmpty)
        {
            dBias[..g.Filters].Clear();
        }

        for (int p = 0; p < parts; p++)
        {
            var partial = workspace.Slice((p * WorkspacePerThread(g)) + (SamplesPerGemm(g) * g.ColumnLength) + ProductLength(g));
            if (WeightGradientByFilters(g))
            {
                ElementwiseKernels.AddInPlace(dWeight[..g.WeightLength], partial[..g.WeightLength]);
            }
            else
            {
                AddTransposedWeights(partial[..g.WeightLength], dWeight[..g.WeightLength], g);
            }

            if (!dBias.IsEmpty)
            {
                ElementwiseKernels.AddInPlace(dBias[..g.Filters], partial.Slice(g.WeightLength, g.Filters));
            }
        }
    }

    // Whether a worker's weight-gradient sum is stored as dW (filters × patch rows), or as dWᵀ.
    private static bool WeightGradientByFilters(in ConvGeometry g) => g.FiltersPerGroup > g.PatchLength;

    // A worker's weight-gradient sum stored per group as patch rows × filters (dWᵀ): added onto
    // dW's filters × patch rows.
    private static void AddTransposedWeights(ReadOnlySpan<float> transposed, Span<float> dWeight, in ConvGeometry g)
    {
        int filters = g.FiltersPerGroup, patch = g.PatchLength;
        for (int group = 0; group < g.Groups; group++)
        {
            var src = transposed.Slice(group * filters * patch, filters * patch);
            var dst = dWeight.Slice(group * filters * patch, filters * patch);
            for (int q = 0; q < patch; q++)
            {
                var row = src.Slice(q * filters, filters);
                for (int f = 0; f < filters; f++)
                {
                    dst[(f * patch) + q] += row[f];
                }
            }
        }
    }

    private static void ApplyEpilogue<TEpilogue>(void* epilogue, ReadOnlySpan<float> produced, int start)
        where TEpilogue : IRowEpilogue, allows ref struct
        => Unsafe.AsRef<TEpilogue>(epilogue).Apply(produced, start);

    // In the forward pass dy carries the residual (both are read-only, one per output element).
    private static int Run(
        ConvPass pass, ReadOnlySpan<float> x, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y,
        ReadOnlySpan<float> dy, Span<float> dx, Span<float> workspace, int batch, in ConvGeometry g, bool accumulate, Epilogue epilogue, SampleEpilogue samples = default)
    {
        int parts = Math.Min(batch, Math.Min(CpuWorkers.Parallelism, workspace.Length / WorkspacePerThread(g)));
        if (parts < 1)
        {
            throw new ArgumentException($"Convolution needs a workspace of at least {WorkspacePerThread(g)} floats, got {workspace.Length}.", nameof(workspace));
        }

        fixed (float* px = x)
        fixed (float* pw = weight)
        fixed (float* pb = bias)
        fixed (float* py = y)
        fixed (float* pdy = dy)
        fixed (float* pdx = dx)
        fixed (float* pws = workspace)
        {
            var work = t_work ??= new ConvWork();
            work.Set(pass, px, pw, pb, bias.IsEmpty, py, pdy, dy.IsEmpty, pdx, pws, batch, g, accumulate, epilogue, samples);
            CpuWorkers.Run(work, parts);
            work.Clear();
        }

        return parts;
    }

    // Copies the receptive fields of one group of one sample into columns: row (c, kh, kw), column
    // (oh, ow); rows are rowStride apart, so several samples' columns can sit side by side.
    // LeNet's second layer copies runs of 8 floats (64,000 of them a chunk): each run is moved by
    // inline vector loads and stores (ColumnRun), not a call to memmove.
    internal static void Im2Col(ReadOnlySpan<float> image, Span<float> col, in ConvGeometry g, int rowStride)
        => Im2Col(image, col, g, rowStride, 0, g.OutHeight);

    // The columns of output rows [firstRow, firstRow + rows) only: a band of the output (ForwardBands).
    private static void Im2Col(ReadOnlySpan<float> image, Span<float> col, in ConvGeometry g, int rowStride, int firstRow, int rows)
    {
        CheckColumns(image.Length, col.Length, g, rowStride, rows * g.OutWidth);
        int planeLength = g.Height * g.Width;
        fixed (float* pImage = image)
        fixed (float* pCol = col)
        {
            int row = 0;
            for (int c = 0; c < g.ChannelsPerGroup; c++)
            {
                float* plane = pImage + ((long)c * planeLength);
                for (int kh = 0; kh < g.KernelH; kh++)
                {
                    for (int kw = 0; kw < g.KernelW; kw++, row++)
                    {
                        float* dst = pCol + ((long)row * rowStride);
                        int shift = (kw * g.DilateW) - g.PadW;
                        var (start, end) = InsideColumns(shift, g);
                        for (int oh = firstRow; oh < firstRow + rows; oh++, dst += g.OutWidth)
                        {
                            int ih = (oh * g.StrideH) - g.PadH + (kh * g.DilateH);
                            if ((uint)ih >= (uint)g.Height)
                            {
                                ColumnRun.Clear(dst, g.OutWidth);
                                continue;
                            }

                            float* src = plane + ((long)ih * g.Width);
                            if (g.StrideW == 1)
                            {
                                // Stride 1: the row is one contiguous run of the input, zeros where it hangs over the padding.
                                ColumnRun.Clear(dst, start);
                                ColumnRun.Copy(src + start + shift, dst + start, end - start);
                                ColumnRun.Clear(dst + end, g.OutWidth - end);
                                continue;
                            }

                            for (int ow = 0; ow < g.OutWidth; ow++)
                            {
                                int iw = (ow * g.StrideW) + shift;
                                dst[ow] = (uint)iw < (uint)g.Width ? src[iw] : 0f;
                            }
                        }
                    }
                }
            }
        }
    }

    // The adjoint of Im2Col: adds each column entry back onto the pixel it came from.
    internal static void Col2ImAdd(ReadOnlySpan<float> col, Span<float> image, in ConvGeometry g, int rowStride)
    {
        CheckColumns(image.Length, col.Length, g, rowStride, g.OutPixels);
        int planeLength = g.Height * g.Width;
        fixed (float* pImage = image)
        fixed (float* pCol = col)
        {
            int row = 0;
            for (int c = 0; c < g.ChannelsPerGroup; c++)
            {
                float* plane = pImage + ((long)c * planeLength);
                for (int kh = 0; kh < g.KernelH; kh++)
                {
                    for (int kw = 0; kw < g.KernelW; kw++, row++)
                    {
                        float* src = pCol + ((long)row * rowStride);
                        int shift = (kw * g.DilateW) - g.PadW;
                        var (start, end) = InsideColumns(shift, g);
                        for (int oh = 0; oh < g.OutHeight; oh++, src += g.OutWidth)
                        {
                            int ih = (oh * g.StrideH) - g.PadH + (kh * g.DilateH);
                            if ((uint)ih >= (uint)g.Height)
                            {
                                continue;
                            }

                            float* dst = plane + ((long)ih * g.Width);
                            if (g.StrideW == 1)
                            {
                                ColumnRun.Add(src + start, dst + start + shift, end - start);
                                continue;
                            }

                            for (int ow = 0; ow < g.OutWidth; ow++)
                            {
                                int iw = (ow * g.StrideW) + shift;
                                if ((uint)iw < (uint)g.Width)
                                {
                                    dst[iw] += src[ow];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    // One group's image and the columns it fills (or is filled from), rows rowStride apart.
    private static void CheckColumns(int imageLength, int columnLength, in ConvGeometry g, int rowStride, int pixels)
    {
        long image = (long)g.ChannelsPerGroup * g.Height * g.Width;
        long columns = ((long)(g.PatchLength - 1) * rowStride) + pixels;
        if (imageLength < image || columnLength < columns || rowStride < pixels)
        {
            throw new ArgumentException($"im2col of {g} needs an image of {image} floats and columns of {columns} (rows {rowStride} apart, at least {pixels}); got {imageLength} and {columnLength}.");
        }
    }

    // With stride 1, the output columns [start, end) whose input column ow + shift lies inside the image.
    private static (int Start, int End) InsideColumns(int shift, in ConvGeometry g)
    {
        int start = Math.Clamp(-shift, 0, g.OutWidth);
        int end = Math.Clamp(g.Width - shift, start, g.OutWidth);
        return (start, end);
    }

    /// <summary>A generated epilogue the workers run on the samples they finish: its address and how to call it.</summary>
    private readonly struct SampleEpilogue(void* state, delegate*<void*, ReadOnlySpan<float>, int, void> apply)
    {
        public bool IsPresent => apply != null;

        public void Apply(ReadOnlySpan<float> produced, int start) => apply(state, produced, start);
    }

    private enum ConvPass
    {
        Forward,
        Data,
        Weight,
    }

    /// <summary>One call's pointers, reused per calling thread so that dispatch allocates nothing.</summary>
    private sealed class ConvWork : IParallelWork
    {
        private ConvPass _pass;
        private float* _x, _w, _b, _y, _dy, _dx, _workspace;
        private bool _noBias, _noResidual;
        private int _batch;
        private ConvGeometry _g;
        private bool _accumulate;
        private Epilogue _epilogue;
        private SampleEpilogue _samples;

        public void Set(ConvPass pass, float* x, float* w, float* b, bool noBias, float* y, float* dy, bool noResidual, float* dx, float* workspace, int batch, in ConvGeometry g, bool accumulate, Epilogue epilogue, SampleEpilogue samples)
        {
            _noResidual = noResidual;
            _epilogue = epilogue;
            _samples = samples;
            _pass = pass;
            _x = x;
            _w = w;
            _b = b;
            _noBias = noBias;
            _y = y;
            _dy = dy;
            _dx = dx;
            _workspace = workspace;
            _batch = batch;
            _g = g;
            _accumulate = accumulate;
        }

        public void Clear()
        {
            _x = _w = _b = _y = _dy = _dx = _workspace = null;
            _samples = default;
        }

        public void Run(int part, int partCount)
        {
            var g = _g;
            int chunk = SamplesPerGemm(g);
            var scratch = new Span<float>(_workspace + ((long)part * WorkspacePerThread(g)), WorkspacePerThread(g));
            var col = scratch[..(chunk * g.ColumnLength)];
            var product = scratch.Slice(chunk * g.ColumnLength, ProductLength(g));
            var partial = scratch.Slice((chunk * g.ColumnLength) + ProductLength(g), g.WeightLength + g.Filters);
            if (_pass == ConvPass.Weight)
            {
                partial.Clear();
            }

            int first = (int)((long)_batch * part / partCount), last = (int)((long)_batch * (part + 1) / partCount);
            for (int n = first; n < last; n += chunk)
            {
                int samples = Math.Min(chunk, last - n);
                for (int group = 0; group < g.Groups; group++)
                {
                    switch (_pass)
                    {
                        case ConvPass.Forward:
                            ForwardChunk(n, samples, group, col, product);
                            break;
                        case ConvPass.Data:
                            DataChunk(n, samples, group, col, product);
                            break;
                        default:
                            WeightChunk(n, samples, group, col, product, partial);
                            break;
                    }
                }

                // Every group of these samples is done: the generated region runs on them while they are in cache.
                if (_samples.IsPresent)
                {
                    _samples.Apply(new ReadOnlySpan<float>(_y + ((long)n * g.OutputLength), samples * g.OutputLength), n * g.OutputLength);
                }
            }
        }

        private Span<float> Input(float* basePointer, int n, int group)
            => new(basePointer + ((long)n * _g.InputLength) + ((long)group * _g.ChannelsPerGroup * _g.Height * _g.Width), _g.ChannelsPerGroup * _g.Height * _g.Width);

        private Span<float> Output(float* basePointer, int n, int group)
            => new(basePointer + ((long)n * _g.OutputLength) + ((long)group * _g.FiltersPerGroup * _g.OutPixels), _g.FiltersPerGroup * _g.OutPixels);

        private ReadOnlySpan<float> GroupWeight(int group)
            => new(_w + ((long)group * _g.FiltersPerGroup * _g.PatchLength), _g.FiltersPerGroup * _g.PatchLength);

        // The chunk's columns: sample i's im2col matrix in columns [i·P, (i+1)·P) of a K × samples·P matrix.
        private void Columns(int n, int samples, int group, Span<float> col)
        {
            int width = samples * _g.OutPixels;
            for (int i = 0; i < samples; i++)
            {
                Im2Col(Input(_x, n + i, group), col[(i * _g.OutPixels)..], _g, width);
            }
        }

        // The chunk's output gradient as filters × samples·P, to match the columns: gathered into
        // the product buffer, or for a single sample its own planes.
        private ReadOnlySpan<float> GatherOutputGradient(int n, int samples, int group, Span<float> product)
        {
            var g = _g;
            if (product.IsEmpty)
            {
                return Output(_dy, n, group);
            }

            int width = samples * g.OutPixels;
            for (int i = 0; i < samples; i++)
            {
                var dy = Output(_dy, n + i, group);
                for (int f = 0; f < g.FiltersPerGroup; f++)
                {
                    dy.Slice(f * g.OutPixels, g.OutPixels).CopyTo(product.Slice((f * width) + (i * g.OutPixels), g.OutPixels));
                }
            }

            return product;
        }

        private void ForwardChunk(int n, int samples, int group, Span<float> col, Span<float> product)
        {
            var g = _g;
            if (samples == 1 && !_accumulate && BandRows(g) < g.OutHeight)
            {
                ForwardBands(n, group, col);
                return;
            }

            int width = samples * g.OutPixels;
            Columns(n, samples, group, col);

            // A lone sample's GEMM writes its output planes directly, and so does a chunk's when
            // each sample's columns are whole microkernel tiles (the GEMM addresses the planes);
            // otherwise the chunk's product goes through the product buffer and is copied.
            if (!product.IsEmpty && !_accumulate && Gemm.SuitsSegments(g.FiltersPerGroup, width, g.PatchLength, g.OutPixels))
            {
                float* planes = _y + ((long)n * g.OutputLength) + ((long)group * g.FiltersPerGroup * g.OutPixels);
                Gemm.MultiplyIntoSegments(GroupWeight(group), col, width, planes, g.OutPixels, g.OutPixels, g.OutputLength, g.FiltersPerGroup, width, g.PatchLength);
                product = default;
            }
            else
            {
                var result = product.IsEmpty ? Output(_y, n, group) : product;
                Gemm.Multiply(GroupWeight(group), false, col, false, result, g.FiltersPerGroup, width, g.PatchLength, accumulate: _accumulate && product.IsEmpty);
            }

            if (_accumulate)
            {
                AddChunk(n, samples, group, product);
                return;
            }

            // Each sample's planes go to their place with bias, residual and activation applied on the way.
            for (int i = 0; i < samples; i++)
            {
                var y = Output(_y, n + i, group);
                var residual = _noResidual ? default : Output(_dy, n + i, group);
                for (int f = 0; f < g.FiltersPerGroup; f++)
                {
                    var plane = y.Slice(f * g.OutPixels, g.OutPixels);
                    if (!product.IsEmpty)
                    {
                        product.Slice((f * width) + (i * g.OutPixels), g.OutPixels).CopyTo(plane);
                    }

                    float bias = _noBias ? 0f : _b[(group * g.FiltersPerGroup) + f];
                    _epilogue.Apply(plane, bias, _noResidual ? default : residual.Slice(f * g.OutPixels, g.OutPixels));
                }
            }
        }

        // One sample in bands of BandRows output rows: each band's columns, product and epilogue.
        private void ForwardBands(int n, int group, Span<float> col)
        {
            var g = _g;
            var input = Input(_x, n, group);
            var y = Output(_y, n, group);
            var residual = _noResidual ? default : Output(_dy, n, group);
            float* planes = _y + ((long)n * g.OutputLength) + ((long)group * g.FiltersPerGroup * g.OutPixels);
            for (int oh = 0, rows = BandRows(g); oh < g.OutHeight; oh += rows)
            {
                int pixels = Math.Min(rows, g.OutHeight - oh) * g.OutWidth, first = oh * g.OutWidth;
                Im2Col(input, col, g, pixels, oh, pixels / g.OutWidth);
                Gemm.MultiplyIntoSegments(GroupWeight(group), col, pixels, planes + first, g.OutPixels, pixels, 0, g.FiltersPerGroup, pixels, g.PatchLength);
                for (int f = 0; f < g.FiltersPerGroup; f++)
                {
                    float bias = _noBias ? 0f : _b[(group * g.FiltersPerGroup) + f];
                    int at = (f * g.OutPixels) + first;
                    _epilogue.Apply(y.Slice(at, pixels), bias, _noResidual ? default : residual.Slice(at, pixels));
                }
            }
        }

        // The accumulating forward (no bias, no epilogue): the chunk's product added onto each sample's planes.
        private void AddChunk(int n, int samples, int group, ReadOnlySpan<float> product)
        {
            var g = _g;
            int width = samples * g.OutPixels;
            for (int i = 0; i < samples && !product.IsEmpty; i++)
            {
                var y = Output(_y, n + i, group);
                for (int f = 0; f < g.FiltersPerGroup; f++)
                {
                    ElementwiseKernels.AddInPlace(y.Slice(f * g.OutPixels, g.OutPixels), product.Slice((f * width) + (i * g.OutPixels), g.OutPixels));
                }
            }
        }

        private void DataChunk(int n, int samples, int group, Span<float> col, Span<float> product)
        {
            var g = _g;
            int width = samples * g.OutPixels;
            // columns = Wᵀ · dy for the whole chunk, then scattered back onto each sample's pixels.
            var dy = GatherOutputGradient(n, samples, group, product);
            Gemm.Multiply(GroupWeight(group), true, dy, false, col, g.PatchLength, width, g.FiltersPerGroup);
            for (int i = 0; i < samples; i++)
            {
                var dx = Input(_dx, n + i, group);
                if (!_accumulate)
                {
                    dx.Clear();
                }

                Col2ImAdd(col[(i * g.OutPixels)..], dx, g, width);
            }
        }

        private void WeightChunk(int n, int samples, int group, Span<float> col, Span<float> product, Span<float> partial)
        {
            var g = _g;
            int width = samples * g.OutPixels;
            Columns(n, samples, group, col);
            var dy = GatherOutputGradient(n, samples, group, product);
            // The larger of the two operands (patch rows × pixels, filters × pixels) is A, read by
            // the microkernel as it lies, and only the smaller is transposed into packed panels:
            // dWᵀ += columns · dyᵀ (added up transposed at the end), or where there are more
            // filters than patch rows (a first layer on RGB images), dW += dy · columnsᵀ.
            var dWeight = partial.Slice(group * g.FiltersPerGroup * g.PatchLength, g.FiltersPerGroup * g.PatchLength);
            if (WeightGradientByFilters(g))
            {
                Gemm.Multiply(dy, false, col, true, dWeight, g.FiltersPerGroup, g.PatchLength, width, accumulate: true);
            }
            else
            {
                Gemm.Multiply(col, false, dy, true, dWeight, g.PatchLength, g.FiltersPerGroup, width, accumulate: true);
            }

            if (_noBias)
            {
                return;
            }

            var dBias = partial.Slice(g.WeightLength + (group * g.FiltersPerGroup), g.FiltersPerGroup);
            for (int f = 0; f < g.FiltersPerGroup; f++)
            {
                dBias[f] += dy.Slice(f * width, width).Sum();
            }
        }
    }
}

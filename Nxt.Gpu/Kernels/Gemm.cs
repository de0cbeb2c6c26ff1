using System;
using ILGPU;
using ILGPU.Runtime;

namespace Nxt.Gpu;

/// <summary>How a GEMM reads one operand: element (row, column) of the logical matrix, from wherever it lies.</summary>
public interface IGemmOperand
{
    /// <summary>The element at (<paramref name="row"/>, <paramref name="column"/>) of the logical matrix.</summary>
    float Load(ArrayView<float> data, int row, int column);

    /// <summary>True when consecutive columns are adjacent in memory: the tile loader then walks columns fastest (coalesced).</summary>
    bool ColumnsContiguous();
}

/// <summary>Where a GEMM writes element (row, column) of its product, and which bias it adds there.</summary>
public interface IGemmOutput
{
    /// <summary>The index of (<paramref name="row"/>, <paramref name="column"/>) in the output buffer.</summary>
    int Index(int row, int column);

    /// <summary>The index into the bias of (<paramref name="row"/>, <paramref name="column"/>).</summary>
    int BiasIndex(int row, int column);
}

/// <summary>
/// A tiled shared-memory GEMM with a fused epilogue: <c>C (+)= act(A·B + bias + residual)</c>, where
/// each operand and the output are addressed through a struct (<see cref="IGemmOperand"/>,
/// <see cref="IGemmOutput"/>), so dense matrices, transposed ones and a convolution's implicit
/// im2col are the same kernel, specialised by ILGPU per struct type. Each group of 16×16 threads
/// computes a 64×64 tile of C, 4×4 per thread, from 64×16 and 16×64 tiles of A and B staged in
/// shared memory.
/// <para>
/// Split-K: a product of few tiles over a long K (a convolution's weight gradient sums over every
/// pixel of the batch; a dense head reads a whole feature map) would leave a GPU's multiprocessors
/// idle while one or two groups walk all of K. Such a product runs several groups per tile, each
/// over its slice of K, writing raw partial sums to the device's <see cref="GpuDevice.Partials"/>;
/// a second kernel adds the slices and applies the epilogue, so the result is the same product with
/// its sum taken in another order.
/// </para>
/// </summary>
internal static class Gemm
{
    public const int Tile = 64;
    public const int Depth = 16;
    public const int Threads = 16;

    /// <summary>Groups a split product aims for: about two per multiprocessor of a large GPU (an H100 or H200 has 132).</summary>
    private const int TargetGroups = 256;

    /// <summary>
    /// The least K a slice walks, so that a slice's multiply-adds outweigh the partial sums it writes
    /// and the second kernel reads. Not tuned: the H200 profile in bench/RESULTS.md suggests 128
    /// would help LeNet's dense layers (K of 500 and 800 on 1 to 13 tiles), unmeasured.
    /// </summary>
    private const int MinSliceDepth = 512;

    /// <summary>Runs the product over <paramref name="shape"/> on <paramref name="c"/>'s device.</summary>
    public static void Run<TA, TB, TC>(DeviceSpan a, TA aOperand, DeviceSpan b, TB bOperand, DeviceSpan c, TC output, DeviceSpan bias, DeviceSpan residual, GemmShape shape, float slope = 0f)
        where TA : unmanaged, IGemmOperand, System.IEquatable<TA>
        where TB : unmanaged, IGemmOperand, System.IEquatable<TB>
        where TC : unmanaged, IGemmOutput, System.IEquatable<TC>
        => Run(a, aOperand, b, bOperand, c, output, bias, residual, shape, default(NoGemmEpilogue), slope);

    /// <summary>As the product above, handing each stored element to a generated <paramref name="epilogue"/> (the element-wise region after a dense layer).</summary>
    public static void Run<TA, TB, TC, TE>(DeviceSpan a, TA aOperand, DeviceSpan b, TB bOperand, DeviceSpan c, TC output, DeviceSpan bias, DeviceSpan residual, GemmShape shape, TE epilogue, float slope = 0f)
        where TA : unmanaged, IGemmOperand, System.IEquatable<TA>
        where TB : unmanaged, IGemmOperand, System.IEquatable<TB>
        where TC : unmanaged, IGemmOutput, System.IEquatable<TC>
        where TE : struct, IGemmEpilogue
    {
        if (shape.M == 0 || shape.N == 0)
        {
            return;
        }

        var device = c.Owner;
        int columnTiles = (shape.N + Tile - 1) / Tile, rowTiles = (shape.M + Tile - 1) / Tile;
        int slices = Slices(shape, columnTiles * rowTiles);
        var views = new GemmViews(a.View, b.View, c.View, device.ViewOrPlaceholder(bias), device.ViewOrPlaceholder(residual), device.Partials);
        var operands = new GemmOperands<TA, TB, TC>(aOperand, bOperand, output);
        var launched = shape;
        if (slices > 1)
        {
            // Each slice a whole number of Depth steps; the last may be shorter, none is empty.
            int sliceDepth = (((shape.K + slices - 1) / slices) + Depth - 1) / Depth * Depth;
            slices = (shape.K + sliceDepth - 1) / sliceDepth;
            launched = shape with { KSlice = sliceDepth };
        }

        Launcher.Grouped(device, Kernel<TA, TB, TC, TE>, new KernelConfig(new Index3D(columnTiles, rowTiles, slices), new Index3D(Threads, Threads, 1)), views, SpecializedValue.New(launched), SpecializedValue.New(operands), slope, epilogue);
        if (slices > 1)
        {
            Launcher.Run(device, SumSlicesKernel<TC, TE>, shape.M * shape.N, views, SpecializedValue.New(shape), SpecializedValue.New(output), SpecializedValue.New(slices), slope, epilogue);
        }
    }

    /// <summary>How many slices of K a product of <paramref name="tiles"/> output tiles runs in: 1 when it has groups enough, or too short a K.</summary>
    internal static int Slices(GemmShape shape, int tiles)
    {
        long outputs = (long)shape.M * shape.N;
        int slices = Math.Min(shape.K / MinSliceDepth, TargetGroups / tiles);
        slices = (int)Math.Min(slices, GpuDevice.PartialsCapacity / outputs);
        return Math.Max(slices, 1);
    }

    internal static void Kernel<TA, TB, TC, TE>(GemmViews views, SpecializedValue<GemmShape> shapeValue, SpecializedValue<GemmOperands<TA, TB, TC>> operandsValue, float slope, TE epilogue)
        where TA : unmanaged, IGemmOperand, System.IEquatable<TA>
        where TB : unmanaged, IGemmOperand, System.IEquatable<TB>
        where TC : unmanaged, IGemmOutput, System.IEquatable<TC>
        where TE : struct, IGemmEpilogue
    {
        var shape = shapeValue.Value;
        var operands = operandsValue.Value;
        var tileA = SharedMemory.Allocate<float>(Tile * Depth); // [k][m]
        var tileB = SharedMemory.Allocate<float>(Tile * Depth); // [k][n]
        int tx = Group.IdxX, ty = Group.IdxY;
        int thread = (ty * Threads) + tx;
        int rowBase = Grid.IdxY * Tile, columnBase = Grid.IdxX * Tile;
        int kBegin = shape.KSlice == 0 ? 0 : Grid.IdxZ * shape.KSlice;
        int kEnd = shape.KSlice == 0 ? shape.K : Math.Min(shape.K, kBegin + shape.KSlice);

        // The thread's 4×4 block, rows ty + 16i and columns tx + 16j of the tile: named
        // accumulators, so that they live in registers (a local array would go to local memory).
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        bool aAlongK = operands.A.ColumnsContiguous();
        bool bAlongN = operands.B.ColumnsContiguous();
        for (int k0 = kBegin; k0 < kEnd; k0 += Depth)
        {
            for (int l = thread; l < Tile * Depth; l += Threads * Threads)
            {
                int kk = aAlongK ? l % Depth : l / Tile;
                int mm = aAlongK ? l / Depth : l % Tile;
                int m = rowBase + mm, k = k0 + kk;
                tileA[(kk * Tile) + mm] = m < shape.M && k < kEnd ? operands.A.Load(views.A, m, k) : 0f;

                int kb = bAlongN ? l / Tile : l % Depth;
                int nn = bAlongN ? l % Tile : l / Depth;
                int n = columnBase + nn, kB = k0 + kb;
                tileB[(kb * Tile) + nn] = n < shape.N && kB < kEnd ? operands.B.Load(views.B, kB, n) : 0f;
            }

            Group.Barrier();
            for (int kk = 0; kk < Depth; kk++)
            {
                int at = (kk * Tile) + ty, bt = (kk * Tile) + tx;
                float a0 = tileA[at], a1 = tileA[at + Threads], a2 = tileA[at + (2 * Threads)], a3 = tileA[at + (3 * Threads)];
                float b0 = tileB[bt], b1 = tileB[bt + Threads], b2 = tileB[bt + (2 * Threads)], b3 = tileB[bt + (3 * Threads)];
                c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
                c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
                c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
                c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
            }

            Group.Barrier();
        }

        int r = rowBase + ty, c = columnBase + tx;
        Store(views, shape, operands.C, slope, r, c, c00, epilogue);
        Store(views, shape, operands.C, slope, r, c + Threads, c01, epilogue);
        Store(views, shape, operands.C, slope, r, c + (2 * Threads), c02, epilogue);
        Store(views, shape, operands.C, slope, r, c + (3 * Threads), c03, epilogue);
        Store(views, shape, operands.C, slope, r + Threads, c, c10, epilogue);
        Store(views, shape, operands.C, slope, r + Threads, c + Threads, c11, epilogue);
        Store(views, shape, operands.C, slope, r + Threads, c + (2 * Threads), c12, epilogue);
        Store(views, shape, operands.C, slope, r + Threads, c + (3 * Threads), c13, epilogue);
        Store(views, shape, operands.C, slope, r + (2 * Threads), c, c20, epilogue);
        Store(views, shape, operands.C, slope, r + (2 * Threads), c + Threads, c21, epilogue);
        Store(views, shape, operands.C, slope, r + (2 * Threads), c + (2 * Threads), c22, epilogue);
        Store(views, shape, operands.C, slope, r + (2 * Threads), c + (3 * Threads), c23, epilogue);
        Store(views, shape, operands.C, slope, r + (3 * Threads), c, c30, epilogue);
        Store(views, shape, operands.C, slope, r + (3 * Threads), c + Threads, c31, epilogue);
        Store(views, shape, operands.C, slope, r + (3 * Threads), c + (2 * Threads), c32, epilogue);
        Store(views, shape, operands.C, slope, r + (3 * Threads), c + (3 * Threads), c33, epilogue);
    }

    /// <summary>Split-K's second kernel: one thread per element of C adds the slices' partial sums, then stores the element as the unsplit kernel would.</summary>
    internal static void SumSlicesKernel<TC, TE>(Index1D element, GemmViews views, SpecializedValue<GemmShape> shapeValue, SpecializedValue<TC> output, SpecializedValue<int> slices, float slope, TE epilogue)
        where TC : unmanaged, IGemmOutput, System.IEquatable<TC>
        where TE : struct, IGemmEpilogue
    {
        var shape = shapeValue.Value;
        int outputs = shape.M * shape.N;
        float sum = 0f;
        for (int slice = 0; slice < slices.Value; slice++)
        {
            sum += views.Partials[(slice * outputs) + element];
        }

        Store(views, shape, output.Value, slope, element / shape.N, element % shape.N, sum, epilogue);
    }

    // The epilogue of one element: bias, residual, activation, then write or add; then a generated
    // epilogue's. A slice of a split product stores its raw partial sum instead.
    private static void Store<TC, TE>(GemmViews views, GemmShape shape, TC output, float slope, int m, int n, float v, TE epilogue)
        where TC : unmanaged, IGemmOutput, System.IEquatable<TC>
        where TE : struct, IGemmEpilogue
    {
        if (m >= shape.M || n >= shape.N)
        {
            return;
        }

        if (shape.KSlice != 0)
        {
            views.Partials[(((Grid.IdxZ * shape.M) + m) * shape.N) + n] = v;
            return;
        }

        int index = output.Index(m, n);
        if (shape.HasBias != 0)
        {
            v += views.Bias[output.BiasIndex(m, n)];
        }

        if (shape.HasResidual != 0)
        {
            v += views.Residual[index];
        }

        v = Epilogue.Apply(shape.Activation, v, slope);
        v = shape.Accumulate != 0 ? views.C[index] + v : v;
        views.C[index] = v;
        epilogue.After(index, v);
    }
}

/// <summary>
/// A GEMM's sizes and epilogue, fixed for a plan's call: one specialisation constant. <c>KSlice</c>,
/// set by <see cref="Gemm"/> alone, is the K each group of a split product walks (0: all of it).
/// </summary>
public readonly record struct GemmShape(int M, int N, int K, int HasBias = 0, int HasResidual = 0, int Activation = 0, int Accumulate = 0, int KSlice = 0);

/// <summary>The buffers of one GEMM: operands, product, bias, residual, and the device's split-K partial sums.</summary>
public readonly record struct GemmViews(ArrayView<float> A, ArrayView<float> B, ArrayView<float> C, ArrayView<float> Bias, ArrayView<float> Residual, ArrayView<float> Partials);

/// <summary>How one GEMM addresses its operands and output.</summary>
public readonly record struct GemmOperands<TA, TB, TC>(TA A, TB B, TC C)
    where TA : unmanaged, IGemmOperand, System.IEquatable<TA>
    where TB : unmanaged, IGemmOperand, System.IEquatable<TB>
    where TC : unmanaged, IGemmOutput, System.IEquatable<TC>;

/// <summary>A row-major matrix with leading dimension <c>Stride</c>: element (r, c) at <c>Offset + r·Stride + c</c>.</summary>
public readonly record struct RowMajor(int Stride, int Offset = 0) : IGemmOperand
{
    /// <inheritdoc/>
    public float Load(ArrayView<float> data, int row, int column) => data[Offset + (row * Stride) + column];

    /// <inheritdoc/>
    public bool ColumnsContiguous() => true;
}

/// <summary>The transpose of a row-major matrix: element (r, c) at <c>Offset + c·Stride + r</c>.</summary>
public readonly record struct Transposed(int Stride, int Offset = 0) : IGemmOperand
{
    /// <inheritdoc/>
    public float Load(ArrayView<float> data, int row, int column) => data[Offset + (column * Stride) + row];

    /// <inheritdoc/>
    public bool ColumnsContiguous() => false;
}

/// <summary>A row-major product with leading dimension <c>Stride</c> from <c>Offset</c> on, its bias indexed by column (a dense layer's units).</summary>
public readonly record struct RowMajorOutput(int Stride, int Offset = 0) : IGemmOutput
{
    /// <inheritdoc/>
    public int Index(int row, int column) => Offset + (row * Stride) + column;

    /// <inheritdoc/>
    public int BiasIndex(int row, int column) => column;
}

using BenchmarkDotNet.Attributes;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using Nxt.Gpu;

namespace Nxt.GpuBenchmarks;

/// <summary>
/// The GEMM (square, fp32, <c>C = A·Bᵀ</c> as a dense layer computes it) and an element-wise add
/// over 2^26 floats, each waited for. TFLOP/s = 2·N³ / time; bandwidth = 12 bytes per element
/// (two reads, one write) / time, against the card's theoretical bandwidth, which
/// <see cref="TheoreticalBandwidth"/> computes from the memory clock and bus width ILGPU reports.
/// </summary>
public class KernelBenchmarks
{
    private const int AddLength = 1 << 26;
    private GpuDevice _device = null!;
    private MemoryBuffer1D<float, Stride1D.Dense> _a = null!, _b = null!, _c = null!;

    [Params(1024, 2048, 4096)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _device = GpuDevice.Open(Device.Cuda(0));
        long length = Math.Max((long)N * N, AddLength);
        _a = _device.Accelerator.Allocate1D<float>(length);
        _b = _device.Accelerator.Allocate1D<float>(length);
        _c = _device.Accelerator.Allocate1D<float>(length);
        _a.MemSet(_device.Stream, 0);
        _b.MemSet(_device.Stream, 0);
        Console.WriteLine($"// {_device.Accelerator.Name}: theoretical memory bandwidth {TheoreticalBandwidth(_device.Accelerator) / 1e9:F0} GB/s");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _a.Dispose();
        _b.Dispose();
        _c.Dispose();
        _device.Dispose();
    }

    [Benchmark]
    public void Gemm()
    {
        var a = _device.Wrap(_a).Slice(0, N * N);
        var b = _device.Wrap(_b).Slice(0, N * N);
        DenseKernels.Forward(a, b, default, _device.Wrap(_c).Slice(0, N * N), N, N, N);
        _device.Synchronize();
    }

    /// <summary>Not a function of N: compare it across the N rows, or read the first.</summary>
    [Benchmark]
    public void ElementwiseAdd()
    {
        BinaryKernels.Add(_device.Wrap(_a).Slice(0, AddLength), _device.Wrap(_b).Slice(0, AddLength), _device.Wrap(_c).Slice(0, AddLength));
        _device.Synchronize();
    }

    /// <summary>
    /// Bytes per second: memory clock × 2 (double data rate) × bus width (bits) / 8. ILGPU reports the
    /// clock in MHz (an H200: 3,201 and 6,144 bits, so 4,917 GB/s against its rated 4.8 TB/s).
    /// </summary>
    public static double TheoreticalBandwidth(Accelerator accelerator)
        => accelerator is CudaAccelerator cuda ? cuda.MemoryClockRate * 1e6 * 2 * cuda.MemoryBusWidth / 8 : double.NaN;
}

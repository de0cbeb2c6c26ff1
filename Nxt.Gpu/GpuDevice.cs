using System;
using System.Collections.Generic;
using System.Reflection;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;

namespace Nxt.Gpu;

/// <summary>
/// One ILGPU context and accelerator for a bound module, with the kernels it has loaded. Each
/// module gets its own context: a kernel that fails to compile leaves ILGPU's context unusable,
/// and a fresh one is the only recovery. Disposal order is ILGPU's: buffers (owned by the plan),
/// then the accelerator, then the context.
/// </summary>
public sealed class GpuDevice : IDisposable
{
    private readonly Context _context;
    private readonly Dictionary<MethodInfo, Delegate> _kernels = new();
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _placeholder;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _partials;

    private GpuDevice(Device device, Context context, Accelerator accelerator)
    {
        Device = device;
        _context = context;
        Accelerator = accelerator;
        _placeholder = accelerator.Allocate1D<float>(1);
        _partials = accelerator.Allocate1D<float>(PartialsCapacity);
    }

    /// <summary>Floats in <see cref="Partials"/>: 4 MB, 256 slices of a GEMM's 64×64 tile.</summary>
    internal const int PartialsCapacity = 1 << 20;

    /// <summary>The Nxt device this accelerator serves.</summary>
    public Device Device { get; }

    /// <summary>True after a kernel failed to compile: ILGPU's context cannot be used any more.</summary>
    public bool Poisoned { get; private set; }

    /// <summary>The ILGPU accelerator.</summary>
    public Accelerator Accelerator { get; }

    /// <summary>The stream every kernel and copy of the plan is queued on, in order.</summary>
    public AcceleratorStream Stream => Accelerator.DefaultStream;

    /// <summary>
    /// Opens <paramref name="device"/>. ILGPU's CPU accelerator is opened as a simulated NVIDIA GPU
    /// (warps of 32, groups of up to 1,024 threads) so that it runs the same launch shapes as CUDA.
    /// </summary>
    public static GpuDevice Open(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        Context context = device.Type switch
        {
            DeviceType.Cuda => Context.Create(builder => builder.Cuda().EnableAlgorithms()),
            DeviceType.OpenCL => Context.Create(builder => builder.OpenCL().EnableAlgorithms()),
            DeviceType.IlgpuCpu => Context.Create(builder => builder.CPU(CPUDeviceKind.Nvidia).EnableAlgorithms()),
            _ => throw new ArgumentException($"{device} is the SIMD CPU backend, which needs no ILGPU device.", nameof(device)),
        };

        try
        {
            Accelerator accelerator = device.Type switch
            {
                DeviceType.Cuda => context.CreateCudaAccelerator(CheckOrdinal(device, context.GetCudaDevices().Count)),
                DeviceType.OpenCL => context.CreateCLAccelerator(CheckOrdinal(device, context.GetCLDevices().Count)),
                _ => context.CreateCPUAccelerator(0),
            };
            return new GpuDevice(device, context, accelerator);
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <summary>True when ILGPU finds a CUDA device with this ordinal (a driver and a GPU).</summary>
    public static bool CudaAvailable(int ordinal = 0)
    {
        try
        {
            using var context = Context.Create(builder => builder.Cuda());
            return context.GetCudaDevices().Count > ordinal;
        }
        catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or InvalidOperationException or NotSupportedException)
        {
            return false;
        }
    }

    /// <summary>A device span over a whole buffer.</summary>
    public DeviceSpan Wrap(MemoryBuffer1D<float, Stride1D.Dense> buffer) => new(this, buffer.View);

    /// <summary>A valid one-float view to pass where a kernel takes an argument it does not read (no bias, no residual).</summary>
    internal ArrayView<float> Placeholder => _placeholder.View;

    /// <summary>The view of <paramref name="span"/>, or the placeholder when it is empty.</summary>
    internal ArrayView<float> ViewOrPlaceholder(DeviceSpan span) => span.IsEmpty ? _placeholder.View : span.View;

    /// <summary>
    /// Where a reduction split over many groups leaves its partial sums for the kernel that adds them
    /// (a split-K <see cref="Gemm"/>, <see cref="ChannelSums"/>): one buffer per device, allocated
    /// with it, since every kernel of a device runs in order on its one stream.
    /// </summary>
    internal ArrayView<float> Partials => _partials.View;

    /// <summary>Every kernel loaded on this device so far (closed generic methods included), for the PTX compilation check.</summary>
    internal IReadOnlyCollection<MethodInfo> LoadedKernels => _kernels.Keys;

    /// <summary>Waits for the stream.</summary>
    public void Synchronize() => Stream.Synchronize();

    /// <inheritdoc/>
    public void Dispose()
    {
        _placeholder.Dispose();
        _partials.Dispose();
        Accelerator.Dispose();
        _context.Dispose();
    }

    /// <summary>The kernel for <paramref name="method"/>, loaded (compiled) on first use and kept.</summary>
    internal TLoaded Kernel<TLoaded>(MethodInfo method, Func<Accelerator, TLoaded> load)
        where TLoaded : Delegate
    {
        if (!_kernels.TryGetValue(method, out var kernel))
        {
            if (Poisoned)
            {
                throw new InvalidOperationException($"The ILGPU context of {Device} failed to compile a kernel earlier and cannot compile more: Bind the module again to start a fresh one.");
            }

            try
            {
                kernel = load(Accelerator);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // ILGPU leaves a context unusable after a failed compilation: say so, and let the
                // module replace this device on its next Bind.
                Poisoned = true;
                throw new InvalidOperationException(
                    $"ILGPU could not compile the kernel {method.DeclaringType?.Name}.{method.Name} for {Device}: {ex.Message} The device's context is now unusable; Bind the module again to start a fresh one.",
                    ex);
            }

            _kernels.Add(method, kernel);
        }

        return (TLoaded)kernel;
    }

    private static int CheckOrdinal(Device device, int count)
        => device.Ordinal < count
            ? device.Ordinal
            : throw new InvalidOperationException($"Cannot bind to {device}: ILGPU finds {count} {(device.Type == DeviceType.Cuda ? "CUDA" : "OpenCL")} device(s) on this machine.");
}

using System;
using ILGPU;
using ILGPU.Runtime;

namespace Nxt.Gpu;

/// <summary>
/// Launches kernels on a device's stream, loading each the first time it is used on that
/// device. Implicitly grouped kernels take one thread per element (<see cref="Index1D"/>);
/// explicitly grouped ones (shared-memory tiles, group reductions) take a grid and group size.
/// </summary>
internal static class Launcher
{
    public static void Run<T1>(GpuDevice device, Action<Index1D, T1> kernel, int extent, T1 a)
        where T1 : struct
    {
        if (extent > 0)
        {
            device.Kernel(kernel.Method, accelerator => accelerator.LoadAutoGroupedKernel(kernel))(device.Stream, extent, a);
        }
    }

    public static void Run<T1, T2, T3>(GpuDevice device, Action<Index1D, T1, T2, T3> kernel, int extent, T1 a, T2 b, T3 c)
        where T1 : struct where T2 : struct where T3 : struct
    {
        if (extent > 0)
        {
            device.Kernel(kernel.Method, accelerator => accelerator.LoadAutoGroupedKernel(kernel))(device.Stream, extent, a, b, c);
        }
    }

    public static void Run<T1, T2, T3, T4>(GpuDevice device, Action<Index1D, T1, T2, T3, T4> kernel, int extent, T1 a, T2 b, T3 c, T4 d)
        where T1 : struct where T2 : struct where T3 : struct where T4 : struct
    {
        if (extent > 0)
        {
            device.Kernel(kernel.Method, accelerator => accelerator.LoadAutoGroupedKernel(kernel))(device.Stream, extent, a, b, c, d);
        }
    }

    public static void Run<T1, T2, T3, T4, T5>(GpuDevice device, Action<Index1D, T1, T2, T3, T4, T5> kernel, int extent, T1 a, T2 b, T3 c, T4 d, T5 e)
        where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct
    {
        if (extent > 0)
        {
            device.Kernel(kernel.Method, accelerator => accelerator.LoadAutoGroupedKernel(kernel))(device.Stream, extent, a, b, c, d, e);
        }
    }

    public static void Run<T1, T2, T3, T4, T5, T6>(GpuDevice device, Action<Index1D, T1, T2, T3, T4, T5, T6> kernel, int extent, T1 a, T2 b, T3 c, T4 d, T5 e, T6 f)
        where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct
    {
        if (extent > 0)
        {
            device.Kernel(kernel.Method, accelerator => accelerator.LoadAutoGroupedKernel(kernel))(device.Stream, extent, a, b, c, d, e, f);
        }
    }

    public static void Run<T1, T2, T3, T4, T5, T6, T7>(GpuDevice device, Action<Index1D, T1, T2, T3, T4, T5, T6, T7> kernel, int extent, T1 a, T2 b, T3 c, T4 d, T5 e, T6 f, T7 g)
        where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct where T6 : struct where T7 : struct
    {
        if (extent > 0)
        {
            device.Kernel(kernel.Method, accelerator => accelerator.LoadAutoGroupedKernel(kernel))(device.Stream, extent, a, b, c, d, e, f, g);
        }
    }

    public static void Grouped<T1, T2>(GpuDevice device, Action<T1, T2> kernel, KernelConfig config, T1 a, T2 b)
        where T1 : struct where T2 : struct
    {
        device.Kernel(kernel.Method, accelerator => accelerator.LoadKernel(kernel))(device.Stream, config, a, b);
    }

    public static void Grouped<T1, T2, T3, T4>(GpuDevice device, Action<T1, T2, T3, T4> kernel, KernelConfig config, T1 a, T2 b, T3 c, T4 d)
        where T1 : struct where T2 : struct where T3 : struct where T4 : struct
    {
        device.Kernel(kernel.Method, accelerator => accelerator.LoadKernel(kernel))(device.Stream, config, a, b, c, d);
    }

    public static void Grouped<T1, T2, T3, T4, T5>(GpuDevice device, Action<T1, T2, T3, T4, T5> kernel, KernelConfig config, T1 a, T2 b, T3 c, T4 d, T5 e)
        where T1 : struct where T2 : struct where T3 : struct where T4 : struct where T5 : struct
    {
        device.Kernel(kernel.Method, accelerator => accelerator.LoadKernel(kernel))(device.Stream, config, a, b, c, d, e);
    }
}

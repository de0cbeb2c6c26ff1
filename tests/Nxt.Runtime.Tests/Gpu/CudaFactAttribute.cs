using Nxt.Gpu;

namespace Nxt.Runtime.Tests.Gpu;

/// <summary>A test that needs an NVIDIA GPU: it runs where ILGPU finds CUDA device 0 and is skipped, saying why, elsewhere (CI has none).</summary>
public sealed class CudaFactAttribute : FactAttribute
{
    public CudaFactAttribute()
    {
        if (!GpuDevice.CudaAvailable())
        {
            Skip = "No CUDA device: ILGPU finds no NVIDIA GPU and driver on this machine.";
        }
    }
}

/// <summary>A test that needs CUDA device <c>ordinal</c> to be absent: skipped, saying why, on a machine that has it.</summary>
public sealed class CudaDeviceAbsentFactAttribute : FactAttribute
{
    public CudaDeviceAbsentFactAttribute(int ordinal)
    {
        if (GpuDevice.CudaAvailable(ordinal))
        {
            Skip = $"This machine has CUDA device {ordinal}, so its absence cannot be tested here.";
        }
    }
}

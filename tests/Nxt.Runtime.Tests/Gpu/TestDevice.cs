using System;

namespace Nxt.Runtime.Tests.Gpu;

/// <summary>
/// The device the parity tests run the generated ILGPU plans on: ILGPU's CPU accelerator, so CI
/// (which has no GPU) runs every device kernel; or CUDA device 0 when <c>NXT_TEST_DEVICE=cuda</c>,
/// which is how bench/gpu/run.sh runs the same tests on a real GPU.
/// </summary>
internal static class TestDevice
{
    public static Device Accelerated { get; } = Environment.GetEnvironmentVariable("NXT_TEST_DEVICE") switch
    {
        null or "" or "ilgpu_cpu" => Device.IlgpuCpu,
        "cuda" => Device.Cuda(0),
        var other => throw new InvalidOperationException($"NXT_TEST_DEVICE is '{other}': expected 'cuda', 'ilgpu_cpu' or unset."),
    };
}

using System;
using System.Collections.Generic;
using ILGPU;
using ILGPU.Runtime;
using Nxt.Gpu;

namespace Nxt.Runtime.Tests.Gpu;

/// <summary>The device under test (ILGPU's CPU accelerator unless <see cref="TestDevice"/> says otherwise) and the buffers a kernel test uploads to it, freed together.</summary>
internal sealed class DeviceBuffers : IDisposable
{
    private readonly List<MemoryBuffer1D<float, Stride1D.Dense>> _buffers = [];

    public GpuDevice Device { get; } = GpuDevice.Open(TestDevice.Accelerated);

    public DeviceSpan Upload(float[] values)
    {
        var buffer = Device.Accelerator.Allocate1D(values);
        _buffers.Add(buffer);
        return Device.Wrap(buffer);
    }

    public float[] Download(DeviceSpan span)
    {
        var values = new float[span.Length];
        span.View.CopyToCPU(Device.Stream, values);
        Device.Synchronize();
        return values;
    }

    public void Dispose()
    {
        foreach (var buffer in _buffers)
        {
            buffer.Dispose();
        }

        Device.Dispose();
    }
}

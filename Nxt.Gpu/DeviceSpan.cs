using ILGPU;
using ILGPU.Runtime;

namespace Nxt.Gpu;

/// <summary>
/// A slice of device memory with the device it lives on: what the generated GPU plan passes to
/// the kernels, as the CPU plan passes spans (<see cref="Slice(int, int)"/> and ranges work alike,
/// so both plans are the same text).
/// </summary>
public readonly struct DeviceSpan
{
    internal DeviceSpan(GpuDevice device, ArrayView<float> view)
    {
        Device = device;
        View = view;
    }

    /// <summary>The device, or null for <c>default</c> (an absent argument, such as no bias).</summary>
    public GpuDevice? Device { get; }

    /// <summary>The ILGPU view.</summary>
    public ArrayView<float> View { get; }

    /// <summary>The number of floats.</summary>
    public int Length => Device is null ? 0 : (int)View.Length;

    /// <summary>True for <c>default</c> and for zero-length slices.</summary>
    public bool IsEmpty => Length == 0;

    /// <summary>The floats from <paramref name="start"/> on, <paramref name="length"/> of them.</summary>
    public DeviceSpan Slice(int start, int length) => new(Device!, View.SubView(start, length));

    /// <summary>Copies this span into <paramref name="destination"/> on the device's stream.</summary>
    public void CopyTo(DeviceSpan destination) => View.CopyTo(Device!.Stream, destination.View);

    /// <summary>The device this span lives on; a kernel launch needs one.</summary>
    internal GpuDevice Owner => Device ?? throw new System.InvalidOperationException("A kernel was given an absent device span where it needs one.");
}

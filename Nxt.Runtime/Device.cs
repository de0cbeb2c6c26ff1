using System;

namespace Nxt;

/// <summary>What kind of machine a <see cref="Device"/> is.</summary>
public enum DeviceType
{
    /// <summary>The SIMD CPU backend in Nxt.Runtime.</summary>
    Cpu,
    /// <summary>An NVIDIA GPU through ILGPU's CUDA accelerator (the Nxt.Gpu package).</summary>
    Cuda,
    /// <summary>An OpenCL device through ILGPU (the Nxt.Gpu package).</summary>
    OpenCL,
    /// <summary>ILGPU's CPU accelerator: runs the GPU kernels by emulating GPU threads. Slow; for testing them without a GPU.</summary>
    IlgpuCpu,
}

/// <summary>Where a module's buffers live and its plan runs.</summary>
public sealed class Device : IEquatable<Device>
{
    private Device(DeviceType type, int ordinal, string name)
    {
        Type = type;
        Ordinal = ordinal;
        Name = name;
    }

    /// <summary>The SIMD CPU backend, always available.</summary>
    public static Device Cpu { get; } = new(DeviceType.Cpu, 0, "cpu(0)");

    /// <summary>ILGPU's CPU accelerator, which runs the generated GPU kernels on emulated GPU threads (a test harness, never fast).</summary>
    public static Device IlgpuCpu { get; } = new(DeviceType.IlgpuCpu, 0, "ilgpu_cpu(0)");

    /// <summary>The NVIDIA GPU with this CUDA ordinal (MXNet's <c>gpu(i)</c>); needs the Nxt.Gpu package.</summary>
    public static Device Cuda(int ordinal = 0) => new(DeviceType.Cuda, CheckOrdinal(ordinal), $"gpu({ordinal})");

    /// <summary>The OpenCL device with this ordinal among ILGPU's OpenCL devices; needs the Nxt.Gpu package.</summary>
    public static Device OpenCL(int ordinal = 0) => new(DeviceType.OpenCL, CheckOrdinal(ordinal), $"opencl({ordinal})");

    /// <summary>The kind of device.</summary>
    public DeviceType Type { get; }

    /// <summary>The device's index among those of its kind.</summary>
    public int Ordinal { get; }

    /// <summary>The device as MXNet prints a context, e.g. <c>cpu(0)</c> or <c>gpu(0)</c>.</summary>
    public string Name { get; }

    /// <summary>True for the SIMD CPU backend; false for every device that runs the ILGPU plan.</summary>
    public bool IsCpu => Type == DeviceType.Cpu;

    /// <inheritdoc/>
    public bool Equals(Device? other) => other is not null && other.Type == Type && other.Ordinal == Ordinal;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Device);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Type, Ordinal);

    /// <inheritdoc/>
    public override string ToString() => Name;

    private static int CheckOrdinal(int ordinal)
        => ordinal >= 0 ? ordinal : throw new ArgumentOutOfRangeException(nameof(ordinal), ordinal, "A device ordinal is 0 or more.");
}

/// <summary>How <c>Backward</c> treats parameter gradients (MXNet <c>grad_req</c>).</summary>
public enum GradReq
{
    /// <summary>Each backward pass overwrites the gradients.</summary>
    Write,
    /// <summary>Each backward pass adds to the gradients (accumulate over several batches).</summary>
    Add,
    /// <summary>No parameter gradients are computed (frozen).</summary>
    Null,
}

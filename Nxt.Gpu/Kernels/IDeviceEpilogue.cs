namespace Nxt.Gpu;

/// <summary>
/// A generated epilogue on the device: the element-wise region that follows a dense layer,
/// launched over the layer's output right after its GEMM (<see cref="Nxt.Cpu.IRowEpilogue"/> on the host).
/// </summary>
public interface IDeviceEpilogue
{
    /// <summary>The region over the layer's output <paramref name="produced"/>.</summary>
    void Apply(DeviceSpan produced);
}

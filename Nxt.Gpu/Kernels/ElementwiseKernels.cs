namespace Nxt.Gpu;

/// <summary>Copies and sums on the device (<see cref="Nxt.Cpu.ElementwiseKernels"/>).</summary>
public static class ElementwiseKernels
{
    /// <summary><c>y (+)= x</c>.</summary>
    public static void CopyOrAdd(DeviceSpan x, DeviceSpan y, bool accumulate) => Pointwise.Run(Pointwise.Copy, x, default, default, y, 0f, accumulate);
}

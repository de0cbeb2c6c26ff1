namespace Nxt.Gpu;

/// <summary>
/// A generated epilogue on the device: the element-wise region that follows a dense layer, run
/// by the GEMM's threads on each element they store (<see cref="Nxt.Cpu.IRowEpilogue"/> on the
/// host). The generator writes one per region, a struct holding the region's other buffers as
/// views; ILGPU specialises the GEMM kernel on it.
/// </summary>
public interface IGemmEpilogue
{
    /// <summary>The region at element <paramref name="index"/> of the layer's output, whose value the GEMM just stored.</summary>
    void After(int index, float value);
}

/// <summary>No generated epilogue: the GEMM's own (bias, residual, activation) alone.</summary>
public readonly struct NoGemmEpilogue : IGemmEpilogue
{
    /// <inheritdoc/>
    public void After(int index, float value)
    {
    }
}

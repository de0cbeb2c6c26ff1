namespace Nxt.Cpu;

/// <summary>
/// A GEMM's <c>op(B)</c> that is never stored as a matrix: it writes its block
/// <c>[pc, pc+kc) × [jc, jc+nc)</c> straight into the microkernel's panel layout, as
/// <see cref="Gemm"/>'s own packing would from a stored B. A convolution packs its receptive
/// fields from the image this way (implicit GEMM), instead of writing an im2col matrix that the
/// packing then reads and writes once more.
/// </summary>
internal unsafe interface IPanelSource
{
    /// <summary>
    /// The block as <see cref="Gemm.NR"/>-column strips one after another, each k-major (row p's
    /// NR columns together), the columns past <paramref name="nc"/> in the last strip zero. Called
    /// from several workers at once for different blocks: it must not change the source's state.
    /// </summary>
    void Pack(int pc, int kc, int jc, int nc, float* panel);
}

using System;

namespace Nxt.Cpu;

/// <summary>
/// A generated epilogue: the element-wise region that follows a dense layer or a convolution,
/// run on each block of whole samples (a dense layer's rows) the layer produces while the block
/// is still in cache. The generator writes one per region (a <c>ref struct</c> holding the
/// region's other buffers); the dense kernel is specialised on it, so the call inlines, and the
/// convolution's workers call it on the samples each of them finishes.
/// </summary>
public interface IRowEpilogue
{
    /// <summary>The region over <paramref name="produced"/>, elements <paramref name="start"/> onwards of the layer's output.</summary>
    void Apply(ReadOnlySpan<float> produced, int start);
}

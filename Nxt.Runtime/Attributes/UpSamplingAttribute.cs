namespace Nxt;

/// <summary>How <see cref="UpSamplingAttribute"/> fills the grown image (MXNet <c>sample_type</c>).</summary>
public enum UpSamplingSampleType
{
    /// <summary>Each pixel repeated over a <c>scale×scale</c> block.</summary>
    Nearest,

    /// <summary>A learned bilinear deconvolution (not in Nxt yet: use <see cref="DeconvolutionAttribute"/>).</summary>
    Bilinear,
}

/// <summary>
/// MXNet <c>UpSampling</c> over images (N,C,H,W): each plane grown <c>scale</c> times both
/// ways, to (N,C,H·scale,W·scale).
/// </summary>
public sealed class UpSamplingAttribute : LayerAttribute
{
    /// <summary>Declares an up-sampling by <paramref name="scale"/>.</summary>
    public UpSamplingAttribute(int scale) => Scale = scale;

    /// <summary>The factor both ways (MXNet <c>scale</c>).</summary>
    public int Scale { get; }

    /// <summary>How the grown image is filled (MXNet <c>sample_type</c>): nearest neighbour.</summary>
    public UpSamplingSampleType SampleType { get; set; } = UpSamplingSampleType.Nearest;
}

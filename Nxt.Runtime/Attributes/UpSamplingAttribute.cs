namespace Nxt;

/// <summary>How <see cref="UpSamplingAttribute"/> fills the grown image (MXNet <c>sample_type</c>).</summary>
public enum UpSamplingSampleType
{
    /// <summary>Each pixel repeated over a <c>scale×scale</c> block.</summary>
    Nearest,

    /// <summary>
    /// MXNet's learned bilinear up-sampling: a deconvolution of one <c>2s - s%2</c> filter per channel
    /// (<see cref="UpSamplingAttribute.NumFilter"/> of them), stride <c>s</c>, no bias, weight
    /// <c>NAME_weight (C, 1, k, k)</c>; initialise it with <see cref="Bilinear"/> (through <see cref="Mixed"/>)
    /// for bilinear interpolation to start from. It is written to symbol files as that Deconvolution.
    /// </summary>
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

    /// <summary>The input's channels, for <see cref="UpSamplingSampleType.Bilinear"/> (MXNet <c>num_filter</c>).</summary>
    public int NumFilter { get; set; }
}

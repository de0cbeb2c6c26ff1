namespace Nxt.Kernels;

/// <summary>
/// A strided slice of a sample's axes (padded in front to four): per axis the input size, the
/// first index taken, the step between taken indices (negative walks backwards) and how many
/// are taken, the output size.
/// </summary>
public readonly record struct StridedSliceGeometry(
    int I0, int I1, int I2, int I3, int Start0, int Start1, int Start2, int Start3, int Step0, int Step1, int Step2, int Step3, int O0, int O1, int O2, int O3)
{
    internal int InLength => I0 * I1 * I2 * I3;

    internal int OutLength => O0 * O1 * O2 * O3;

    /// <summary>Where output element (o0..o3) reads within its input sample.</summary>
    internal int Source(int o0, int o1, int o2, int o3)
        => (((((((Start0 + (o0 * Step0)) * I1) + Start1 + (o1 * Step1)) * I2) + Start2 + (o2 * Step2)) * I3) + Start3 + (o3 * Step3));

    /// <summary>The output index along an axis that reads input index <paramref name="i"/>, or -1 for one the slice skips.</summary>
    internal static int Taken(int i, int start, int step, int count)
    {
        int offset = i - start;
        if (offset % step != 0)
        {
            return -1;
        }

        int o = offset / step;
        return o >= 0 && o < count ? o : -1;
    }
}

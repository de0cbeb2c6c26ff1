namespace Nxt.Kernels;

/// <summary>
/// One axis of a sample cut to <c>[Begin, Begin + Length)</c>, as <c>slice_axis</c> reads it: the
/// sample as <c>(Outer, Dim, Inner)</c> around that axis. Baked into generated plans as a constant.
/// </summary>
public readonly record struct SliceGeometry(int Outer, int Dim, int Inner, int Begin, int Length)
{
    /// <summary>Floats of one sample of the input.</summary>
    public int InputLength => Outer * Dim * Inner;

    /// <summary>Floats of one sample of the output.</summary>
    public int OutputLength => Outer * Length * Inner;

    /// <summary>The input element that output element <paramref name="e"/> of one sample copies.</summary>
    public int Source(int e)
    {
        int k = e % Inner, i = (e / Inner) % Length, o = e / (Inner * Length);
        return (((o * Dim) + Begin + i) * Inner) + k;
    }
}

/// <summary>
/// A permutation of a sample's axes (up to four), as <c>transpose</c> reads it: the output's
/// dimensions and, for each output axis, the input's stride along the axis it takes.
/// Baked into generated plans as a constant.
/// </summary>
public readonly record struct TransposeGeometry(int Rank, int Dim0, int Dim1, int Dim2, int Dim3, int Stride0, int Stride1, int Stride2, int Stride3)
{
    /// <summary>Floats of one sample.</summary>
    public int Length => Dim0 * (Rank > 1 ? Dim1 : 1) * (Rank > 2 ? Dim2 : 1) * (Rank > 3 ? Dim3 : 1);

    /// <summary>The input element that output element <paramref name="e"/> of one sample takes.</summary>
    public int Source(int e)
    {
        int source = 0;
        if (Rank > 3)
        {
            source += (e % Dim3) * Stride3;
            e /= Dim3;
        }

        if (Rank > 2)
        {
            source += (e % Dim2) * Stride2;
            e /= Dim2;
        }

        if (Rank > 1)
        {
            source += (e % Dim1) * Stride1;
            e /= Dim1;
        }

        return source + (e * Stride0);
    }
}

/// <summary>
/// A sample seen as <c>(Outer, Dim, Inner)</c> around the axis a <c>sum</c> or <c>mean</c> reduces;
/// <c>Scale</c> is 1 for a sum and <c>1/Dim</c> for a mean. Baked into generated plans as a constant.
/// </summary>
public readonly record struct ReduceGeometry(int Outer, int Dim, int Inner, float Scale)
{
    /// <summary>Floats of one sample of the input.</summary>
    public int InputLength => Outer * Dim * Inner;

    /// <summary>Floats of one sample of the output.</summary>
    public int OutputLength => Outer * Inner;
}

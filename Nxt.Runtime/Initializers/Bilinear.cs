using System;

namespace Nxt;

/// <summary>
/// MXNet <c>Bilinear</c>: each <c>k×k</c> filter of a weight <c>(C, 1, k, k)</c> set to the
/// bilinear interpolation kernel, so that a bilinear <see cref="UpSamplingAttribute"/> (or a
/// deconvolution of that shape) starts as half-pixel bilinear interpolation. Biases, gammas and
/// the other named parameters follow <see cref="Initializer"/>'s rules.
/// </summary>
public sealed class Bilinear : Initializer
{
    /// <inheritdoc/>
    protected override void InitWeight(Span<float> values, ReadOnlySpan<int> shape, RandomSource random)
    {
        if (shape.Length != 4 || shape[2] != shape[3])
        {
            throw new ArgumentException($"Bilinear fills square filters (C, 1, k, k), but the weight is ({string.Join(", ", shape.ToArray())}).", nameof(shape));
        }

        // MXNet's _init_bilinear: f = ceil(k/2), c = (2f - 1 - f%2) / (2f), w = (1 - |x/f - c|)(1 - |y/f - c|).
        int k = shape[3];
        float f = MathF.Ceiling(k / 2f), c = ((2 * f) - 1 - (f % 2)) / (2 * f);
        for (int i = 0; i < values.Length; i++)
        {
            int x = i % k, y = (i / k) % k;
            values[i] = (1 - MathF.Abs((x / f) - c)) * (1 - MathF.Abs((y / f) - c));
        }
    }
}

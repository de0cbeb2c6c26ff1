using System;

namespace Nxt.Cpu;

/// <summary>
/// MXNet <c>Dropout</c> (inverted): in training each element is kept with probability
/// <c>1-p</c> and scaled by <c>1/(1-p)</c>; the scaled mask is kept for the backward pass.
/// </summary>
public static class DropoutKernels
{
    /// <summary>Draws the mask and applies it: <c>y = x · mask</c>.</summary>
    public static void ForwardTraining(ReadOnlySpan<float> x, Span<float> mask, Span<float> y, float p, RandomSource random)
    {
        float scale = 1f / (1f - p);
        for (int i = 0; i < x.Length; i++)
        {
            mask[i] = random.NextFloat() >= p ? scale : 0f;
        }

        ElementwiseKernels.Multiply(x, mask, y, accumulate: false);
    }

    /// <summary><c>dx (+)= dy · mask</c>.</summary>
    public static void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<float> mask, Span<float> dx, bool accumulate)
        => ElementwiseKernels.Multiply(dy, mask, dx, accumulate);
}

using System;

namespace Nxt;

/// <summary>
/// MXNet <c>AdaGrad</c>: <c>h += g²</c>, <c>w -= lr · g / (√h + ε)</c>, with <c>g</c> the rescaled,
/// clipped gradient plus <c>wd·w</c>. Defaults: lr 0.01, ε 1e-7.
/// </summary>
public sealed class AdaGrad : Optimizer
{
    /// <summary>AdaGrad with MXNet's defaults.</summary>
    public AdaGrad(float learningRate = 0.01f, float epsilon = 1e-7f, float weightDecay = 0f)
        : base(learningRate)
    {
        Epsilon = epsilon;
        WeightDecay = weightDecay;
    }

    /// <summary>Added to √h.</summary>
    public float Epsilon { get; }

    /// <inheritdoc/>
    public override int StateLength(int parameterLength) => parameterLength;

    /// <inheritdoc/>
    internal override bool UpdatesElementwise => true;

    /// <inheritdoc/>
    public override void Update(Span<float> weight, ReadOnlySpan<float> gradient, Span<float> state, float learningRate, float weightDecay)
    {
        for (int i = 0; i < weight.Length; i++)
        {
            float g = PrepareWithDecay(gradient[i], weight[i], weightDecay);
            state[i] += g * g;
            weight[i] -= learningRate * g / (MathF.Sqrt(state[i]) + Epsilon);
        }
    }
}

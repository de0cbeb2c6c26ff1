using System;

namespace Nxt;

/// <summary>
/// MXNet <c>AdaDelta</c> (Zeiler): <c>E[g²] = ρ·E[g²] + (1-ρ)·g²</c>,
/// <c>δ = √(E[δ²] + ε) / √(E[g²] + ε) · g</c>, <c>E[δ²] = ρ·E[δ²] + (1-ρ)·δ²</c>,
/// <c>w -= δ + wd·w</c>. Like MXNet's, it has no learning rate in the update. Defaults: ρ 0.9, ε 1e-5.
/// </summary>
public sealed class AdaDelta : Optimizer
{
    /// <summary>AdaDelta with MXNet's defaults.</summary>
    public AdaDelta(float rho = 0.9f, float epsilon = 1e-5f, float weightDecay = 0f)
        : base(1f)
    {
        Rho = rho;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
    }

    /// <summary>Decay of both running averages.</summary>
    public float Rho { get; }

    /// <summary>Added under both square roots.</summary>
    public float Epsilon { get; }

    /// <inheritdoc/>
    public override int StateLength(int parameterLength) => 2 * parameterLength;

    /// <inheritdoc/>
    public override void Update(Span<float> weight, ReadOnlySpan<float> gradient, Span<float> state, float learningRate, float weightDecay)
    {
        int length = weight.Length;
        for (int i = 0; i < length; i++)
        {
            float g = Prepare(gradient[i]);
            ref float squares = ref state[i];
            ref float deltas = ref state[length + i];
            squares = Flushed((Rho * squares) + ((1f - Rho) * g * g));
            float delta = MathF.Sqrt(deltas + Epsilon) / MathF.Sqrt(squares + Epsilon) * g;
            deltas = Flushed((Rho * deltas) + ((1f - Rho) * delta * delta));
            weight[i] -= delta + (weightDecay * weight[i]);
        }
    }
}

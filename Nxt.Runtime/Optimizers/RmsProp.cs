using System;

namespace Nxt;

/// <summary>
/// MXNet <c>RMSProp</c>. Plain (Tieleman and Hinton): <c>n = γ1·n + (1-γ1)·g²</c>,
/// <c>w -= lr · g / √(n + ε)</c>. Centered (Graves): also <c>ḡ = γ1·ḡ + (1-γ1)·g</c>,
/// <c>δ = γ2·δ - lr · g / √(n - ḡ² + ε)</c>, <c>w += δ</c>. Defaults: lr 0.001, γ1 0.9, γ2 0.9, ε 1e-8.
/// </summary>
public sealed class RmsProp : Optimizer
{
    /// <summary>RMSProp with MXNet's defaults.</summary>
    public RmsProp(float learningRate = 0.001f, float gamma1 = 0.9f, float gamma2 = 0.9f, float epsilon = 1e-8f, bool centered = false, float weightDecay = 0f)
        : base(learningRate)
    {
        Gamma1 = gamma1;
        Gamma2 = gamma2;
        Epsilon = epsilon;
        Centered = centered;
        WeightDecay = weightDecay;
    }

    /// <summary>Decay of the squared-gradient average.</summary>
    public float Gamma1 { get; }

    /// <summary>Momentum of the centered variant.</summary>
    public float Gamma2 { get; }

    /// <summary>Added under the square root.</summary>
    public float Epsilon { get; }

    /// <summary>Use Graves's centered variant.</summary>
    public bool Centered { get; }

    /// <inheritdoc/>
    public override int StateLength(int parameterLength) => (Centered ? 3 : 1) * parameterLength;

    /// <inheritdoc/>
    public override void Update(Span<float> weight, ReadOnlySpan<float> gradient, Span<float> state, float learningRate, float weightDecay)
    {
        int length = weight.Length;
        var n = state[..length];
        for (int i = 0; i < length; i++)
        {
            float g = PrepareWithDecay(gradient[i], weight[i], weightDecay);
            n[i] = Flushed((Gamma1 * n[i]) + ((1f - Gamma1) * g * g));
            if (!Centered)
            {
                weight[i] -= learningRate * g / MathF.Sqrt(n[i] + Epsilon);
                continue;
            }

            ref float mean = ref state[length + i];
            ref float delta = ref state[(2 * length) + i];
            mean = Flushed((Gamma1 * mean) + ((1f - Gamma1) * g));
            delta = Flushed((Gamma2 * delta) - (learningRate * g / MathF.Sqrt(n[i] - (mean * mean) + Epsilon)));
            weight[i] += delta;
        }
    }
}

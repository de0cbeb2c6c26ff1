using System;

namespace Nxt;

/// <summary>
/// MXNet <c>Adam</c>: <c>m = β1·m + (1-β1)·g</c>, <c>v = β2·v + (1-β2)·g²</c>,
/// <c>w -= lr·√(1-β2ᵗ)/(1-β1ᵗ) · m / (√v + ε)</c>, with <c>g</c> the rescaled gradient plus
/// <c>wd·w</c>, clipped. Defaults: lr 0.001, β1 0.9, β2 0.999, ε 1e-8.
/// </summary>
public class Adam : Optimizer
{
    /// <summary>Adam with MXNet's defaults.</summary>
    public Adam(float learningRate = 0.001f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0f)
        : base(learningRate)
    {
        Beta1 = beta1 is >= 0 and < 1 ? beta1 : throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "beta1 must be in [0, 1).");
        Beta2 = beta2 is >= 0 and < 1 ? beta2 : throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "beta2 must be in [0, 1).");
        Epsilon = epsilon > 0 ? epsilon : throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be positive.");
        WeightDecay = weightDecay;
    }

    /// <summary>Decay of the first moment.</summary>
    public float Beta1 { get; }

    /// <summary>Decay of the second moment.</summary>
    public float Beta2 { get; }

    /// <summary>Added to √v.</summary>
    public float Epsilon { get; }

    /// <inheritdoc/>
    public override int StateLength(int parameterLength) => 2 * parameterLength;

    /// <inheritdoc/>
    public override void Update(Span<float> weight, ReadOnlySpan<float> gradient, Span<float> state, float learningRate, float weightDecay)
    {
        var m = state[..weight.Length];
        var v = state.Slice(weight.Length, weight.Length);
        int t = Math.Max(UpdateCount, 1);
        float step = learningRate * MathF.Sqrt(1f - MathF.Pow(Beta2, t)) / (1f - MathF.Pow(Beta1, t));
        bool decoupled = DecoupledWeightDecay;
        for (int i = 0; i < weight.Length; i++)
        {
            float g = decoupled ? Prepare(gradient[i]) : PrepareWithDecay(gradient[i], weight[i], weightDecay);
            m[i] = Flushed((Beta1 * m[i]) + ((1f - Beta1) * g));
            v[i] = Flushed((Beta2 * v[i]) + ((1f - Beta2) * g * g));
            float update = step * m[i] / (MathF.Sqrt(v[i]) + Epsilon);
            weight[i] -= decoupled ? update + (learningRate * weightDecay * weight[i]) : update;
        }
    }

    /// <summary>True for AdamW: decay applied to the weight directly, not through the moments.</summary>
    protected virtual bool DecoupledWeightDecay => false;
}

/// <summary>
/// AdamW (Loshchilov and Hutter; MXNet <c>contrib.AdamW</c>): Adam with decoupled weight decay,
/// <c>w -= lr · (√(1-β2ᵗ)/(1-β1ᵗ) · m / (√v + ε) + wd·w)</c>.
/// </summary>
public sealed class AdamW : Adam
{
    /// <summary>AdamW; decay 0.01 by default, as commonly used.</summary>
    public AdamW(float learningRate = 0.001f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0.01f)
        : base(learningRate, beta1, beta2, epsilon, weightDecay)
    {
    }

    /// <inheritdoc/>
    protected override bool DecoupledWeightDecay => true;
}

using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Nxt;

/// <summary>
/// MXNet <c>SGD</c>: without momentum, <c>w -= lr · (g + wd·w)</c>; with momentum,
/// <c>m = momentum·m - lr · (g + wd·w)</c>, <c>w += m</c>, where <c>g</c> is the rescaled,
/// clipped gradient. With <see cref="Nesterov"/> (MXNet <c>NAG</c>): <c>m = momentum·m + g'</c>,
/// <c>w -= lr · (g' + momentum·m)</c> with <c>g' = g + wd·w</c>. Learning rate defaults to 0.01.
/// </summary>
public sealed class Sgd : Optimizer
{
    private float _momentum;

    /// <summary>SGD with the given learning rate, momentum and weight decay.</summary>
    public Sgd(float learningRate = 0.01f, float momentum = 0f, float weightDecay = 0f, bool nesterov = false)
        : base(learningRate)
    {
        Momentum = momentum;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
    }

    /// <summary>Nesterov's accelerated gradient (MXNet <c>NAG</c>) instead of plain momentum.</summary>
    public bool Nesterov { get; set; }

    /// <summary>The momentum coefficient in [0, 1).</summary>
    public float Momentum
    {
        get => _momentum;
        set => _momentum = value is >= 0f and < 1f
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "SGD momentum must be in [0, 1).");
    }

    /// <inheritdoc/>
    public override int StateLength(int parameterLength) => Momentum > 0 ? parameterLength : 0;

    /// <inheritdoc/>
    internal override bool UpdatesElementwise => true;

    /// <inheritdoc/>
    public override void Update(Span<float> weight, ReadOnlySpan<float> gradient, Span<float> state, float learningRate, float weightDecay)
    {
        float lr = learningRate;
        if (Nesterov && Momentum > 0)
        {
            for (int i = 0; i < weight.Length; i++)
            {
                float g = Prepare(gradient[i]) + (weightDecay * weight[i]);
                state[i] = Flushed((Momentum * state[i]) + g);
                weight[i] -= lr * (g + (Momentum * state[i]));
            }

            return;
        }

        if (ClipGradient <= 0)
        {
            UpdateVectorized(weight, gradient, state, weightDecay, lr);
            return;
        }

        for (int i = 0; i < weight.Length; i++)
        {
            float step = -lr * (Prepare(gradient[i]) + (weightDecay * weight[i]));
            if (Momentum > 0)
            {
                state[i] = Flushed((Momentum * state[i]) + step);
                step = state[i];
            }

            weight[i] += step;
        }
    }

    // The common case (no clipping) in SIMD: the update is memory-bound over every parameter.
    private void UpdateVectorized(Span<float> weight, ReadOnlySpan<float> gradient, Span<float> state, float weightDecay, float lr)
    {
        int vectorized = weight.Length - (weight.Length % Vector<float>.Count);
        var w = MemoryMarshal.Cast<float, Vector<float>>(weight[..vectorized]);
        var g = MemoryMarshal.Cast<float, Vector<float>>(gradient[..vectorized]);
        var rescale = new Vector<float>(RescaleGrad);
        var decay = new Vector<float>(weightDecay);
        var minusLr = new Vector<float>(-lr);
        if (Momentum > 0)
        {
            var m = MemoryMarshal.Cast<float, Vector<float>>(state[..vectorized]);
            var momentum = new Vector<float>(Momentum);
            var flushBelow = new Vector<float>(FlushBelow);
            for (int i = 0; i < w.Length; i++)
            {
                var next = (momentum * m[i]) + (minusLr * ((g[i] * rescale) + (decay * w[i])));
                m[i] = Vector.ConditionalSelect(Vector.LessThan(Vector.Abs(next), flushBelow), Vector<float>.Zero, next);
                w[i] += m[i];
            }
        }
        else
        {
            for (int i = 0; i < w.Length; i++)
            {
                w[i] += minusLr * ((g[i] * rescale) + (decay * w[i]));
            }
        }

        for (int i = vectorized; i < weight.Length; i++)
        {
            float step = -lr * ((gradient[i] * RescaleGrad) + (weightDecay * weight[i]));
            if (Momentum > 0)
            {
                state[i] = Flushed((Momentum * state[i]) + step);
                step = state[i];
            }

            weight[i] += step;
        }
    }
}

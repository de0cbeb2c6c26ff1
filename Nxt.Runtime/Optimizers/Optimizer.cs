using System;

namespace Nxt;

/// <summary>
/// Updates one parameter from its gradient. As in MXNet, the gradient is first multiplied by
/// <see cref="RescaleGrad"/> (set to 1/batch size by <c>Module.InitOptimizer</c>) and then
/// clipped to ±<see cref="ClipGradient"/> when that is positive.
/// </summary>
public abstract class Optimizer
{
    private float _learningRate;

    /// <summary>Sets the learning rate.</summary>
    protected Optimizer(float learningRate) => LearningRate = learningRate;

    /// <summary>The step size.</summary>
    public float LearningRate
    {
        get => _learningRate;
        set => _learningRate = value > 0 && float.IsFinite(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "The learning rate must be positive and finite.");
    }

    /// <summary>L2 weight decay. As in MXNet it applies to <c>_weight</c> and <c>_gamma</c> parameters only.</summary>
    public float WeightDecay { get; set; }

    /// <summary>Multiplies every gradient before use (1/batch size after <c>InitOptimizer</c>).</summary>
    public float RescaleGrad { get; set; } = 1f;

    /// <summary>Clips each rescaled gradient element to ±this value; off when not positive.</summary>
    public float ClipGradient { get; set; } = -1f;

    /// <summary>How many floats of state a parameter of <paramref name="parameterLength"/> floats needs.</summary>
    public abstract int StateLength(int parameterLength);

    /// <summary>
    /// One update of <paramref name="weight"/> given its raw gradient; <paramref name="weightDecay"/>
    /// is this parameter's effective decay (0 for biases).
    /// </summary>
    public abstract void Update(Span<float> weight, ReadOnlySpan<float> gradient, Span<float> state, float weightDecay);

    /// <summary>The rescaled, clipped gradient element.</summary>
    protected float Prepare(float gradient)
    {
        float g = gradient * RescaleGrad;
        return ClipGradient > 0 ? Math.Clamp(g, -ClipGradient, ClipGradient) : g;
    }

    /// <summary>The decay multiplier MXNet gives a parameter by its name.</summary>
    internal static float WeightDecayMultiplier(string parameterName)
        => parameterName.EndsWith("_weight", StringComparison.Ordinal) || parameterName.EndsWith("_gamma", StringComparison.Ordinal) ? 1f : 0f;
}

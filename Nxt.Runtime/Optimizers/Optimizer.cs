using System;
using System.Collections.Generic;

namespace Nxt;

/// <summary>
/// Updates parameters from their gradients. As in MXNet, each gradient is first multiplied by
/// <see cref="RescaleGrad"/> (set to 1/batch size by <c>Module.InitOptimizer</c>) and clipped
/// to ±<see cref="ClipGradient"/> when that is positive. The learning rate of an update is
/// <see cref="LearningRate"/>, or the <see cref="Schedule"/>'s rate at <see cref="UpdateCount"/>,
/// times the parameter's multiplier; weight decay likewise.
/// </summary>
public abstract partial class Optimizer
{
    private float _learningRate;

    /// <summary>Sets the learning rate.</summary>
    protected Optimizer(float learningRate) => LearningRate = learningRate;

    /// <summary>The base step size.</summary>
    public float LearningRate
    {
        get => _learningRate;
        set => _learningRate = value > 0 && float.IsFinite(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "The learning rate must be positive and finite.");
    }

    /// <summary>L2 weight decay. By MXNet's default it applies to <c>_weight</c> and <c>_gamma</c> parameters only.</summary>
    public float WeightDecay { get; set; }

    /// <summary>Multiplies every gradient before use (1/batch size after <c>InitOptimizer</c>).</summary>
    public float RescaleGrad { get; set; } = 1f;

    /// <summary>Clips each rescaled gradient element to ±this value; off when not positive.</summary>
    public float ClipGradient { get; set; } = -1f;

    /// <summary>A learning-rate schedule over updates; null for a constant <see cref="LearningRate"/>.</summary>
    public LearningRateSchedule? Schedule { get; set; }

    /// <summary>Per-parameter learning-rate multipliers by name (MXNet <c>set_lr_mult</c>); others use 1.</summary>
    public Dictionary<string, float> LearningRateMultipliers { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Per-parameter weight-decay multipliers by name (MXNet <c>set_wd_mult</c>); others use MXNet's
    /// rule: 1 for <c>_weight</c> and <c>_gamma</c>, 0 for the rest (biases, betas).
    /// </summary>
    public Dictionary<string, float> WeightDecayMultipliers { get; } = new(StringComparer.Ordinal);

    /// <summary>How many updates have been made (MXNet <c>num_update</c>): 1 during the first.</summary>
    public int UpdateCount { get; set; }

    /// <summary>The learning rate of the current update, before the parameter's multiplier.</summary>
    public float CurrentLearningRate => Schedule?.Rate(Math.Max(UpdateCount, 1), LearningRate) ?? LearningRate;

    /// <summary>How many floats of state a parameter of <paramref name="parameterLength"/> floats needs.</summary>
    public abstract int StateLength(int parameterLength);

    /// <summary>
    /// One update of <paramref name="weight"/> from its raw gradient, with this parameter's
    /// effective <paramref name="learningRate"/> and <paramref name="weightDecay"/>.
    /// </summary>
    public abstract void Update(Span<float> weight, ReadOnlySpan<float> gradient, Span<float> state, float learningRate, float weightDecay);

    /// <summary>
    /// Whether <see cref="Update"/> treats every element on its own, with at most one float of state
    /// per element at the element's index (<see cref="StateLength"/> is 0 or the parameter's
    /// length): then a slice of a parameter, its gradient and its state is an update of its own, and
    /// a large parameter's update is split over the CPU's cores.
    /// </summary>
    internal virtual bool UpdatesElementwise => false;

    /// <summary>Starts an update of every parameter: counts it, for schedules and bias corrections.</summary>
    public void BeginUpdate() => UpdateCount++;

    /// <summary>
    /// Running states (momentum, moment estimates) smaller than this are stored as zero. A state
    /// whose gradient has gone to zero decays geometrically through float's subnormal range, where
    /// x86 takes a microcode assist on every multiply (tens to hundreds of cycles): an MLP trained
    /// on one batch slowed from 100 to 420 µs a step once its SGD momentum had decayed that far.
    /// Hardware would flush them with FTZ/DAZ, which .NET cannot set; a state this small moves no
    /// weight above 1e-23 by a single ulp, so the update is unchanged where it can be seen.
    /// </summary>
    protected const float FlushBelow = 1e-30f;

    /// <summary><paramref name="state"/>, or zero when it is below <see cref="FlushBelow"/>.</summary>
    protected static float Flushed(float state) => MathF.Abs(state) < FlushBelow ? 0f : state;

    /// <summary>The rescaled, clipped gradient element.</summary>
    protected float Prepare(float gradient)
    {
        float g = gradient * RescaleGrad;
        return ClipGradient > 0 ? Math.Clamp(g, -ClipGradient, ClipGradient) : g;
    }

    /// <summary>The rescaled gradient plus decay, then clipped: the order MXNet's adaptive optimizers use.</summary>
    protected float PrepareWithDecay(float gradient, float weight, float weightDecay)
    {
        float g = (gradient * RescaleGrad) + (weightDecay * weight);
        return ClipGradient > 0 ? Math.Clamp(g, -ClipGradient, ClipGradient) : g;
    }

    /// <summary>The learning-rate multiplier of a parameter.</summary>
    internal float LearningRateMultiplier(string parameterName)
        => LearningRateMultipliers.TryGetValue(parameterName, out float value) ? value : 1f;

    /// <summary>The weight-decay multiplier of a parameter: set, or MXNet's rule by name.</summary>
    internal float WeightDecayMultiplier(string parameterName)
        => WeightDecayMultipliers.TryGetValue(parameterName, out float value) ? value : DefaultWeightDecayMultiplier(parameterName);

    /// <summary>MXNet's default: decay <c>_weight</c> and <c>_gamma</c> parameters only.</summary>
    internal static float DefaultWeightDecayMultiplier(string parameterName)
        => parameterName.EndsWith("_weight", StringComparison.Ordinal) || parameterName.EndsWith("_gamma", StringComparison.Ordinal) ? 1f : 0f;
}

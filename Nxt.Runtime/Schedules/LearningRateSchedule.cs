using System;
using System.Collections.Generic;

namespace Nxt;

/// <summary>
/// A learning rate as a function of the update count (MXNet <c>lr_scheduler</c>), with an
/// optional linear warm-up: for the first <see cref="WarmupSteps"/> updates the rate rises
/// linearly from <see cref="WarmupBeginRate"/> to the schedule's rate at the warm-up's end.
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>Updates of linear warm-up (0: none).</summary>
    public int WarmupSteps { get; init; }

    /// <summary>The rate at the first update of the warm-up.</summary>
    public float WarmupBeginRate { get; init; }

    /// <summary>The rate for update <paramref name="update"/> (1 for the first) from the optimizer's base rate.</summary>
    public float Rate(int update, float baseRate)
    {
        if (update < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(update), update, "Updates count from 1.");
        }

        if (update <= WarmupSteps)
        {
            float end = RateAfterWarmup(WarmupSteps, baseRate);
            return WarmupBeginRate + ((end - WarmupBeginRate) * update / WarmupSteps);
        }

        return RateAfterWarmup(update, baseRate);
    }

    /// <summary>The schedule itself.</summary>
    protected abstract float RateAfterWarmup(int update, float baseRate);
}

/// <summary>MXNet <c>FactorScheduler</c>: the rate times <c>factor</c> every <c>step</c> updates, never below <c>stopFactorRate</c>.</summary>
public sealed class FactorSchedule(int step, float factor = 1f, float stopFactorRate = 1e-8f) : LearningRateSchedule
{
    /// <inheritdoc/>
    protected override float RateAfterWarmup(int update, float baseRate)
    {
        if (step < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, "FactorSchedule needs a step of at least 1 update.");
        }

        return MathF.Max(baseRate * MathF.Pow(factor, (update - 1) / step), stopFactorRate);
    }
}

/// <summary>MXNet <c>MultiFactorScheduler</c>: the rate times <c>factor</c> after each of the given update counts.</summary>
public sealed class MultiFactorSchedule : LearningRateSchedule
{
    private readonly int[] _steps;
    private readonly float _factor;

    /// <summary>Steps must increase.</summary>
    public MultiFactorSchedule(IReadOnlyList<int> steps, float factor = 1f)
    {
        for (int i = 1; i < steps.Count; i++)
        {
            if (steps[i] <= steps[i - 1])
            {
                throw new ArgumentException($"MultiFactorSchedule steps must increase, but {steps[i]} follows {steps[i - 1]}.", nameof(steps));
            }
        }

        _steps = [.. steps];
        _factor = factor;
    }

    /// <inheritdoc/>
    protected override float RateAfterWarmup(int update, float baseRate)
    {
        int passed = 0;
        foreach (int step in _steps)
        {
            passed += update > step ? 1 : 0;
        }

        return baseRate * MathF.Pow(_factor, passed);
    }
}

/// <summary>MXNet <c>PolyScheduler</c>: <c>final + (base - final)·(1 - t/maxUpdate)^power</c>, then <c>final</c>.</summary>
public sealed class PolySchedule(int maxUpdate, float power = 2f, float finalRate = 0f) : LearningRateSchedule
{
    /// <inheritdoc/>
    protected override float RateAfterWarmup(int update, float baseRate)
        => update >= maxUpdate ? finalRate : finalRate + ((baseRate - finalRate) * MathF.Pow(1f - ((float)(update - WarmupSteps) / (maxUpdate - WarmupSteps)), power));
}

/// <summary>MXNet <c>CosineScheduler</c>: <c>final + (base - final)·(1 + cos(π·t/maxUpdate))/2</c>, then <c>final</c>.</summary>
public sealed class CosineSchedule(int maxUpdate, float finalRate = 0f) : LearningRateSchedule
{
    /// <inheritdoc/>
    protected override float RateAfterWarmup(int update, float baseRate)
        => update >= maxUpdate ? finalRate : finalRate + ((baseRate - finalRate) * (1f + MathF.Cos(MathF.PI * (update - WarmupSteps) / (maxUpdate - WarmupSteps))) / 2f);
}

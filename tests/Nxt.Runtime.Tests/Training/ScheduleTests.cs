namespace Nxt.Runtime.Tests.Training;

/// <summary>Each schedule's values at chosen updates (MXNet's num_update counts from 1).</summary>
public class ScheduleTests
{
    [Fact]
    public void Factor_multiplies_every_step_updates_and_stops_at_the_floor()
    {
        var schedule = new FactorSchedule(step: 10, factor: 0.5f, stopFactorRate: 0.2f);
        Assert.Equal(1f, schedule.Rate(1, 1f));
        Assert.Equal(1f, schedule.Rate(10, 1f));
        Assert.Equal(0.5f, schedule.Rate(11, 1f));
        Assert.Equal(0.25f, schedule.Rate(21, 1f));
        Assert.Equal(0.2f, schedule.Rate(31, 1f));
    }

    [Fact]
    public void MultiFactor_multiplies_after_each_listed_update()
    {
        var schedule = new MultiFactorSchedule([5, 8], 0.1f);
        Assert.Equal(1f, schedule.Rate(5, 1f));
        Assert.Equal(0.1f, schedule.Rate(6, 1f), 6);
        Assert.Equal(0.01f, schedule.Rate(9, 1f), 6);
        Assert.Throws<ArgumentException>(() => new MultiFactorSchedule([5, 5]));
    }

    [Fact]
    public void Poly_and_cosine_reach_the_final_rate_at_max_update()
    {
        var poly = new PolySchedule(maxUpdate: 100, power: 2, finalRate: 0.1f);
        Assert.Equal(0.1f + (0.9f * 0.25f), poly.Rate(50, 1f), 6);
        Assert.Equal(0.1f, poly.Rate(100, 1f), 6);
        var cosine = new CosineSchedule(maxUpdate: 100);
        Assert.Equal(0.5f, cosine.Rate(50, 1f), 6);
        Assert.Equal(0f, cosine.Rate(100, 1f), 6);
        Assert.Equal(1f, cosine.Rate(1, 1f), 3);
    }

    [Fact]
    public void Warmup_rises_linearly_to_the_schedule()
    {
        var schedule = new CosineSchedule(maxUpdate: 110) { WarmupSteps = 10, WarmupBeginRate = 0f };
        Assert.Equal(0.1f, schedule.Rate(1, 1f), 6);
        Assert.Equal(0.5f, schedule.Rate(5, 1f), 6);
        Assert.Equal(1f, schedule.Rate(10, 1f), 6);
        Assert.Equal(0.5f, schedule.Rate(60, 1f), 5); // halfway through the cosine after warm-up
    }
}

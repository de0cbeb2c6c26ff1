using Nxt.Cpu;

namespace Nxt.Runtime.Tests.Kernels;

/// <summary>The batch-1 product's choice between splitting and running alone, fed simulated timings.</summary>
public class SplitChoiceTests
{
    // Runs calls whose timed ones cost what each way costs now; returns how many of them split.
    private static int Run(ref SplitChoice choice, int calls, long splitTicks, long aloneTicks)
    {
        int splits = 0;
        for (int i = 0; i < calls; i++)
        {
            bool split = choice.Next(out bool timed);
            splits += split ? 1 : 0;
            if (timed)
            {
                choice.Record(split, split ? splitTicks : aloneTicks, work: 1);
            }
        }

        return splits;
    }

    [Fact]
    public void Splits_while_splitting_is_faster_and_probes_the_other_way_in_short_runs()
    {
        var choice = default(SplitChoice);
        Assert.True(choice.PrefersSplit);
        Run(ref choice, SplitChoice.ProbeInterval, splitTicks: 10, aloneTicks: 20);
        Assert.Equal(SplitChoice.ProbeInterval - SplitChoice.ProbeLength, Run(ref choice, SplitChoice.ProbeInterval, 10, 20));
        Assert.True(choice.PrefersSplit);
    }

    [Fact]
    public void Runs_alone_once_its_probes_measure_it_faster_and_returns_when_splitting_is_faster_again()
    {
        var choice = default(SplitChoice);
        Run(ref choice, SplitChoice.ProbeInterval, splitTicks: 20, aloneTicks: 10); // the first probing run finds alone faster
        Assert.False(choice.PrefersSplit);
        Assert.Equal(SplitChoice.ProbeLength, Run(ref choice, SplitChoice.ProbeInterval, 20, 10)); // only the probing run splits

        Run(ref choice, 3 * SplitChoice.ProbeInterval, splitTicks: 10, aloneTicks: 20); // the host moved the vCPUs near again
        Assert.True(choice.PrefersSplit);
        Assert.Equal(SplitChoice.ProbeInterval - SplitChoice.ProbeLength, Run(ref choice, SplitChoice.ProbeInterval, 10, 20));
    }

    [Fact]
    public void One_preempted_call_does_not_flip_the_choice()
    {
        var choice = default(SplitChoice);
        Run(ref choice, 2 * SplitChoice.ProbeInterval, splitTicks: 10, aloneTicks: 13); // 3.5 against 4.5 µs on Zen 4
        Assert.True(choice.PrefersSplit);
        choice.Record(split: true, ticks: 1000, work: 1);
        Assert.True(choice.PrefersSplit);
    }
}

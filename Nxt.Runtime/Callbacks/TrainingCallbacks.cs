using System;
using Nxt.Checkpoints;

namespace Nxt;

/// <summary>Ready-made epoch-end callbacks (MXNet <c>mx.callback</c>).</summary>
public static class TrainingCallbacks
{
    /// <summary>
    /// MXNet <c>do_checkpoint</c>: saves <c>prefix-symbol.json</c> and <c>prefix-NNNN.params</c>
    /// (NNNN = epoch + 1, as MXNet numbers them) every <paramref name="period"/> epochs, in
    /// <paramref name="format"/> (safetensors, or MXNet's NDArray list for <c>mx.nd.load</c>); in a
    /// data-parallel job, on rank 0 only (every worker holds the same parameters).
    /// </summary>
    public static Action<EpochEndParam> Checkpoint(string prefix, int period = 1, CheckpointFormat format = CheckpointFormat.SafeTensors)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        if (period < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(period), period, "The checkpoint period must be at least 1 epoch.");
        }

        return end =>
        {
            if ((end.Epoch + 1) % period == 0 && end.Module.IsLeadWorker)
            {
                end.Module.SaveCheckpoint(prefix, end.Epoch + 1, format: format);
            }
        };
    }
}

/// <summary>Whether a larger or a smaller metric value is better.</summary>
public enum MetricGoal
{
    /// <summary>Accuracy, F1: larger is better.</summary>
    Maximize,
    /// <summary>Losses, errors, perplexity: smaller is better.</summary>
    Minimize,
}

/// <summary>
/// Stops <c>Fit</c> when the validation metric (or the training metric, without validation data)
/// has not improved by more than <see cref="MinDelta"/> for <see cref="Patience"/> epochs.
/// </summary>
public sealed class EarlyStopping(int patience = 3, double minDelta = 0, MetricGoal goal = MetricGoal.Maximize)
{
    private int _epochsWithoutImprovement;

    /// <summary>Epochs without improvement before stopping.</summary>
    public int Patience { get; } = patience >= 1 ? patience : throw new ArgumentOutOfRangeException(nameof(patience), patience, "Patience must be at least 1 epoch.");

    /// <summary>The improvement that counts.</summary>
    public double MinDelta { get; } = minDelta;

    /// <summary>The best value so far, or NaN before the first epoch.</summary>
    public double Best { get; private set; } = double.NaN;

    /// <summary>The epoch of <see cref="Best"/>.</summary>
    public int BestEpoch { get; private set; } = -1;

    /// <summary>True once it asked <c>Fit</c> to stop.</summary>
    public bool Stopped { get; private set; }

    /// <summary>Call at every epoch end (pass it as <c>epochEndCallback</c>).</summary>
    public void OnEpochEnd(EpochEndParam end)
    {
        double value = end.ValidationMetric ?? end.TrainMetric;
        bool improved = double.IsNaN(Best) || (goal == MetricGoal.Maximize ? value > Best + MinDelta : value < Best - MinDelta);
        if (improved)
        {
            (Best, BestEpoch, _epochsWithoutImprovement) = (value, end.Epoch, 0);
            return;
        }

        if (++_epochsWithoutImprovement >= Patience)
        {
            Stopped = true;
            end.Module.StopTraining();
        }
    }
}

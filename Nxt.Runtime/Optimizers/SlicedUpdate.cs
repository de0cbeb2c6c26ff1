using System;
using Nxt.Cpu;

namespace Nxt;

/// <summary>
/// One parameter's optimizer update split over the CPU workers. For an optimizer that treats
/// every element on its own (<see cref="Optimizer.UpdatesElementwise"/>) a slice of the weight,
/// its gradient and its state is an update of its own; slices start at multiples of 64 floats,
/// so each worker's vector loop covers the elements one whole call would give it, and the
/// parameters come out bit-identical. The update is a pass over memory: a 100 K-float weight
/// took 10 % of an MLP's training step on one core. The module splits it only while the workers
/// are awake from the step's parallel products (<see cref="CpuWorkers.WorkersAwake"/>).
/// </summary>
internal sealed class SlicedUpdate : IParallelWork
{
    /// <summary>Below this many floats an update takes a few microseconds: not worth waking a core.</summary>
    public const int MinParallelLength = 1 << 15;

    private const int Alignment = 64;

    private Optimizer? _optimizer;
    private float[] _weights = [];
    private float[] _gradients = [];
    private float[] _state = [];
    private int _offset, _stateOffset, _length;
    private bool _hasState;
    private float _learningRate, _weightDecay;

    /// <summary>
    /// <c>optimizer.Update</c> of the parameter at <paramref name="offset"/> (its state at
    /// <paramref name="stateOffset"/>, one float per element, or none), over the workers.
    /// </summary>
    public void Run(Optimizer optimizer, float[] weights, float[] gradients, int offset, int length, float[] state, int stateOffset, float learningRate, float weightDecay)
    {
        _optimizer = optimizer;
        (_weights, _gradients, _state) = (weights, gradients, state);
        (_offset, _length, _stateOffset) = (offset, length, stateOffset);
        _hasState = optimizer.StateLength(length) > 0;
        (_learningRate, _weightDecay) = (learningRate, weightDecay);
        try
        {
            CpuWorkers.Run(this, Math.Min(CpuWorkers.Parallelism, length / MinParallelLength));
        }
        finally
        {
            _optimizer = null;
            (_weights, _gradients, _state) = ([], [], []);
        }
    }

    void IParallelWork.Run(int part, int partCount)
    {
        (int start, int end) = CpuWorkers.PartRange(_length, Alignment, part, partCount);
        if (start >= end)
        {
            return;
        }

        _optimizer!.Update(
            _weights.AsSpan(_offset + start, end - start),
            _gradients.AsSpan(_offset + start, end - start),
            _hasState ? _state.AsSpan(_stateOffset + start, end - start) : Span<float>.Empty,
            _learningRate,
            _weightDecay);
    }
}

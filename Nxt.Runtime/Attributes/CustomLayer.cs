using System;

namespace Nxt;

/// <summary>
/// A user-defined operator with several inputs, learned parameters and, for a loss, a label
/// (MXNet's <c>CustomOp</c> with its <c>list_arguments</c>, and <c>need_top_grad=False</c> for a
/// loss): the forward and backward passes over a whole batch, row-major, batch first. Its
/// <see cref="CustomOperatorAttribute"/> declares the inputs, the parameters' shapes and the
/// label; the module makes one instance per node with the parameterless constructor.
/// </summary>
public interface ICustomLayer
{
    /// <summary>Computes <paramref name="output"/> from the inputs (declaration order) and the parameters (the attribute's order).</summary>
    void Forward(SpanList inputs, SpanList parameters, Span<float> output, int batchSize, bool isTrain);

    /// <summary>
    /// Writes the gradient of the loss with respect to every input and every parameter (overwrite
    /// them: the plan adds where it must). For a loss (<see cref="CustomOperatorAttribute.Label"/>),
    /// <paramref name="outputGradient"/> is empty and <paramref name="label"/> holds the batch's
    /// labels; otherwise <paramref name="label"/> is empty.
    /// </summary>
    void Backward(SpanList inputs, SpanList parameters, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> label, SpanList inputGradients, SpanList parameterGradients, int batchSize);
}

/// <summary>
/// Up to four spans in argument order, as a custom layer receives its inputs, parameters and
/// their gradients: a value type over the plan's buffers, so a call allocates nothing.
/// </summary>
public readonly ref struct SpanList
{
    /// <summary>The most spans a list holds: a custom layer takes at most this many inputs and parameters.</summary>
    public const int MaxCount = 4;

    private readonly Span<float> _first;
    private readonly Span<float> _second;
    private readonly Span<float> _third;
    private readonly Span<float> _fourth;

    /// <summary>Called by generated code: the spans in order, <paramref name="count"/> of them.</summary>
    public SpanList(int count, Span<float> first = default, Span<float> second = default, Span<float> third = default, Span<float> fourth = default)
    {
        if (count < 0 || count > MaxCount)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"A span list holds 0 to {MaxCount} spans.");
        }

        Count = count;
        _first = first;
        _second = second;
        _third = third;
        _fourth = fourth;
    }

    /// <summary>How many spans the list holds.</summary>
    public int Count { get; }

    /// <summary>Span <paramref name="index"/>, in argument order.</summary>
    public Span<float> this[int index] => (uint)index >= (uint)Count
        ? throw new ArgumentOutOfRangeException(nameof(index), index, $"The list holds {Count} span(s).")
        : index switch
        {
            0 => _first,
            1 => _second,
            2 => _third,
            _ => _fourth,
        };
}

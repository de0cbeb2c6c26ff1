using System;

namespace Nxt;

/// <summary>
/// A user-defined operator (MXNet <c>CustomOp</c>): the forward and backward passes over a
/// whole batch, row-major, batch first. It has no learned parameters. The module makes one
/// instance per node with the parameterless constructor.
/// </summary>
public interface ICustomOperator
{
    /// <summary>Computes <paramref name="output"/> from <paramref name="input"/> for <paramref name="batchSize"/> samples.</summary>
    void Forward(ReadOnlySpan<float> input, Span<float> output, int batchSize, bool isTrain);

    /// <summary>Writes the gradient of the loss with respect to <paramref name="input"/> (overwrite it; the plan adds where it must).</summary>
    void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batchSize);
}

/// <summary>
/// The shape rule of an <see cref="ICustomOperator"/>, checked at build time: the rank of one
/// input sample it accepts (0: any) and its output sample shape, in codes: 0 copies the input's
/// dimension at that position, a positive number is a fixed size. No codes: the input's shape.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class CustomOperatorAttribute : Attribute
{
    /// <summary>The rank of one input sample the operator accepts; 0 for any.</summary>
    public int InputRank { get; set; }

    /// <summary>The output sample shape codes; empty for the input's shape.</summary>
    public int[] OutputShape { get; set; } = [];
}

/// <summary>Uses the custom operator <typeparamref name="TOperator"/> as a layer.</summary>
/// <typeparam name="TOperator">A class implementing <see cref="ICustomOperator"/>, marked <see cref="CustomOperatorAttribute"/>.</typeparam>
public sealed class CustomAttribute<TOperator> : LayerAttribute
    where TOperator : ICustomOperator, new()
{
}

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
/// The shape rule of an <see cref="ICustomOperator"/> or <see cref="ICustomLayer"/>, checked at
/// build time: the rank of the first input's sample it accepts (0: any) and its output sample
/// shape, in codes: 0 copies the first input's dimension at that position, a positive number is
/// a fixed size. No codes: the first input's shape. An <see cref="ICustomLayer"/> also declares
/// how many <see cref="Inputs"/> it reads, its learned <see cref="Parameters"/>, and whether it is
/// a loss with a <see cref="Label"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class CustomOperatorAttribute : Attribute
{
    /// <summary>The rank of one input sample the operator accepts; 0 for any.</summary>
    public int InputRank { get; set; }

    /// <summary>The output sample shape codes; empty for the input's shape.</summary>
    public int[] OutputShape { get; set; } = [];

    /// <summary>How many data inputs an <see cref="ICustomLayer"/> reads (1 to 4), named by the node's attribute.</summary>
    public int Inputs { get; set; } = 1;

    /// <summary>
    /// An <see cref="ICustomLayer"/>'s learned parameters, each <c>"name:shape"</c> with the shape's
    /// dimensions joined by <c>x</c> (<c>"weight:4x3"</c>, <c>"bias:4"</c>); the node's parameter is
    /// <c>NODE_name</c>, initialised by MXNet's suffix rules.
    /// </summary>
    public string[] Parameters { get; set; } = [];

    /// <summary>
    /// True for a loss (MXNet's <c>need_top_grad=False</c>): the layer gets the label argument
    /// <c>NODE_label</c> and no output gradient, and nothing may read it.
    /// </summary>
    public bool Label { get; set; }

    /// <summary>The shape of one sample's label; empty (the default) for one value per sample, a class index.</summary>
    public int[] LabelShape { get; set; } = [];
}

/// <summary>
/// Uses the custom operator <typeparamref name="TOperator"/> as a layer: of the node above, or
/// of the nodes <see cref="Inputs"/> names (an <see cref="ICustomLayer"/> of several inputs).
/// </summary>
/// <typeparam name="TOperator">A class implementing <see cref="ICustomOperator"/> or <see cref="ICustomLayer"/>, marked <see cref="CustomOperatorAttribute"/>.</typeparam>
public sealed class CustomAttribute<TOperator> : LayerAttribute
    where TOperator : class, new()
{
    /// <summary>Names the input nodes (none: the node above, or <c>From</c>).</summary>
    public CustomAttribute(params string[] inputs) => Inputs = inputs;

    /// <summary>The input nodes, in the operator's argument order.</summary>
    public string[] Inputs { get; }
}

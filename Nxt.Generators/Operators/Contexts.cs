using System.Collections.Generic;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Plans;

namespace Nxt.Generators.Operators;

/// <summary>What a shape rule reads (the node and its inputs) and how it answers.</summary>
internal sealed class InferenceContext
{
    private readonly List<GraphError> _errors;

    public InferenceContext(int index, NodeSpec node, IReadOnlyList<InferredNode> inputs, List<GraphError> errors)
    {
        Index = index;
        Node = node;
        Inputs = inputs;
        _errors = errors;
    }

    public int Index { get; }

    public NodeSpec Node { get; }

    public string Name => Node.Name;

    public IReadOnlyList<InferredNode> Inputs { get; }

    /// <summary>The first input's sample shape.</summary>
    public EquatableArray<int> X => Inputs[0].Shape;

    public InferredNode Make(EquatableArray<int> shape, IReadOnlyList<ParameterInfo>? parameters = null, IReadOnlyList<ParameterInfo>? auxiliaryStates = null, ScratchNeeds? scratch = null)
    {
        var from = new int[Inputs.Count];
        for (int i = 0; i < from.Length; i++)
        {
            from[i] = Inputs[i].Index;
        }

        return new InferredNode(Index, Node, from, shape, parameters ?? System.Array.Empty<ParameterInfo>(), auxiliaryStates, scratch);
    }

    /// <summary>Reports a shape mismatch; returns null.</summary>
    public InferredNode? Fail(string message) => Fail(ErrorCode.ShapeMismatch, null, message);

    /// <summary>Reports an error at an argument of the attribute; returns null.</summary>
    public InferredNode? Fail(ErrorCode code, string? argument, string message)
    {
        _errors.Add(new GraphError(code, Index, argument, message));
        return null;
    }
}

/// <summary>A node's forward step: the node, its inputs, and their buffers.</summary>
internal sealed class ForwardContext
{
    public ForwardContext(InferredNode node, IReadOnlyList<InferredNode> inputs)
    {
        Node = node;
        Inputs = inputs;
    }

    public InferredNode Node { get; }

    public IReadOnlyList<InferredNode> Inputs { get; }

    /// <summary>The first input's buffer.</summary>
    public Arg X => Buffers.Out(Inputs[0]);

    /// <summary>The node's output buffer.</summary>
    public Arg Y => Buffers.Out(Node);
}

/// <summary>
/// A node's backward step: which inputs want a gradient in this plan (<see cref="Wanted"/>), and
/// which of those buffers a later reader already wrote, so this step adds (<see cref="Accumulate"/>).
/// </summary>
internal sealed class BackwardContext
{
    public BackwardContext(InferredNode node, IReadOnlyList<InferredNode> inputs, IReadOnlyList<bool> wanted, IReadOnlyList<bool> accumulate)
    {
        Node = node;
        Inputs = inputs;
        Wanted = wanted;
        Accumulate = accumulate;
    }

    public InferredNode Node { get; }

    public IReadOnlyList<InferredNode> Inputs { get; }

    public IReadOnlyList<bool> Wanted { get; }

    public IReadOnlyList<bool> Accumulate { get; }

    public Arg X => Buffers.Out(Inputs[0]);

    public Arg Y => Buffers.Out(Node);

    public Arg Dx => Buffers.Grad(Inputs[0]);

    public Arg Dy => Buffers.Grad(Node);

    /// <summary>Whether the first input's gradient is computed at all in this plan.</summary>
    public bool WantsInput => Wanted[0];

    /// <summary>The run-time flag of the first input's gradient.</summary>
    public Arg WantX => Buffers.Wanted(Inputs[0]);

    /// <summary><c>accumulate: true|false</c> for the first input's gradient.</summary>
    public Arg Acc => Arg.Bool(Accumulate[0]).Named("accumulate");

    /// <summary>Input <paramref name="i"/>'s accumulate flag.</summary>
    public Arg AccumulateInput(int i) => Arg.Bool(Accumulate[i]).Named("accumulate");

    /// <summary>
    /// Whether the first input is a fused relu's output that only this node reads, and this
    /// node's backward applies the relu's derivative as it writes the input's gradient (the relu's
    /// group then skips it): a max pooling's.
    /// </summary>
    public bool AppliesInputRelu { get; init; }
}

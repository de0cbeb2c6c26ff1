using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Model;

namespace Nxt.Generators.Operators.Onnx;

/// <summary>A node's conversion: the node, the values it reads (its inputs, then its parameters and auxiliary states), and the graph to write.</summary>
internal sealed class OnnxContext
{
    public OnnxContext(OnnxGraphBuilder graph, InferredNode node, IReadOnlyList<InferredNode> inputs)
    {
        Graph = graph;
        Node = node;
        Inputs = inputs;
    }

    public OnnxGraphBuilder Graph { get; }

    public InferredNode Node { get; }

    public IReadOnlyList<InferredNode> Inputs { get; }

    /// <summary>The node's output value: its name.</summary>
    public string Name => Node.Name;

    /// <summary>The first input's value.</summary>
    public string X => Inputs[0].Name;

    /// <summary>The first input's rank, batch included.</summary>
    public int InputRank => Inputs[0].Shape.Count + 1;

    /// <summary>The inputs, then the parameters and auxiliary states, in MXNet's argument order.</summary>
    public IEnumerable<string> AllInputs => Inputs.Select(i => i.Name).Concat(Node.Parameters.Concat(Node.AuxiliaryStates).Select(p => p.Name));

    /// <summary>The usual case: one node of <paramref name="op"/> over all inputs, writing the node's value.</summary>
    public void Single(string op, params OnnxAttribute[] attributes) => Graph.Node(op, AllInputs, Name, attributes);
}

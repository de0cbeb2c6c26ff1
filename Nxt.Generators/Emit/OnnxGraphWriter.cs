using System.Linq;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Onnx;

namespace Nxt.Generators.Emit;

/// <summary>
/// The network's ONNX graph for inference, from each operator's descriptor: the text the
/// runtime's <c>ExportOnnx</c> serialises (it adds the parameters and auxiliary states as
/// initializers, and the inputs and outputs with a symbolic batch dimension).
/// </summary>
internal static class OnnxGraphWriter
{
    public static string Write(InferredGraph graph)
    {
        var builder = new OnnxGraphBuilder();
        foreach (var node in graph.Nodes)
        {
            node.Operator.Onnx(new OnnxContext(builder, node, node.Inputs.Select(i => graph.Nodes[i]).ToList()));
        }

        return builder.ToJson(graph.Nodes.Where(n => n.Op == OpKind.Input).Select(n => n.Name), graph.Outputs.Select(o => graph.Nodes[o].Name));
    }
}

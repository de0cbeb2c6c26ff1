using System.Linq;
using System.Text;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Planning;

namespace Nxt.Generators.Emit;

/// <summary>
/// The graph in Graphviz's dot language: one box per node (name, operator, output shape), one
/// edge per input, and a dashed cluster around each fused group (the nodes one kernel runs).
/// </summary>
internal static class DotWriter
{
    public static string Write(InferredGraph graph, FusionPlan fusion)
    {
        var dot = new StringBuilder();
        dot.Append("digraph ").Append(graph.Spec.ClassName).Append(" {\n");
        dot.Append("  rankdir=TB;\n");
        dot.Append("  node [shape=box, style=\"rounded,filled\", fillcolor=\"#eef2f8\", fontname=\"Helvetica\"];\n");
        foreach (var node in graph.Nodes)
        {
            string color = node.IsLoss ? ", fillcolor=\"#f8e8e8\"" : node.Op == OpKind.Input ? ", fillcolor=\"#e8f4e8\"" : string.Empty;
            dot.Append("  ").Append(Id(node)).Append(" [label=\"").Append(node.Name).Append("\\n")
                .Append(NetworkEmitter.Describe(node).Replace("\"", "\\\"")).Append("\\n").Append(Shapes.Batched(node.Shape))
                .Append('"').Append(color).Append("];\n");
        }

        int cluster = 0;
        foreach (var group in fusion.Groups.Where(g => g.IsFused))
        {
            dot.Append("  subgraph cluster_").Append(cluster++).Append(" {\n")
                .Append("    label=\"").Append(group.Label(graph)).Append(": one kernel\";\n")
                .Append("    style=dashed; color=\"#7a8aa8\"; fontname=\"Helvetica\";\n");
            foreach (int member in group.Members)
            {
                dot.Append("    ").Append(Id(graph.Nodes[member])).Append(";\n");
            }

            dot.Append("  }\n");
        }

        foreach (var node in graph.Nodes)
        {
            foreach (var input in node.Inputs.Distinct())
            {
                dot.Append("  ").Append(Id(graph.Nodes[input])).Append(" -> ").Append(Id(node)).Append(";\n");
            }
        }

        return dot.Append('}').ToString();
    }

    // Node names are C# identifiers, valid dot identifiers once quoted.
    private static string Id(InferredNode node) => "\"" + node.Name + "\"";
}

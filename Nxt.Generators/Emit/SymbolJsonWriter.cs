using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Operators;

namespace Nxt.Generators.Emit;

/// <summary>
/// The graph in MXNet's symbol-JSON layout (<c>prefix-symbol.json</c>): variables as
/// <c>"op": "null"</c> nodes placed just before the operator that first uses them,
/// <c>arg_nodes</c>, <c>node_row_ptr</c> and <c>heads</c>, with MXNet's operator and
/// attribute names.
/// </summary>
internal static class SymbolJsonWriter
{
    public static string Write(InferredGraph graph)
    {
        var entries = new List<string>();
        var argNodes = new List<int>();
        var jsonIndex = new int[graph.Nodes.Count];
        foreach (var node in graph.Nodes)
        {
            if (node.Operator.MxnetName(node.Spec.Params) == "null")
            {
                // A data input or a [Variable]: an argument of its own name; a [Variable]'s shape as MXNet's var(shape=) writes it.
                string? shape = node.Spec.Params is VariableParams variable ? MxnetText.Tuple(variable.Shape) : null;
                jsonIndex[node.Index] = Add(entries, argNodes, Variable(node.Name, shape));
                continue;
            }

            var inputs = node.Inputs.Select(i => jsonIndex[i]).ToList();
            foreach (var p in node.Parameters.Concat(node.AuxiliaryStates))
            {
                inputs.Add(Add(entries, argNodes, Variable(p.Name)));
            }

            if (node.HasLabel)
            {
                inputs.Add(Add(entries, argNodes, Variable(node.LabelName)));
            }

            jsonIndex[node.Index] = entries.Count;
            entries.Add(Operator(node, inputs));
        }

        var json = new StringBuilder();
        json.Append("{\n  \"nodes\": [\n");
        json.Append(string.Join(",\n", entries));
        json.Append("\n  ],\n");
        json.Append("  \"arg_nodes\": [").Append(string.Join(", ", argNodes)).Append("],\n");
        json.Append("  \"node_row_ptr\": [").Append(string.Join(", ", Enumerable.Range(0, entries.Count + 1))).Append("],\n");
        json.Append("  \"heads\": [").Append(string.Join(", ", graph.Outputs.Select(o => $"[{jsonIndex[o]}, 0, 0]"))).Append("],\n");
        json.Append("  \"attrs\": {\"mxnet_version\": [\"int\", 10901]}\n}");
        return json.ToString();
    }

    private static int Add(List<string> entries, List<int> argNodes, string entry)
    {
        argNodes.Add(entries.Count);
        entries.Add(entry);
        return entries.Count - 1;
    }

    private static string Variable(string name, string? shape = null)
    {
        string attrs = shape is null ? string.Empty : $"      \"attrs\": {{\"__shape__\": \"{shape}\"}},\n";
        return $"    {{\n      \"op\": \"null\",\n      \"name\": \"{name}\",\n{attrs}      \"inputs\": []\n    }}";
    }

    private static string Operator(InferredNode node, List<int> inputs)
    {
        var attrs = Attributes(node);
        string attrText = attrs.Count == 0
            ? string.Empty
            : "      \"attrs\": {" + string.Join(", ", attrs.Select(a => $"\"{a.Key}\": \"{a.Value}\"")) + "},\n";
        return $"    {{\n      \"op\": \"{node.Operator.MxnetName(node.Spec.Params)}\",\n      \"name\": \"{node.Name}\",\n{attrText}      \"inputs\": [{string.Join(", ", inputs.Select(i => $"[{i}, 0, 0]"))}]\n    }}";
    }

    /// <summary>The operator's attributes under MXNet's names, e.g. <c>num_hidden</c>.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Attributes(InferredNode node)
    {
        var attributes = new MxnetAttributeList();
        node.Operator.MxnetAttributes(node.Spec.Params, attributes);
        return attributes.Items;
    }
}

using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Nxt.Generators.Graph;

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
            if (node.Op == OpKind.Input)
            {
                jsonIndex[node.Index] = Add(entries, argNodes, Variable(node.Name));
                continue;
            }

            var inputs = new List<int> { jsonIndex[node.Input] };
            foreach (var p in node.Parameters)
            {
                inputs.Add(Add(entries, argNodes, Variable(p.Name)));
            }

            if (node.IsLoss)
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

    private static string Variable(string name)
        => $"    {{\n      \"op\": \"null\",\n      \"name\": \"{name}\",\n      \"inputs\": []\n    }}";

    private static string Operator(InferredNode node, List<int> inputs)
    {
        var attrs = Attributes(node.Spec.Params);
        string attrText = attrs.Count == 0
            ? string.Empty
            : "      \"attrs\": {" + string.Join(", ", attrs.Select(a => $"\"{a.Key}\": \"{a.Value}\"")) + "},\n";
        return $"    {{\n      \"op\": \"{OpName(node.Op)}\",\n      \"name\": \"{node.Name}\",\n{attrText}      \"inputs\": [{string.Join(", ", inputs.Select(i => $"[{i}, 0, 0]"))}]\n    }}";
    }

    public static string OpName(OpKind op) => op.ToString();

    /// <summary>The operator's attributes under MXNet's names, e.g. <c>num_hidden</c>.</summary>
    public static List<KeyValuePair<string, string>> Attributes(OpParams parameters)
    {
        var attrs = new List<KeyValuePair<string, string>>();
        switch (parameters)
        {
            case FullyConnectedParams fc:
                attrs.Add(new("num_hidden", Number(fc.NumHidden)));
                if (fc.NoBias)
                {
                    attrs.Add(new("no_bias", "True"));
                }

                if (!fc.Flatten)
                {
                    attrs.Add(new("flatten", "False"));
                }

                break;
            case ActivationParams act:
                attrs.Add(new("act_type", act.ActType.ToString().ToLowerInvariant()));
                break;
            case DropoutParams dropout:
                attrs.Add(new("p", dropout.P.ToString("R", CultureInfo.InvariantCulture)));
                break;
            case SoftmaxOutputParams softmax when softmax.GradScale != 1.0:
                attrs.Add(new("grad_scale", softmax.GradScale.ToString("R", CultureInfo.InvariantCulture)));
                break;
        }

        return attrs;
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}

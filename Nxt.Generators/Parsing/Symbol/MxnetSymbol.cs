using System.Collections.Generic;
using System.Linq;

namespace Nxt.Generators.Parsing.Symbol;

/// <summary>One entry of an MXNet symbol file's <c>nodes</c>: an operator, or a variable (<c>"op": "null"</c>).</summary>
internal sealed class SymbolNode
{
    public SymbolNode(int index, string name, string op, IReadOnlyDictionary<string, string> attributes, IReadOnlyList<(int Node, int Output)> inputs, int line)
    {
        Index = index;
        Name = name;
        Op = op;
        Attributes = attributes;
        Inputs = inputs;
        Line = line;
    }

    public int Index { get; }

    public string Name { get; }

    public string Op { get; }

    public bool IsVariable => Op == "null";

    public IReadOnlyDictionary<string, string> Attributes { get; }

    /// <summary>Each input: the node it reads and which of that node's outputs.</summary>
    public IReadOnlyList<(int Node, int Output)> Inputs { get; }

    public int Line { get; }
}

/// <summary>
/// An MXNet symbol file read into nodes and heads, whatever layout wrote it: attributes under
/// <c>attrs</c> (1.x), <c>attr</c> (0.9-0.12) or <c>param</c> (0.8, with <c>backward_source_id</c>);
/// inputs as <c>[node, output]</c> or <c>[node, output, version]</c>; <c>heads</c> given or, when
/// left out, the last node. <c>arg_nodes</c> and <c>node_row_ptr</c> are derived data and not needed.
/// </summary>
internal sealed class MxnetSymbol
{
    private MxnetSymbol(List<SymbolNode> nodes, List<(int Node, int Output)> heads)
    {
        Nodes = nodes;
        Heads = heads;
    }

    public IReadOnlyList<SymbolNode> Nodes { get; }

    public IReadOnlyList<(int Node, int Output)> Heads { get; }

    /// <summary>Reads a symbol file's text; a <see cref="JsonException"/> names the line of what is wrong.</summary>
    public static MxnetSymbol Read(string text)
    {
        if (JsonReader.Parse(text) is not JsonObject root)
        {
            throw new JsonException(1, "an MXNet symbol file is a JSON object with \"nodes\" and \"heads\"");
        }

        if (root["nodes"] is not JsonArray nodeArray)
        {
            throw new JsonException(root.Line, "the object has no \"nodes\" array: this is not an MXNet symbol file");
        }

        var nodes = new List<SymbolNode>();
        foreach (var item in nodeArray.Items)
        {
            nodes.Add(Node(item, nodes.Count, nodeArray.Items.Count));
        }

        if (nodes.Count == 0)
        {
            throw new JsonException(nodeArray.Line, "\"nodes\" is empty");
        }

        var heads = root["heads"] is JsonArray headArray
            ? headArray.Items.Select(h => Entry(h, nodes.Count, "a head")).ToList()
            : new List<(int, int)> { (nodes.Count - 1, 0) };
        return new MxnetSymbol(nodes, heads);
    }

    private static SymbolNode Node(JsonValue value, int index, int count)
    {
        if (value is not JsonObject node)
        {
            throw new JsonException(value.Line, $"node {index} is not an object");
        }

        string op = Text(node, "op", index);
        string name = Text(node, "name", index);
        var attributes = new Dictionary<string, string>(System.StringComparer.Ordinal);
        foreach (string key in new[] { "param", "attr", "attrs" })
        {
            if (node[key] is JsonObject values)
            {
                foreach (var member in values.Members)
                {
                    attributes[member.Key] = member.Value is JsonScalar scalar
                        ? scalar.Text
                        : throw new JsonException(member.Value.Line, $"attribute '{member.Key}' of node '{name}' is not a string");
                }
            }
        }

        var inputs = node["inputs"] is JsonArray array
            ? array.Items.Select(i => Entry(i, count, $"an input of node '{name}'")).ToList()
            : new List<(int, int)>();
        foreach (var (input, _) in inputs)
        {
            if (input >= index)
            {
                throw new JsonException(node.Line, $"node '{name}' reads node {input}, which does not come before it: the nodes must be in topological order");
            }
        }

        return new SymbolNode(index, name, op, attributes, inputs, node.Line);
    }

    private static string Text(JsonObject node, string key, int index)
        => node[key] is JsonScalar { IsString: true } scalar ? scalar.Text : throw new JsonException(node.Line, $"node {index} has no string \"{key}\"");

    // [node, output] or [node, output, version].
    private static (int Node, int Output) Entry(JsonValue value, int count, string what)
    {
        if (value is JsonArray { Items.Count: >= 2 } entry
            && entry.Items[0] is JsonScalar first && first.TryInt(out int node)
            && entry.Items[1] is JsonScalar second && second.TryInt(out int output)
            && node >= 0 && node < count && output >= 0)
        {
            return (node, output);
        }

        throw new JsonException(value.Line, $"{what} is not [node, output] with a node index below {count}");
    }
}

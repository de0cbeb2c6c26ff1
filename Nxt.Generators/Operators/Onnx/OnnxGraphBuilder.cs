using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Nxt.Generators.Operators.Onnx;

/// <summary>
/// The ONNX (opset 13) graph of a network as each operator's descriptor writes it: nodes over
/// value names (a node's output is named after the node, a parameter after itself), and the
/// constants the conversions need. It becomes a JSON text in the generated class that the
/// runtime's exporter serialises, adding the parameters as initializers.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    private readonly List<string> _nodes = new();
    private readonly List<string> _constants = new();
    private readonly List<string> _unsupported = new();

    /// <summary>A node: <paramref name="op"/> over <paramref name="inputs"/>, writing <paramref name="output"/>.</summary>
    public void Node(string op, IEnumerable<string> inputs, string output, params OnnxAttribute[] attributes)
        => Node(op, inputs, new[] { output }, attributes);

    /// <summary>A node of several outputs (an LSTM's <c>Y</c>, <c>Y_h</c> and <c>Y_c</c>); the first names it.</summary>
    public void Node(string op, IEnumerable<string> inputs, IReadOnlyList<string> outputs, params OnnxAttribute[] attributes)
    {
        string attributeText = attributes.Length == 0 ? string.Empty : $", \"attributes\": [{string.Join(", ", attributes.Select(a => a.Json))}]";
        string more = outputs.Count == 1 ? string.Empty : $", \"more_outputs\": [{string.Join(", ", outputs.Skip(1).Select(Quote))}]";
        _nodes.Add($"{{\"op\": {Quote(op)}, \"inputs\": [{string.Join(", ", inputs.Select(Quote))}], \"output\": {Quote(outputs[0])}{more}{attributeText}}}");
    }

    /// <summary>A float constant of the given shape (an empty shape is a scalar).</summary>
    public void Floats(string name, IReadOnlyList<int> shape, params double[] values)
        => _constants.Add($"{{\"name\": {Quote(name)}, \"shape\": [{Ints(shape)}], \"floats\": [{string.Join(", ", values.Select(Real))}]}}");

    /// <summary>A float constant of <paramref name="length"/> copies of <paramref name="value"/>.</summary>
    public void Fill(string name, int length, double value)
        => _constants.Add($"{{\"name\": {Quote(name)}, \"shape\": [{length.ToString(CultureInfo.InvariantCulture)}], \"fill\": {Real(value)}}}");

    /// <summary>An int64 vector constant (a shape for Reshape).</summary>
    public void Int64s(string name, IReadOnlyList<int> values)
        => _constants.Add($"{{\"name\": {Quote(name)}, \"shape\": [{values.Count.ToString(CultureInfo.InvariantCulture)}], \"int64s\": [{Ints(values)}]}}");

    /// <summary>The network cannot be exported; the runtime's exporter says why.</summary>
    public void NotExportable(string reason) => _unsupported.Add(reason);

    /// <summary>The graph as the runtime's exporter reads it: its inputs and outputs (the module's, in order), nodes and constants.</summary>
    public string ToJson(IEnumerable<string> inputs, IEnumerable<string> outputs)
    {
        var json = new StringBuilder();
        json.Append("{\n  \"inputs\": [").Append(string.Join(", ", inputs.Select(Quote))).Append("],\n  \"outputs\": [").Append(string.Join(", ", outputs.Select(Quote))).Append("],\n");
        if (_unsupported.Count > 0)
        {
            json.Append("  \"unsupported\": ").Append(Quote(string.Join("; ", _unsupported))).Append(",\n");
        }

        json.Append("  \"nodes\": [\n    ").Append(string.Join(",\n    ", _nodes)).Append("\n  ],\n");
        json.Append("  \"constants\": [").Append(_constants.Count == 0 ? string.Empty : "\n    " + string.Join(",\n    ", _constants) + "\n  ").Append("]\n}");
        return json.ToString();
    }

    internal static string Real(double value) => ((float)value).ToString("R", CultureInfo.InvariantCulture);

    internal static string Ints(IEnumerable<int> values) => string.Join(", ", values.Select(v => v.ToString(CultureInfo.InvariantCulture)));

    // Names are identifiers and ONNX op names: only quotes and backslashes would need escaping.
    internal static string Quote(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}

/// <summary>An ONNX node attribute: an int, a float or a list of ints.</summary>
internal readonly struct OnnxAttribute
{
    private OnnxAttribute(string json) => Json = json;

    public string Json { get; }

    public static OnnxAttribute Int(string name, long value) => new($"{{\"name\": {OnnxGraphBuilder.Quote(name)}, \"int\": {value.ToString(CultureInfo.InvariantCulture)}}}");

    public static OnnxAttribute Float(string name, double value) => new($"{{\"name\": {OnnxGraphBuilder.Quote(name)}, \"float\": {OnnxGraphBuilder.Real(value)}}}");

    public static OnnxAttribute String(string name, string value) => new($"{{\"name\": {OnnxGraphBuilder.Quote(name)}, \"string\": {OnnxGraphBuilder.Quote(value)}}}");

    public static OnnxAttribute Strings(string name, IEnumerable<string> values) => new($"{{\"name\": {OnnxGraphBuilder.Quote(name)}, \"strings\": [{string.Join(", ", values.Select(OnnxGraphBuilder.Quote))}]}}");

    public static OnnxAttribute Ints(string name, IEnumerable<int> values) => new($"{{\"name\": {OnnxGraphBuilder.Quote(name)}, \"ints\": [{OnnxGraphBuilder.Ints(values)}]}}");
}

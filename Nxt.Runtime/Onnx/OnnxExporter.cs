using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Nxt.Onnx;

/// <summary>
/// Writes a module as an ONNX model (opset 13) for inference: the graph read back from its
/// MXNet symbol JSON, parameters and auxiliary states as initializers, the batch dimension
/// symbolic (<c>N</c>), the primary output as the graph output. Loss layers export as their
/// forward pass (SoftmaxOutput as Softmax), Dropout and BlockGrad as Identity.
/// </summary>
internal sealed class OnnxExporter
{
    private const int FloatType = 1;
    private const int Int64Type = 7;
    private readonly List<Action<ProtoWriter>> _nodes = [];
    private readonly List<Action<ProtoWriter>> _initializers = [];
    private readonly Dictionary<string, Tensor> _values;
    private readonly NetworkLayout _layout;

    private OnnxExporter(NetworkLayout layout, Dictionary<string, Tensor> values)
    {
        _layout = layout;
        _values = values;
    }

    public static byte[] Export(NetworkLayout layout, Dictionary<string, Tensor> values)
    {
        var exporter = new OnnxExporter(layout, values);
        string output = exporter.BuildGraph();
        return exporter.Serialize(output);
    }

    private string BuildGraph()
    {
        using var json = JsonDocument.Parse(_layout.SymbolJson);
        var nodes = json.RootElement.GetProperty("nodes").EnumerateArray().ToList();
        var names = nodes.Select(n => n.GetProperty("name").GetString()!).ToList();
        foreach (var value in _values)
        {
            AddInitializer(value.Key, value.Value);
        }

        string? label = _layout.Label?.Name;
        foreach (var node in nodes)
        {
            string op = node.GetProperty("op").GetString()!;
            if (op == "null")
            {
                continue;
            }

            string name = node.GetProperty("name").GetString()!;
            var attrs = node.TryGetProperty("attrs", out var a) ? a.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!) : [];
            var inputs = node.GetProperty("inputs").EnumerateArray().Select(i => names[i[0].GetInt32()]).Where(i => i != label).ToList();
            Convert(op, name, attrs, inputs);
        }

        return _layout.Outputs[0].Name[..^"_output".Length];
    }

    private void Convert(string op, string name, Dictionary<string, string> attrs, List<string> inputs)
    {
        string x = inputs[0];
        switch (op)
        {
            case "FullyConnected":
                string flat = x;
                if (attrs.GetValueOrDefault("flatten") != "False" && Rank(x) > 2)
                {
                    flat = name + "_flattened";
                    Node("Flatten", [x], flat, Int("axis", 1));
                }

                if (attrs.GetValueOrDefault("flatten") == "False")
                {
                    Node("Transpose", [inputs[1]], name + "_weight_t", Ints("perm", [1, 0]));
                    string product = inputs.Count > 2 ? name + "_product" : name;
                    Node("MatMul", [flat, name + "_weight_t"], product);
                    if (inputs.Count > 2)
                    {
                        Node("Add", [product, inputs[2]], name);
                    }
                }
                else
                {
                    Node("Gemm", [flat, .. inputs.Skip(1)], name, Int("transB", 1));
                }

                break;
            case "Convolution":
                var kernel = Tuple(attrs["kernel"]);
                var pads = attrs.TryGetValue("pad", out var p) ? Tuple(p) : [0, 0];
                Node("Conv", inputs, name, Ints("kernel_shape", kernel), Ints("strides", attrs.TryGetValue("stride", out var s) ? Tuple(s) : [1, 1]),
                    Ints("pads", [pads[0], pads[1], pads[0], pads[1]]), Ints("dilations", attrs.TryGetValue("dilate", out var d) ? Tuple(d) : [1, 1]),
                    Int("group", attrs.TryGetValue("num_group", out var g) ? int.Parse(g, CultureInfo.InvariantCulture) : 1));
                break;
            case "Pooling":
                bool max = attrs["pool_type"] == "max";
                if (attrs.GetValueOrDefault("global_pool") == "True")
                {
                    Node(max ? "GlobalMaxPool" : "GlobalAveragePool", [x], name);
                    break;
                }

                var poolPads = attrs.TryGetValue("pad", out var pp) ? Tuple(pp) : [0, 0];
                var poolAttributes = new List<Action<ProtoWriter>>
                {
                    Ints("kernel_shape", Tuple(attrs["kernel"])),
                    Ints("strides", attrs.TryGetValue("stride", out var ps) ? Tuple(ps) : [1, 1]),
                    Ints("pads", [poolPads[0], poolPads[1], poolPads[0], poolPads[1]]),
                    Int("ceil_mode", attrs.GetValueOrDefault("pooling_convention") == "full" ? 1 : 0),
                };
                if (!max)
                {
                    poolAttributes.Add(Int("count_include_pad", attrs.GetValueOrDefault("count_include_pad") == "False" ? 0 : 1));
                }

                Node(max ? "MaxPool" : "AveragePool", [x], name, [.. poolAttributes]);
                break;
            case "BatchNorm":
                string scale = inputs[1];
                if (attrs.GetValueOrDefault("fix_gamma") != "False")
                {
                    scale = name + "_gamma_fixed";
                    var ones = new float[_values[inputs[1]].Length];
                    Array.Fill(ones, 1f);
                    AddInitializer(scale, new Tensor(ones, ones.Length));
                }

                float eps = attrs.TryGetValue("eps", out var e) ? float.Parse(e, CultureInfo.InvariantCulture) : 1e-3f;
                Node("BatchNormalization", [x, scale, inputs[2], inputs[3], inputs[4]], name, Float("epsilon", eps));
                break;
            case "Activation":
                Node(attrs["act_type"] switch { "relu" => "Relu", "sigmoid" => "Sigmoid", "tanh" => "Tanh", "softrelu" => "Softplus", _ => "Softsign" }, [x], name);
                break;
            case "LeakyReLU":
                ConvertLeaky(name, attrs, inputs);
                break;
            case "Flatten":
                Node("Flatten", [x], name, Int("axis", 1));
                break;
            case "Reshape":
                var codes = Tuple(attrs["shape"]).Select(v => (long)v).ToArray();
                AddInt64Initializer(name + "_shape", codes);
                Node("Reshape", [x, name + "_shape"], name);
                break;
            case "Concat":
                Node("Concat", inputs, name, Int("axis", int.Parse(attrs["dim"], CultureInfo.InvariantCulture)));
                break;
            case "elemwise_add" or "elemwise_sub" or "elemwise_mul" or "elemwise_div":
                Node(op[9..] switch { "add" => "Add", "sub" => "Sub", "mul" => "Mul", _ => "Div" }, inputs, name);
                break;
            case "_plus_scalar" or "_minus_scalar" or "_mul_scalar" or "_div_scalar":
                AddInitializer(name + "_scalar", new Tensor([float.Parse(attrs["scalar"], CultureInfo.InvariantCulture)]));
                Node(op switch { "_plus_scalar" => "Add", "_minus_scalar" => "Sub", "_mul_scalar" => "Mul", _ => "Div" }, [x, name + "_scalar"], name);
                break;
            case "add_n":
                Node("Sum", inputs, name);
                break;
            case "clip":
                AddScalarInitializer(name + "_min", float.Parse(attrs["a_min"], CultureInfo.InvariantCulture));
                AddScalarInitializer(name + "_max", float.Parse(attrs["a_max"], CultureInfo.InvariantCulture));
                Node("Clip", [x, name + "_min", name + "_max"], name);
                break;
            case "softmax" or "SoftmaxOutput":
                Node("Softmax", [x], name, Int("axis", -1));
                break;
            case "log_softmax":
                Node("LogSoftmax", [x], name, Int("axis", -1));
                break;
            case "LogisticRegressionOutput":
                Node("Sigmoid", [x], name);
                break;
            case "Dropout" or "BlockGrad" or "identity" or "MakeLoss" or "LinearRegressionOutput":
                Node("Identity", [x], name);
                break;
            default:
                throw new NotSupportedException($"ExportOnnx: {_layout.NetworkName}'s node '{name}' is a {op}, which has no ONNX export (custom operators are code, not graph).");
        }
    }

    private void ConvertLeaky(string name, Dictionary<string, string> attrs, List<string> inputs)
    {
        string x = inputs[0];
        float slope = attrs.TryGetValue("slope", out var s) ? float.Parse(s, CultureInfo.InvariantCulture) : 0.25f;
        switch (attrs["act_type"])
        {
            case "leaky":
                Node("LeakyRelu", [x], name, Float("alpha", slope));
                break;
            case "elu":
                Node("Elu", [x], name, Float("alpha", slope));
                break;
            case "prelu":
                // ONNX broadcasts the slope from the right: (C) must become (C, 1, 1) for images.
                var gamma = _values[inputs[1]];
                int rank = Rank(x);
                var shape = new[] { gamma.Length }.Concat(Enumerable.Repeat(1, Math.Max(rank - 2, 0))).ToArray();
                AddInitializer(name + "_slope", new Tensor(gamma.ToArray(), shape));
                Node("PRelu", [x, name + "_slope"], name);
                break;
            default: // gelu = x · (1 + erf(x / √2)) / 2, as opset 13 has no Gelu
                AddInitializer(name + "_sqrt2", new Tensor([MathF.Sqrt(2f)]));
                AddInitializer(name + "_one", new Tensor([1f]));
                AddInitializer(name + "_half", new Tensor([0.5f]));
                Node("Div", [x, name + "_sqrt2"], name + "_scaled");
                Node("Erf", [name + "_scaled"], name + "_erf");
                Node("Add", [name + "_erf", name + "_one"], name + "_cdf2");
                Node("Mul", [x, name + "_cdf2"], name + "_twice");
                Node("Mul", [name + "_twice", name + "_half"], name);
                break;
        }
    }

    // The rank (batch included) of a node's output, from the layout.
    private int Rank(string node)
        => (_layout.Nodes.FirstOrDefault(n => n.Name == node)?.SampleShape.Count ?? 1) + 1;

    private void Node(string opType, IReadOnlyList<string> inputs, string output, params Action<ProtoWriter>[] attributes)
        => _nodes.Add(w =>
        {
            foreach (string input in inputs)
            {
                w.String(1, input);
            }

            w.String(2, output);
            w.String(3, output);
            w.String(4, opType);
            foreach (var attribute in attributes)
            {
                w.Message(5, attribute);
            }
        });

    private static Action<ProtoWriter> Int(string name, long value) => w => w.String(1, name).Varint(3, value).Varint(20, 2);

    private static Action<ProtoWriter> Float(string name, float value) => w => w.String(1, name).Float(2, value).Varint(20, 1);

    private static Action<ProtoWriter> Ints(string name, IEnumerable<int> values) => w =>
    {
        w.String(1, name);
        foreach (int v in values)
        {
            w.Varint(8, v);
        }

        w.Varint(20, 7);
    };

    private void AddInitializer(string name, Tensor value)
        => _initializers.Add(w =>
        {
            foreach (int d in value.Shape)
            {
                w.Varint(1, d);
            }

            w.Varint(2, FloatType).String(8, name).Bytes(9, MemoryMarshal.AsBytes(value.Span));
        });

    // A rank-0 tensor: Clip's bounds must be scalars.
    private void AddScalarInitializer(string name, float value)
        => _initializers.Add(w => w.Varint(2, FloatType).String(8, name).Bytes(9, BitConverter.GetBytes(value)));

    private void AddInt64Initializer(string name, long[] values)
        => _initializers.Add(w => w.Varint(1, values.Length).Varint(2, Int64Type).String(8, name).Bytes(9, MemoryMarshal.AsBytes(values.AsSpan())));

    private static int[] Tuple(string text)
        => text.Trim('(', ')').Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();

    private byte[] Serialize(string output)
    {
        var model = new ProtoWriter()
            .Varint(1, 8) // IR version 8
            .String(2, "Nxt")
            .Message(7, graph =>
            {
                foreach (var node in _nodes)
                {
                    graph.Message(1, node);
                }

                graph.String(2, _layout.NetworkName);
                foreach (var initializer in _initializers)
                {
                    graph.Message(5, initializer);
                }

                graph.Message(11, ValueInfo(_layout.Data.Name, _layout.Data.SampleShape));
                graph.Message(12, ValueInfo(output, _layout.Outputs[0].SampleShape));
            })
            .Message(8, opset => opset.String(1, string.Empty).Varint(2, 13));
        return model.ToArray();
    }

    private static Action<ProtoWriter> ValueInfo(string name, IReadOnlyList<int> sampleShape) => w => w
        .String(1, name)
        .Message(2, type => type.Message(1, tensor => tensor
            .Varint(1, FloatType)
            .Message(2, shape =>
            {
                shape.Message(1, dim => dim.String(2, "N"));
                foreach (int d in sampleShape)
                {
                    shape.Message(1, dim => dim.Varint(1, d));
                }
            })));
}

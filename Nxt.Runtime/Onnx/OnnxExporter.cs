using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Nxt.Onnx;

/// <summary>
/// Writes a module as an ONNX model (opset 13) for inference: the graph the generator wrote
/// from each operator's descriptor (<see cref="NetworkLayout.OnnxGraph"/>: nodes and the
/// constants the conversions need), parameters and auxiliary states as initializers, the batch
/// dimension symbolic (<c>N</c>), every data input and every output of the module. This class knows no
/// operator: it only serialises.
/// </summary>
internal sealed class OnnxExporter
{
    private const int FloatType = 1;
    private const int Int64Type = 7;
    private readonly List<Action<ProtoWriter>> _nodes = [];
    private readonly List<Action<ProtoWriter>> _initializers = [];
    private readonly NetworkLayout _layout;

    private OnnxExporter(NetworkLayout layout) => _layout = layout;

    /// <summary>
    /// Parameters of more bytes than this go to the external data file: a protobuf message, and
    /// so an ONNX model, holds at most 2 GiB. Internal so that a test can lower it.
    /// </summary>
    internal static long ExternalDataThreshold { get; set; } = 256L << 20;

    /// <summary>
    /// The model, and the parameters stored beside it in <paramref name="externalDataFile"/>
    /// (ONNX external data: a location, an offset and a length in the model), in file order.
    /// </summary>
    public static (byte[] Model, List<Tensor> ExternalData) Export(NetworkLayout layout, Dictionary<string, Tensor> values, string externalDataFile)
    {
        using var graph = JsonDocument.Parse(layout.OnnxGraph);
        var root = graph.RootElement;
        if (root.TryGetProperty("unsupported", out var reason))
        {
            throw new NotSupportedException($"ExportOnnx: {layout.NetworkName} has no ONNX export: {reason.GetString()}.");
        }

        var exporter = new OnnxExporter(layout);
        var external = new List<Tensor>();
        long offset = 0;
        foreach (var value in values)
        {
            long bytes = (long)value.Value.Length * sizeof(float);
            if (bytes > ExternalDataThreshold)
            {
                exporter.AddExternal(value.Key, value.Value, externalDataFile, offset, bytes);
                external.Add(value.Value);
                offset += bytes;
            }
            else
            {
                exporter.AddInitializer(value.Key, value.Value);
            }
        }

        foreach (var constant in root.GetProperty("constants").EnumerateArray())
        {
            exporter.AddConstant(constant);
        }

        foreach (var node in root.GetProperty("nodes").EnumerateArray())
        {
            exporter.AddNode(node);
        }

        var inputs = root.GetProperty("inputs").EnumerateArray().Select(i => i.GetString()!).ToList();
        var outputs = root.GetProperty("outputs").EnumerateArray().Select(o => o.GetString()!).ToList();
        return (exporter.Serialize(inputs, outputs), external);
    }

    // TensorProto with data_location EXTERNAL (14) and external_data (13) key-value entries.
    private void AddExternal(string name, Tensor value, string file, long offset, long length)
        => _initializers.Add(w =>
        {
            foreach (int d in value.Shape)
            {
                w.Varint(1, d);
            }

            w.Varint(2, FloatType).String(8, name);
            w.Message(13, entry => entry.String(1, "location").String(2, file));
            w.Message(13, entry => entry.String(1, "offset").String(2, offset.ToString(CultureInfo.InvariantCulture)));
            w.Message(13, entry => entry.String(1, "length").String(2, length.ToString(CultureInfo.InvariantCulture)));
            w.Varint(14, 1);
        });

    private void AddNode(JsonElement node)
    {
        var inputs = node.GetProperty("inputs").EnumerateArray().Select(i => i.GetString()!).ToList();
        var attributes = node.TryGetProperty("attributes", out var list) ? list.EnumerateArray().Select(Attribute).ToArray() : [];
        var outputs = new List<string> { node.GetProperty("output").GetString()! };
        if (node.TryGetProperty("more_outputs", out var more))
        {
            outputs.AddRange(more.EnumerateArray().Select(o => o.GetString()!));
        }

        Node(node.GetProperty("op").GetString()!, inputs, outputs, attributes);
    }

    private static Action<ProtoWriter> Attribute(JsonElement attribute)
    {
        string name = attribute.GetProperty("name").GetString()!;
        if (attribute.TryGetProperty("int", out var i))
        {
            return Int(name, i.GetInt64());
        }

        if (attribute.TryGetProperty("string", out var text))
        {
            return Text(name, text.GetString()!);
        }

        if (attribute.TryGetProperty("strings", out var texts))
        {
            return Texts(name, texts.EnumerateArray().Select(t => t.GetString()!).ToArray());
        }

        return attribute.TryGetProperty("float", out var f)
            ? Float(name, f.GetSingle())
            : Ints(name, attribute.GetProperty("ints").EnumerateArray().Select(v => v.GetInt32()));
    }

    // A constant the generator wrote: floats (a scalar when its shape is empty), a fill, or int64s.
    private void AddConstant(JsonElement constant)
    {
        string name = constant.GetProperty("name").GetString()!;
        var shape = constant.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();
        if (constant.TryGetProperty("int64s", out var longs))
        {
            var values = longs.EnumerateArray().Select(v => v.GetInt64()).ToArray();
            _initializers.Add(w => w.Varint(1, values.Length).Varint(2, Int64Type).String(8, name).Bytes(9, MemoryMarshal.AsBytes(values.AsSpan())));
            return;
        }

        float[] floats = constant.TryGetProperty("fill", out var fill)
            ? Enumerable.Repeat(fill.GetSingle(), shape.Aggregate(1, (a, b) => a * b)).ToArray()
            : constant.GetProperty("floats").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        AddFloats(name, shape, floats);
    }

    private void Node(string opType, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, params Action<ProtoWriter>[] attributes)
        => _nodes.Add(w =>
        {
            foreach (string input in inputs)
            {
                w.String(1, input);
            }

            foreach (string output in outputs)
            {
                w.String(2, output);
            }

            w.String(3, outputs[0]);
            w.String(4, opType);
            foreach (var attribute in attributes)
            {
                w.Message(5, attribute);
            }
        });

    private static Action<ProtoWriter> Int(string name, long value) => w => w.String(1, name).Varint(3, value).Varint(20, 2);

    private static Action<ProtoWriter> Text(string name, string value) => w => w.String(1, name).String(4, value).Varint(20, 3);

    private static Action<ProtoWriter> Texts(string name, string[] values) => w =>
    {
        w.String(1, name);
        foreach (string value in values)
        {
            w.String(9, value);
        }

        w.Varint(20, 8);
    };

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

    private void AddInitializer(string name, Tensor value) => AddFloats(name, [.. value.Shape], value.ToArray());

    private void AddFloats(string name, int[] shape, float[] values)
        => _initializers.Add(w =>
        {
            foreach (int d in shape)
            {
                w.Varint(1, d);
            }

            w.Varint(2, FloatType).String(8, name).Bytes(9, MemoryMarshal.AsBytes(values.AsSpan()));
        });

    // The graph's inputs are the data inputs in declaration order; its outputs the module's, in order.
    private byte[] Serialize(IReadOnlyList<string> inputs, IReadOnlyList<string> outputs)
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

                for (int i = 0; i < inputs.Count; i++)
                {
                    graph.Message(11, ValueInfo(inputs[i], _layout.Inputs[i].SampleShape));
                }

                for (int o = 0; o < outputs.Count; o++)
                {
                    graph.Message(12, ValueInfo(outputs[o], _layout.Outputs[o].SampleShape));
                }
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

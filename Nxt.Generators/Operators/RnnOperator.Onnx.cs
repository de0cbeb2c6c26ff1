using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Operators.Onnx;

namespace Nxt.Generators.Operators;

/// <summary>The fused RNN in ONNX: one ONNX recurrent node per layer, both directions in it.</summary>
internal sealed partial class RnnOperator
{
    // ONNX's LSTM, GRU and RNN are time-major, take a layer at a time (directions stacked on a
    // leading axis), and order the gates otherwise than MXNet (LSTM [i, o, f, c] for [i, f, g, o];
    // GRU [z, r, h] for [r, z, n]): the sequence is transposed around them, and the weights and
    // biases reordered by slices. MXNet's GRU applies the reset gate after the recurrent product,
    // ONNX's linear_before_reset = 1. The initial states (N, L·D, H) give each layer its (D, N, H).
    public override void Onnx(OnnxContext onnx)
    {
        var rnn = Params<RnnParams>(onnx.Node);
        int hidden = rnn.StateSize;
        string name = onnx.Name;
        var (op, order, attributes) = rnn.Mode switch
        {
            RnnMode.Lstm => ("LSTM", new[] { 0, 3, 1, 2 }, new List<OnnxAttribute> { OnnxAttribute.Int("hidden_size", hidden) }),
            RnnMode.Gru => ("GRU", new[] { 1, 0, 2 }, new List<OnnxAttribute> { OnnxAttribute.Int("hidden_size", hidden), OnnxAttribute.Int("linear_before_reset", 1) }),
            _ => ("RNN", new[] { 0 }, new List<OnnxAttribute> { OnnxAttribute.Int("hidden_size", hidden), OnnxAttribute.Strings("activations", Enumerable.Repeat(rnn.Mode == RnnMode.RnnRelu ? "Relu" : "Tanh", rnn.Directions).ToArray()) }),
        };
        if (rnn.Bidirectional)
        {
            attributes.Add(OnnxAttribute.String("direction", "bidirectional"));
        }

        onnx.Graph.Int64s(name + "_axis0", new[] { 0 });
        onnx.Graph.Int64s(name + "_axis1", new[] { 1 });
        onnx.Graph.Int64s(name + "_merge", new[] { 0, 0, -1 });
        foreach (int gate in order)
        {
            onnx.Graph.Int64s($"{name}_gate{gate}_start", new[] { gate * hidden });
            onnx.Graph.Int64s($"{name}_gate{gate}_end", new[] { (gate + 1) * hidden });
        }

        string Reordered(string parameter)
        {
            var blocks = order.Select(gate =>
            {
                string block = $"{parameter}_gate{gate}";
                onnx.Graph.Node("Slice", new[] { parameter, $"{name}_gate{gate}_start", $"{name}_gate{gate}_end", name + "_axis0" }, block);
                return block;
            }).ToArray();
            onnx.Graph.Node("Concat", blocks, parameter + "_onnx", OnnxAttribute.Int("axis", 0));
            return parameter + "_onnx";
        }

        // Each direction's tensor gains the leading direction axis; a layer's directions are concatenated on it.
        string Stacked(string stacked, IEnumerable<string> perDirection)
        {
            var parts = perDirection.Select(value =>
            {
                onnx.Graph.Node("Unsqueeze", new[] { value, name + "_axis0" }, value + "_direction");
                return value + "_direction";
            }).ToArray();
            onnx.Graph.Node("Concat", parts, stacked, OnnxAttribute.Int("axis", 0));
            return stacked;
        }

        string InitialState(string states, int layer)
        {
            string prefix = $"{states}_{name}_layer{layer}";
            onnx.Graph.Int64s(prefix + "_start", new[] { layer * rnn.Directions });
            onnx.Graph.Int64s(prefix + "_end", new[] { (layer + 1) * rnn.Directions });
            onnx.Graph.Node("Slice", new[] { states, prefix + "_start", prefix + "_end", name + "_axis1" }, prefix + "_batch_first");
            onnx.Graph.Node("Transpose", new[] { prefix + "_batch_first" }, prefix, OnnxAttribute.Ints("perm", new[] { 1, 0, 2 }));
            return prefix;
        }

        string x = name + "_x0";
        onnx.Graph.Node("Transpose", new[] { onnx.X }, x, OnnxAttribute.Ints("perm", new[] { 1, 0, 2 }));
        for (int layer = 0; layer < rnn.NumLayers; layer++)
        {
            var lanes = Lanes(rnn).Where(l => l.Layer == layer).Select(l => LaneParameters(onnx.Node, l.Index)).ToList();
            string w = Stacked($"{name}_W{layer}", lanes.Select(l => Reordered(l.I2h.Name)));
            string r = Stacked($"{name}_R{layer}", lanes.Select(l => Reordered(l.H2h.Name)));
            string b = Stacked($"{name}_B{layer}", lanes.Select(l =>
            {
                string both = $"{l.I2h.Name}_biases";
                onnx.Graph.Node("Concat", new[] { Reordered(l.I2hBias.Name), Reordered(l.H2hBias.Name) }, both, OnnxAttribute.Int("axis", 0));
                return both;
            }));
            var inputs = new List<string> { x, w, r, b };
            if (onnx.Inputs.Count > 1)
            {
                inputs.Add(string.Empty); // sequence_lens: every sequence is whole
                inputs.AddRange(onnx.Inputs.Skip(1).Select(state => InitialState(state.Name, layer)));
            }

            // Y_h and Y_c too, for an RNNState node to read.
            string y = $"{name}_y{layer}";
            var outputs = rnn.Mode == RnnMode.Lstm ? new[] { y, FinalStateName(name, layer, cell: false), FinalStateName(name, layer, cell: true) } : new[] { y, FinalStateName(name, layer, cell: false) };
            onnx.Graph.Node(op, inputs, outputs, attributes.ToArray());

            // Y is (T, D, N, H): the next layer reads (T, N, D·H), the network (N, T, D·H).
            bool last = layer == rnn.NumLayers - 1;
            onnx.Graph.Node("Transpose", new[] { y }, y + "_directions_inside", OnnxAttribute.Ints("perm", last ? new[] { 2, 0, 1, 3 } : new[] { 0, 2, 1, 3 }));
            x = last ? name : $"{name}_x{layer + 1}";
            onnx.Graph.Node("Reshape", new[] { y + "_directions_inside", name + "_merge" }, x);
        }
    }

    /// <summary>The ONNX value of layer <paramref name="layer"/>'s final states, <c>(D, N, H)</c>: its <c>Y_h</c> or <c>Y_c</c>.</summary>
    public static string FinalStateName(string rnn, int layer, bool cell) => $"{rnn}_{(cell ? "yc" : "yh")}{layer}";
}

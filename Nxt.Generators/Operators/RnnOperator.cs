using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Onnx;
using Nxt.Generators.Operators.Plans;

namespace Nxt.Generators.Operators;

/// <summary><c>Nxt.RnnMode</c>, read by member name.</summary>
internal enum RnnMode
{
    Lstm,
    Gru,
    RnnTanh,
    RnnRelu,
}

/// <summary><c>Nxt.RnnLayout</c>, read by member name.</summary>
internal enum RnnLayout
{
    Tnc,
    Ntc,
}

/// <summary><c>[RNN(stateSize, Mode, NumLayers, Bidirectional, Layout)]</c>.</summary>
internal sealed record RnnParams(int StateSize, RnnMode Mode, int NumLayers, bool Bidirectional, RnnLayout Layout) : OpParams;

/// <summary>
/// MXNet's fused <c>RNN</c> (LSTM, GRU, tanh or relu cells), one layer and direction,
/// batch-major: <c>(N, T, C)</c> to <c>(N, T, H)</c>. All steps' input projections are one GEMM;
/// the recurrence one GEMM a step, run by <c>RnnKernels</c> on each backend over the node's
/// scratch (time-major copies of the inputs, projections, gates, cells and hidden states), which
/// its backward through time reads.
/// </summary>
internal sealed class RnnOperator : Operator
{
    public static readonly OpKind Kind = new("RNN");
    public const RnnMode DefaultMode = RnnMode.Lstm;
    public const int DefaultNumLayers = 1;
    public const bool DefaultBidirectional = false;
    public const RnnLayout DefaultLayout = RnnLayout.Ntc;
    private const string Kernels = "RnnKernels";

    public override IReadOnlyList<OpKind> Kinds { get; } = new[] { Kind };

    public override IReadOnlyList<string> AttributeNames { get; } = new[] { "RNNAttribute" };

    public override string? SizeArgument => "stateSize";

    public override (OpKind, OpParams) Read(AttributeReader attribute, List<InputRef> inputs, DeclarationSink problems)
        => (Kind, new RnnParams(
            attribute.Int(0),
            attribute.Enum("Mode", DefaultMode),
            attribute.Int("NumLayers", DefaultNumLayers),
            attribute.Bool("Bidirectional", DefaultBidirectional),
            attribute.Enum("Layout", DefaultLayout)));

    public override (string? Argument, string Message)? CheckArguments(NodeSpec node)
    {
        var rnn = (RnnParams)node.Params;
        return rnn switch
        {
            { StateSize: < 1 } => ("stateSize", $"RNN '{node.Name}' has state_size {rnn.StateSize}: it must be at least 1"),
            _ when !System.Enum.IsDefined(typeof(RnnMode), rnn.Mode) => ("Mode", $"RNN '{node.Name}' has mode {(int)rnn.Mode}, which is not a value of RnnMode"),
            { NumLayers: not 1 } => ("NumLayers", $"RNN '{node.Name}' has {rnn.NumLayers} layers: Nxt has one so far (stack RNN nodes for more)"),
            { Bidirectional: true } => ("Bidirectional", $"RNN '{node.Name}' is bidirectional: Nxt has one direction so far"),
            { Layout: RnnLayout.Tnc } => ("Layout", $"RNN '{node.Name}' has layout TNC: a Nxt value has the batch first, so the sequence is (N, T, C); use Layout = RnnLayout.Ntc"),
            _ => null,
        };
    }

    public override (int Min, int Max) Arity(OpParams parameters) => (1, 1);

    public override string ArityHint(OpParams parameters) => string.Empty;

    public override InferredNode? Infer(InferenceContext context)
    {
        var rnn = (RnnParams)context.Node.Params;
        var x = context.X;
        if (x.Count != 2)
        {
            return context.Fail($"RNN '{context.Name}' reads a sequence (N,T,C), but '{context.Inputs[0].Name}' is {Shapes.Batched(x)}");
        }

        int steps = x[0], inputs = x[1], hidden = rnn.StateSize, gates = GateCount(rnn.Mode) * hidden;
        string prefix = context.Name + "_l0_";
        var parameters = new[]
        {
            new ParameterInfo(prefix + "i2h_weight", Shapes.Of(gates, inputs)),
            new ParameterInfo(prefix + "h2h_weight", Shapes.Of(gates, hidden)),
            new ParameterInfo(prefix + "i2h_bias", Shapes.Of(gates)),
            new ParameterInfo(prefix + "h2h_bias", Shapes.Of(gates)),
        };

        // Nxt.Kernels.RnnScratchLayout.PerSample: a smaller one fails the RNN tests with a slice out of range.
        int scratch = (2 * steps * inputs) + (3 * steps * gates) + (2 * steps * hidden) + (4 * hidden);
        return context.Make(Shapes.Of(steps, hidden), parameters, scratch: new ScratchNeeds(scratch, 0, "_steps"));
    }

    /// <summary>Gates a step computes per hidden unit (MXNet's, cuDNN's): LSTM 4, GRU 3, plain 1.</summary>
    private static int GateCount(RnnMode mode) => mode switch
    {
        RnnMode.Lstm => 4,
        RnnMode.Gru => 3,
        _ => 1,
    };

    public override OpTraits Traits(OpParams parameters) => OpTraits.None;

    public override LabelInfo? Label(InferredNode node) => null;

    // Its backward reads the forward pass's scratch (the scratch lives to the end), not its input.
    public override IReadOnlyList<int> BackwardReads(InferredNode node) => System.Array.Empty<int>();

    public override IReadOnlyList<string> MxnetOps { get; } = new[] { "RNN" };

    public override (OpKind Kind, OpParams Params) FromMxnet(MxnetAttributeReader attributes)
    {
        attributes.OnlyValue("state_outputs", "False", "0");
        attributes.OnlyValue("p", "0", "0.0");
        return (Kind, new RnnParams(
            attributes.RequiredInt("state_size"),
            attributes.Enum("mode", DefaultMode, ("lstm", RnnMode.Lstm), ("gru", RnnMode.Gru), ("rnn_tanh", RnnMode.RnnTanh), ("rnn_relu", RnnMode.RnnRelu)),
            attributes.Int("num_layers", DefaultNumLayers),
            attributes.Bool("bidirectional", DefaultBidirectional),
            attributes.Enum("layout", RnnLayout.Tnc)));
    }

    public override string MxnetName(OpParams parameters) => "RNN";

    public override void MxnetAttributes(OpParams parameters, MxnetAttributeList attributes)
    {
        var rnn = (RnnParams)parameters;
        attributes.Add("state_size", rnn.StateSize);
        attributes.Add("mode", rnn.Mode switch { RnnMode.Lstm => "lstm", RnnMode.Gru => "gru", RnnMode.RnnTanh => "rnn_tanh", _ => "rnn_relu" });
        attributes.Add("num_layers", rnn.NumLayers);
        attributes.AddIf("bidirectional", "True", rnn.Bidirectional);
        attributes.Add("layout", rnn.Layout.ToString().ToUpperInvariant());
    }

    // ONNX's LSTM, GRU and RNN are time-major, and order the gates otherwise than MXNet (LSTM
    // [i, o, f, c] for [i, f, g, o]; GRU [z, r, h] for [r, z, n]): the sequence is transposed
    // around them, and the weights and biases reordered by slices. MXNet's GRU applies the reset
    // gate after the recurrent product, ONNX's linear_before_reset = 1.
    public override void Onnx(OnnxContext onnx)
    {
        var rnn = Params<RnnParams>(onnx.Node);
        var p = onnx.Node.Parameters;
        int hidden = onnx.Node.Shape[1];
        string name = onnx.Name;
        var (op, order, attributes) = rnn.Mode switch
        {
            RnnMode.Lstm => ("LSTM", new[] { 0, 3, 1, 2 }, new[] { OnnxAttribute.Int("hidden_size", hidden) }),
            RnnMode.Gru => ("GRU", new[] { 1, 0, 2 }, new[] { OnnxAttribute.Int("hidden_size", hidden), OnnxAttribute.Int("linear_before_reset", 1) }),
            _ => ("RNN", new[] { 0 }, new[] { OnnxAttribute.Int("hidden_size", hidden), OnnxAttribute.Strings("activations", new[] { rnn.Mode == RnnMode.RnnRelu ? "Relu" : "Tanh" }) }),
        };
        onnx.Graph.Node("Transpose", new[] { onnx.X }, name + "_x", OnnxAttribute.Ints("perm", new[] { 1, 0, 2 }));
        onnx.Graph.Int64s(name + "_axis0", new[] { 0 });
        onnx.Graph.Int64s(name + "_axis1", new[] { 1 });
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

        string i2h = Reordered(p[0].Name), h2h = Reordered(p[1].Name), i2hBias = Reordered(p[2].Name), h2hBias = Reordered(p[3].Name);
        onnx.Graph.Node("Concat", new[] { i2hBias, h2hBias }, name + "_bias", OnnxAttribute.Int("axis", 0));
        foreach (string value in new[] { i2h, h2h, name + "_bias" })
        {
            onnx.Graph.Node("Unsqueeze", new[] { value, name + "_axis0" }, value + "_directions");
        }

        onnx.Graph.Node(op, new[] { name + "_x", i2h + "_directions", h2h + "_directions", name + "_bias_directions" }, name + "_y", attributes);
        onnx.Graph.Node("Squeeze", new[] { name + "_y", name + "_axis1" }, name + "_steps");
        onnx.Graph.Node("Transpose", new[] { name + "_steps" }, name, OnnxAttribute.Ints("perm", new[] { 1, 0, 2 }));
    }

    public override IEnumerable<string> ClassFields(InferredNode node, InferredGraph graph) => Enumerable.Empty<string>();

    public override int CpuWorkspacePerThread(InferredNode node, InferredGraph graph) => 0;

    public override void Forward(PlanSteps steps, ForwardContext context)
    {
        var node = context.Node;
        var p = node.Parameters;
        var (t, c, h) = Dims(node);
        steps.Kernel(Kernels, "Forward", context.X, Buffers.Param(p[0]), Buffers.Param(p[1]), Buffers.Param(p[2]), Buffers.Param(p[3]), context.Y, Buffers.Scratch(node), Arg.N, t, c, h, Cell(node));
    }

    public override void Backward(PlanSteps steps, BackwardContext context)
    {
        var node = context.Node;
        var p = node.Parameters;
        var (t, c, h) = Dims(node);
        var args = new List<Arg>
        {
            Buffers.Param(p[0]), Buffers.Param(p[1]), context.Dy, context.WantsInput ? context.Dx : Arg.Default,
            Buffers.ParamGrad(p[0]), Buffers.ParamGrad(p[1]), Buffers.ParamGrad(p[2]), Buffers.ParamGrad(p[3]),
            Buffers.Scratch(node), Arg.N, t, c, h, Cell(node),
            context.WantsInput ? context.WantX : Arg.Bool(false), Arg.Bool(context.WantsInput && context.Accumulate[0]).Named("accumulateX"),
        };
        foreach (var parameter in p)
        {
            args.Add(Buffers.ParamWanted(parameter));
            args.Add(Buffers.ParamAdds(parameter));
        }

        steps.If(Buffers.Wanted(node), then => then.Kernel(Kernels, "Backward", args.ToArray()));
    }

    private static Arg Cell(InferredNode node) => Arg.Raw("global::Nxt.Kernels.RnnCell." + Params<RnnParams>(node).Mode switch
    {
        RnnMode.Lstm => "Lstm",
        RnnMode.Gru => "Gru",
        RnnMode.RnnTanh => "Tanh",
        _ => "Relu",
    });

    private static (Arg Steps, Arg Inputs, Arg Hidden) Dims(InferredNode node)
        => (Arg.Int(node.Shape[0]), Arg.Int(node.Parameters[0].Shape[1]), Arg.Int(node.Shape[1]));
}

using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
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

/// <summary><c>[RNN(stateSize, Mode, NumLayers, Bidirectional, Layout, P)]</c>.</summary>
internal sealed record RnnParams(int StateSize, RnnMode Mode, int NumLayers, bool Bidirectional, RnnLayout Layout, double P) : OpParams
{
    public int Directions => Bidirectional ? 2 : 1;

    /// <summary>Gates a step computes per hidden unit (MXNet's, cuDNN's): LSTM 4, GRU 3, plain 1.</summary>
    public int Gates => Mode switch
    {
        RnnMode.Lstm => 4,
        RnnMode.Gru => 3,
        _ => 1,
    };
}

/// <summary>
/// MXNet's fused <c>RNN</c> (LSTM, GRU, tanh or relu cells; stacked layers, both directions,
/// dropout between layers, initial states as inputs), batch-major: <c>(N, T, C)</c> to
/// <c>(N, T, D·H)</c>. The plan runs <c>RnnKernels</c> once per layer and direction (a lane),
/// each over its own part of the node's scratch (time-major copies of its inputs, projections,
/// gates, cells and hidden states, which its backward through time reads); the layers between
/// meet in further scratch parts, as do their gradients and dropout masks. Each lane's input
/// projections over all steps are one GEMM, its recurrence one GEMM a step.
/// </summary>
internal sealed partial class RnnOperator : Operator
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
    {
        // The initial states follow the sequence, which From must then name (CheckArguments says so).
        foreach (string property in new[] { "State", "StateCell" })
        {
            if (attribute.Named(property) is string state)
            {
                inputs.Add(new InputRef(state, property, -1));
            }
        }

        return (Kind, new RnnParams(
            attribute.Int(0),
            attribute.Enum("Mode", DefaultMode),
            attribute.Int("NumLayers", DefaultNumLayers),
            attribute.Bool("Bidirectional", DefaultBidirectional),
            attribute.Enum("Layout", DefaultLayout),
            attribute.Double("P", 0)));
    }

    public override (string? Argument, string Message)? CheckArguments(NodeSpec node)
    {
        var rnn = (RnnParams)node.Params;
        bool hasState = node.Inputs.Any(i => i.Argument == "State"), hasCell = node.Inputs.Any(i => i.Argument == "StateCell");
        return rnn switch
        {
            { StateSize: < 1 } => ("stateSize", $"RNN '{node.Name}' has state_size {rnn.StateSize}: it must be at least 1"),
            _ when !System.Enum.IsDefined(typeof(RnnMode), rnn.Mode) => ("Mode", $"RNN '{node.Name}' has mode {(int)rnn.Mode}, which is not a value of RnnMode"),
            { NumLayers: < 1 } => ("NumLayers", $"RNN '{node.Name}' has {rnn.NumLayers} layers: it must have at least 1"),
            { Layout: RnnLayout.Tnc } => ("Layout", $"RNN '{node.Name}' has layout TNC: a Nxt value has the batch first, so the sequence is (N, T, C); use Layout = RnnLayout.Ntc"),
            _ when !(rnn.P >= 0 && rnn.P < 1) => ("P", $"RNN '{node.Name}' has dropout p = {MxnetText.Real(rnn.P)}: it must be in [0, 1)"),
            _ when rnn.P > 0 && rnn.NumLayers == 1 => ("P", $"RNN '{node.Name}' has dropout p = {MxnetText.Real(rnn.P)} but one layer: MXNet's p drops between layers, so it needs NumLayers of 2 or more"),
            _ when hasCell && rnn.Mode != RnnMode.Lstm => ("StateCell", $"RNN '{node.Name}' is a {rnn.Mode} cell, which has no cell state: only an LSTM takes StateCell"),
            _ when hasCell && !hasState => ("StateCell", $"RNN '{node.Name}' has StateCell but no State: give the initial hidden state too"),
            _ when (hasState || hasCell) && node.Inputs[0].Argument != "From" => ("State", $"RNN '{node.Name}' reads initial states, so name its sequence with From = nameof(...)"),
            _ => null,
        };
    }

    // The sequence, the hidden state and the cell; CheckArguments refuses a cell to all but an LSTM.
    public override (int Min, int Max) Arity(OpParams parameters) => (1, 3);

    public override string ArityHint(OpParams parameters) => ": the sequence, then the initial states";

    public override InferredNode? Infer(InferenceContext context)
    {
        var rnn = (RnnParams)context.Node.Params;
        var x = context.X;
        if (x.Count != 2)
        {
            return context.Fail($"RNN '{context.Name}' reads a sequence (N,T,C), but '{context.Inputs[0].Name}' is {Shapes.Batched(x)}");
        }

        var stateShape = Shapes.Of(rnn.NumLayers * rnn.Directions, rnn.StateSize);
        for (int i = 1; i < context.Inputs.Count; i++)
        {
            var state = context.Inputs[i];
            if (!state.Shape.Equals(stateShape))
            {
                string argument = i == 1 ? "State" : "StateCell";
                return context.Fail(ErrorCode.ShapeMismatch, argument, $"RNN '{context.Name}' takes its initial {(i == 1 ? "hidden state" : "cell")} as {Shapes.Batched(stateShape)} (layers x directions, state size; MXNet's (L*D, N, H) with the batch first), but '{state.Name}' is {Shapes.Batched(state.Shape)}");
            }
        }

        var layout = new Layout(rnn, x[0], x[1]);
        return context.Make(Shapes.Of(x[0], rnn.Directions * rnn.StateSize), Parameters(context.Name, rnn, x[1]), scratch: new ScratchNeeds(layout.PerSample, 0, "_steps"));
    }

    /// <summary>
    /// MXNet's flat <c>parameters</c>, named as MXNet's <c>unfuse()</c> names them: every
    /// layer's and direction's (<c>l</c> forward, <c>r</c> reverse) weights, then all biases.
    /// </summary>
    private static ParameterInfo[] Parameters(string name, RnnParams rnn, int inputs)
    {
        int gates = rnn.Gates * rnn.StateSize;
        var weights = new List<ParameterInfo>();
        var biases = new List<ParameterInfo>();
        foreach (var lane in Lanes(rnn))
        {
            string prefix = $"{name}_{(lane.Direction == 0 ? 'l' : 'r')}{lane.Layer}_";
            int laneInputs = lane.Layer == 0 ? inputs : rnn.Directions * rnn.StateSize;
            weights.Add(new ParameterInfo(prefix + "i2h_weight", Shapes.Of(gates, laneInputs)));
            weights.Add(new ParameterInfo(prefix + "h2h_weight", Shapes.Of(gates, rnn.StateSize)));
            biases.Add(new ParameterInfo(prefix + "i2h_bias", Shapes.Of(gates)));
            biases.Add(new ParameterInfo(prefix + "h2h_bias", Shapes.Of(gates)));
        }

        return weights.Concat(biases).ToArray();
    }

    /// <summary>Every layer and direction, layer-major: MXNet's order of weights and states.</summary>
    internal static IEnumerable<(int Layer, int Direction, int Index)> Lanes(RnnParams rnn)
        => Enumerable.Range(0, rnn.NumLayers).SelectMany(layer => Enumerable.Range(0, rnn.Directions).Select(direction => (layer, direction, (layer * rnn.Directions) + direction)));

    public override OpTraits Traits(OpParams parameters) => OpTraits.None;

    public override LabelInfo? Label(InferredNode node) => null;

    // Its backward reads the forward pass's scratch (the scratch lives to the end), not its inputs.
    public override IReadOnlyList<int> BackwardReads(InferredNode node) => System.Array.Empty<int>();

    public override IReadOnlyList<string> MxnetOps { get; } = new[] { "RNN" };

    public override (OpKind Kind, OpParams Params) FromMxnet(MxnetAttributeReader attributes)
    {
        attributes.OnlyValue("state_outputs", "False", "0");
        return (Kind, new RnnParams(
            attributes.RequiredInt("state_size"),
            attributes.Enum("mode", DefaultMode, ("lstm", RnnMode.Lstm), ("gru", RnnMode.Gru), ("rnn_tanh", RnnMode.RnnTanh), ("rnn_relu", RnnMode.RnnRelu)),
            attributes.Int("num_layers", DefaultNumLayers),
            attributes.Bool("bidirectional", DefaultBidirectional),
            attributes.Enum("layout", RnnLayout.Tnc),
            attributes.Double("p", 0)));
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
        attributes.AddIf("p", MxnetText.Real(rnn.P), rnn.P > 0);
    }

    public override IEnumerable<string> ClassFields(InferredNode node, InferredGraph graph) => Enumerable.Empty<string>();

    public override int CpuWorkspacePerThread(InferredNode node, InferredGraph graph) => 0;

    public override void Forward(PlanSteps steps, ForwardContext context)
    {
        var node = context.Node;
        var rnn = Params<RnnParams>(node);
        var layout = Layout.Of(node);
        var states = StateArgs(context.Inputs, (input, _) => Buffers.Out(input));
        for (int layer = 0; layer < rnn.NumLayers; layer++)
        {
            var x = layer == 0 ? context.X : Buffers.ScratchPart(node, layout.Output(layer - 1), layout.LayerValues);
            var y = layer == rnn.NumLayers - 1 ? context.Y : Buffers.ScratchPart(node, layout.Output(layer), layout.LayerValues);
            foreach (var lane in Lanes(rnn).Where(l => l.Layer == layer))
            {
                var (i2h, h2h, i2hBias, h2hBias) = LaneParameters(node, lane.Index);
                steps.Kernel(
                    Kernels, "Forward", x, Buffers.Param(i2h), Buffers.Param(h2h), Buffers.Param(i2hBias), Buffers.Param(h2hBias), states.Hidden, states.Cell, y,
                    Buffers.ScratchPart(node, layout.Lane(lane.Index), layout.LaneLength(lane.Layer)), Arg.N, Arg.Int(layout.Steps), Arg.Int(layout.Inputs(layer)), Arg.Int(rnn.StateSize), Cell(rnn), LaneArg(rnn, lane));
            }

            if (layer < rnn.NumLayers - 1 && rnn.P > 0)
            {
                // MXNet's p: the layer's output is dropped out in place before the next layer reads it.
                steps.If(Buffers.IsTrain, then => then.Kernel("DropoutKernels", "ForwardTraining", y, Buffers.ScratchPart(node, layout.Mask(layer), layout.LayerValues), y, Arg.Float(rnn.P), Arg.Raw("Random")));
            }
        }
    }

    public override void Backward(PlanSteps steps, BackwardContext context)
    {
        var node = context.Node;
        var rnn = Params<RnnParams>(node);
        var layout = Layout.Of(node);
        var stateGradients = StateArgs(context.Inputs, (input, i) => context.Wanted[i] ? Arg.Expression($"{Buffers.WantedName(input)} ? {Buffers.GradName(input)} : default", Buffers.WantedName(input), Buffers.GradName(input)) : Arg.Default);
        steps.If(Buffers.Wanted(node), then =>
        {
            for (int layer = rnn.NumLayers - 1; layer >= 0; layer--)
            {
                var dy = layer == rnn.NumLayers - 1 ? context.Dy : Buffers.ScratchPart(node, layout.Gradient(layer), layout.LayerValues);
                if (layer < rnn.NumLayers - 1 && rnn.P > 0)
                {
                    then.Kernel("DropoutKernels", "Backward", dy, Buffers.ScratchPart(node, layout.Mask(layer), layout.LayerValues), dy, Arg.Bool(false).Named("accumulate"));
                }

                var dx = layer == 0 ? (context.WantsInput ? context.Dx : Arg.Default) : Buffers.ScratchPart(node, layout.Gradient(layer - 1), layout.LayerValues);
                var wantX = layer == 0 ? (context.WantsInput ? context.WantX : Arg.Bool(false)) : Arg.Bool(true);
                foreach (var lane in Lanes(rnn).Where(l => l.Layer == layer))
                {
                    // The second direction adds to the first's input gradient, as each lane adds its own state slots.
                    bool accumulateX = lane.Direction > 0 || (layer == 0 && context.WantsInput && context.Accumulate[0]);
                    var (i2h, h2h, i2hBias, h2hBias) = LaneParameters(node, lane.Index);
                    var args = new List<Arg>
                    {
                        Buffers.Param(i2h), Buffers.Param(h2h), dy, dx, stateGradients.Hidden, stateGradients.Cell,
                        Buffers.ParamGrad(i2h), Buffers.ParamGrad(h2h), Buffers.ParamGrad(i2hBias), Buffers.ParamGrad(h2hBias),
                        Buffers.ScratchPart(node, layout.Lane(lane.Index), layout.LaneLength(lane.Layer)), Arg.N, Arg.Int(layout.Steps), Arg.Int(layout.Inputs(layer)), Arg.Int(rnn.StateSize), Cell(rnn), LaneArg(rnn, lane),
                        wantX, Arg.Bool(accumulateX).Named("accumulateX"), Arg.Bool(AccumulatesState(context, 1)).Named("accumulateHx"), Arg.Bool(AccumulatesState(context, 2)).Named("accumulateCx"),
                    };
                    foreach (var parameter in new[] { i2h, h2h, i2hBias, h2hBias })
                    {
                        args.Add(Buffers.ParamWanted(parameter));
                        args.Add(Buffers.ParamAdds(parameter));
                    }

                    then.Kernel(Kernels, "Backward", args.ToArray());
                }
            }
        });
    }

    private static bool AccumulatesState(BackwardContext context, int input) => input < context.Inputs.Count && context.Wanted[input] && context.Accumulate[input];

    /// <summary>The initial hidden state's and cell's buffers (by <paramref name="buffer"/>), or <c>default</c> where the network gives none.</summary>
    private static (Arg Hidden, Arg Cell) StateArgs(IReadOnlyList<InferredNode> inputs, System.Func<InferredNode, int, Arg> buffer)
        => (inputs.Count > 1 ? buffer(inputs[1], 1) : Arg.Default, inputs.Count > 2 ? buffer(inputs[2], 2) : Arg.Default);

    /// <summary>Lane <paramref name="index"/>'s weights and biases in the node's MXNet-ordered parameters.</summary>
    private static (ParameterInfo I2h, ParameterInfo H2h, ParameterInfo I2hBias, ParameterInfo H2hBias) LaneParameters(InferredNode node, int index)
    {
        var p = node.Parameters;
        int biases = p.Count / 2;
        return (p[2 * index], p[(2 * index) + 1], p[biases + (2 * index)], p[biases + (2 * index) + 1]);
    }

    internal static Arg LaneArg(RnnParams rnn, (int Layer, int Direction, int Index) lane)
        => rnn.NumLayers == 1 && rnn.Directions == 1
            ? Arg.Raw("global::Nxt.Kernels.RnnLane.Single")
            : Arg.Raw($"new global::Nxt.Kernels.RnnLane({lane.Layer}, {rnn.NumLayers}, {lane.Direction}, {rnn.Directions})");

    private static Arg Cell(RnnParams rnn) => Arg.Raw("global::Nxt.Kernels.RnnCell." + rnn.Mode switch
    {
        RnnMode.Lstm => "Lstm",
        RnnMode.Gru => "Gru",
        RnnMode.RnnTanh => "Tanh",
        _ => "Relu",
    });

    /// <summary>
    /// Where each part lies in a sample's share of the node's scratch: every lane's own region
    /// (the size of <c>Nxt.Kernels.RnnScratchLayout.PerSample</c>: a smaller one fails the RNN
    /// tests with a slice out of range), then, for each layer but the last, its output
    /// <c>(T, D·H)</c>, that output's gradient, and its dropout mask when <c>p &gt; 0</c>. The lane
    /// regions end with the gradients of the final hidden state and cell.
    /// </summary>
    internal readonly struct Layout
    {
        private readonly RnnParams _rnn;
        private readonly int _inputs;

        public Layout(RnnParams rnn, int steps, int inputs)
        {
            _rnn = rnn;
            _inputs = inputs;
            Steps = steps;
        }

        /// <summary>An inferred RNN node's layout: its steps from its output, its inputs from its first weight.</summary>
        public static Layout Of(InferredNode node) => new(Params<RnnParams>(node), node.Shape[0], node.Parameters[0].Shape[1]);

        public int Steps { get; }

        public int LayerValues => Steps * _rnn.Directions * _rnn.StateSize;

        private int Between => _rnn.P > 0 ? 3 : 2;

        public int PerSample => Lane(_rnn.NumLayers * _rnn.Directions) + ((_rnn.NumLayers - 1) * Between * LayerValues);

        public int Inputs(int layer) => layer == 0 ? _inputs : _rnn.Directions * _rnn.StateSize;

        public int LaneLength(int layer)
        {
            int gates = _rnn.Gates * _rnn.StateSize, hidden = _rnn.StateSize;
            return (2 * Steps * Inputs(layer)) + (3 * Steps * gates) + (2 * Steps * hidden) + (6 * hidden);
        }

        /// <summary>Lane <paramref name="index"/>'s last hidden state, or with <paramref name="cell"/> its last cell: its final state.</summary>
        public int FinalState(int index, bool cell)
        {
            int layer = index / _rnn.Directions, gates = _rnn.Gates * _rnn.StateSize;
            int cells = Lane(index) + (Steps * Inputs(layer)) + (2 * Steps * gates);
            return (cell ? cells : cells + (Steps * _rnn.StateSize)) + ((Steps - 1) * _rnn.StateSize);
        }

        /// <summary>Where lane <paramref name="index"/>'s backward pass finds its final hidden state's gradient, or its cell's.</summary>
        public int FinalStateGradient(int index, bool cell) => Lane(index + 1) - ((cell ? 1 : 2) * _rnn.StateSize);

        /// <summary>The start of lane <paramref name="index"/> (layer-major), or the end of the lanes.</summary>
        public int Lane(int index)
        {
            int offset = 0;
            for (int i = 0; i < index; i++)
            {
                offset += LaneLength(i / _rnn.Directions);
            }

            return offset;
        }

        public int Output(int layer) => Lane(_rnn.NumLayers * _rnn.Directions) + (layer * Between * LayerValues);

        public int Gradient(int layer) => Output(layer) + LayerValues;

        public int Mask(int layer) => Gradient(layer) + LayerValues;
    }
}

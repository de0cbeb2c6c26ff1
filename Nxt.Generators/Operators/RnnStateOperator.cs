using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Onnx;
using Nxt.Generators.Operators.Plans;

namespace Nxt.Generators.Operators;

/// <summary><c>[RNNState(rnn, Cell)]</c>.</summary>
internal sealed record RnnStateParams(bool Cell) : OpParams;

/// <summary>
/// MXNet's <c>state_outputs</c> of a fused RNN (its outputs 1 and 2) as a node of their own, as a
/// Nxt node has one value: the final hidden states or cells, <c>(N, L·D, H)</c>, copied from the
/// last time-major step of each lane's region in the RNN's scratch. Its backward writes the
/// lanes' final-state gradients into the regions the RNN's backward pass starts from (zeros
/// when no such node exists), so it runs first, as a reader of the RNN always does.
/// </summary>
internal sealed class RnnStateOperator : Operator
{
    public static readonly OpKind Kind = new("RNNState");
    private const string Kernels = "RnnKernels";

    public override IReadOnlyList<OpKind> Kinds { get; } = new[] { Kind };

    public override IReadOnlyList<string> AttributeNames { get; } = new[] { "RNNStateAttribute" };

    public override string? SizeArgument => null;

    public override (OpKind, OpParams) Read(AttributeReader attribute, List<InputRef> inputs, DeclarationSink problems)
    {
        inputs.Add(new InputRef(attribute.Text(0), "rnn", -1));
        return (Kind, new RnnStateParams(attribute.Bool("Cell", false)));
    }

    public override (string? Argument, string Message)? CheckArguments(NodeSpec node) => null;

    public override (int Min, int Max) Arity(OpParams parameters) => (1, 1);

    public override string ArityHint(OpParams parameters) => ": the RNN";

    public override InferredNode? Infer(InferenceContext context)
    {
        var input = context.Inputs[0];
        if (input.Op != RnnOperator.Kind)
        {
            return context.Fail(ErrorCode.ShapeMismatch, "rnn", $"RNNState '{context.Name}' reads the final states of an RNN, but '{input.Name}' is {input.Op} {Shapes.Batched(input.Shape)}");
        }

        var rnn = Params<RnnParams>(input);
        return ((RnnStateParams)context.Node.Params).Cell && rnn.Mode != RnnMode.Lstm
            ? context.Fail(ErrorCode.ParameterOutOfRange, "Cell", $"RNNState '{context.Name}' asks for the cells of '{input.Name}', a {rnn.Mode} cell, which has none: only an LSTM keeps a cell state")
            : context.Make(Shapes.Of(rnn.NumLayers * rnn.Directions, rnn.StateSize));
    }

    public override OpTraits Traits(OpParams parameters) => OpTraits.None;

    public override LabelInfo? Label(InferredNode node) => null;

    // It reads the RNN's scratch (which lives to the end), not the RNN's output.
    public override IReadOnlyList<int> BackwardReads(InferredNode node) => System.Array.Empty<int>();

    // Not an MXNet operator (MXNet's consumers read the RNN's outputs 1 and 2): written under a
    // name of Nxt's own so that Nxt's symbol files round-trip; MXNet cannot load those nodes.
    public override IReadOnlyList<string> MxnetOps { get; } = new[] { "_nxt_RNNState" };

    public override (OpKind Kind, OpParams Params) FromMxnet(MxnetAttributeReader attributes)
        => (Kind, new RnnStateParams(attributes.Bool("cell", false)));

    public override string MxnetName(OpParams parameters) => "_nxt_RNNState";

    public override void MxnetAttributes(OpParams parameters, MxnetAttributeList attributes)
        => attributes.AddIf("cell", "True", ((RnnStateParams)parameters).Cell);

    // Each layer's Y_h or Y_c (D, N, H), batch first, the layers side by side.
    public override void Onnx(OnnxContext onnx)
    {
        var rnn = Params<RnnParams>(onnx.Inputs[0]);
        bool cell = Params<RnnStateParams>(onnx.Node).Cell;
        var layers = Enumerable.Range(0, rnn.NumLayers).Select(layer =>
        {
            string batchFirst = $"{onnx.Name}_layer{layer}";
            onnx.Graph.Node("Transpose", new[] { RnnOperator.FinalStateName(onnx.X, layer, cell) }, batchFirst, OnnxAttribute.Ints("perm", new[] { 1, 0, 2 }));
            return batchFirst;
        }).ToArray();
        onnx.Graph.Node("Concat", layers, onnx.Name, OnnxAttribute.Int("axis", 1));
    }

    public override IEnumerable<string> ClassFields(InferredNode node, InferredGraph graph) => Enumerable.Empty<string>();

    public override int CpuWorkspacePerThread(InferredNode node, InferredGraph graph) => 0;

    public override void Forward(PlanSteps steps, ForwardContext context)
    {
        var (rnnNode, rnn, layout, cell) = Source(context.Node, context.Inputs[0]);
        foreach (var lane in RnnOperator.Lanes(rnn))
        {
            var state = Buffers.ScratchPart(rnnNode, layout.FinalState(lane.Index, cell), rnn.StateSize);
            steps.Kernel(Kernels, "FinalState", state, context.Y, Arg.N, Arg.Int(rnn.StateSize), RnnOperator.LaneArg(rnn, lane));
        }
    }

    public override void Backward(PlanSteps steps, BackwardContext context)
    {
        var (rnnNode, rnn, layout, cell) = Source(context.Node, context.Inputs[0]);
        if (!context.WantsInput)
        {
            return;
        }

        steps.If(context.WantX, then =>
        {
            foreach (var lane in RnnOperator.Lanes(rnn))
            {
                var gradient = Buffers.ScratchPart(rnnNode, layout.FinalStateGradient(lane.Index, cell), rnn.StateSize);
                then.Kernel(Kernels, "FinalStateBackward", context.Dy, gradient, Arg.N, Arg.Int(rnn.StateSize), RnnOperator.LaneArg(rnn, lane));
            }

            // Nothing flows to the RNN's output from here.
            then.Kernel("SequenceKernels", "NoGradient", context.Dx, Arg.Rows(rnnNode.SampleLength), context.Acc);
        });
    }

    private static (InferredNode Rnn, RnnParams Params, RnnOperator.Layout Layout, bool Cell) Source(InferredNode node, InferredNode rnnNode)
    {
        var rnn = Params<RnnParams>(rnnNode);
        return (rnnNode, rnn, RnnOperator.Layout.Of(rnnNode), Params<RnnStateParams>(node).Cell);
    }
}

using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Onnx;
using Nxt.Generators.Operators.Plans;

namespace Nxt.Generators.Operators;

/// <summary><c>[SequenceMask(data, sequenceLength, Value = 0, Axis = 1)]</c>.</summary>
internal sealed record SequenceMaskParams(double Value, int Axis) : OpParams;

/// <summary>
/// MXNet <c>SequenceMask</c> with lengths: the steps of <c>(N, T, ...)</c> at or past each
/// sample's length become <c>value</c>, and their gradient zero; the lengths get none.
/// </summary>
internal sealed class SequenceMaskOperator : Operator
{
    public static readonly OpKind Kind = new("SequenceMask");
    private const string Kernels = "SequenceKernels";

    public override IReadOnlyList<OpKind> Kinds { get; } = new[] { Kind };

    public override IReadOnlyList<string> AttributeNames { get; } = new[] { "SequenceMaskAttribute" };

    public override string? SizeArgument => null;

    public override (OpKind, OpParams) Read(AttributeReader attribute, List<InputRef> inputs, DeclarationSink problems)
    {
        inputs.Add(new InputRef(attribute.Text(0), "data", -1));
        inputs.Add(new InputRef(attribute.Text(1), "sequenceLength", -1));
        return (Kind, new SequenceMaskParams(attribute.Double("Value", 0), attribute.Int("Axis", 1)));
    }

    public override (string? Argument, string Message)? CheckArguments(NodeSpec node) => node.Params switch
    {
        SequenceMaskParams { Axis: not 1 } m => ("Axis", $"SequenceMask '{node.Name}' has axis {m.Axis}: a Nxt value has the batch first, so its time axis is 1"),
        SequenceMaskParams m when !SinglePrecision.IsFinite(m.Value) => ("Value", $"SequenceMask '{node.Name}' has value {MxnetText.Real(m.Value)}: it must be finite in single precision"),
        _ => null,
    };

    public override (int Min, int Max) Arity(OpParams parameters) => (2, 2);

    public override string ArityHint(OpParams parameters) => ": the sequence and its lengths";

    public override InferredNode? Infer(InferenceContext context)
    {
        var lengths = context.Inputs[1];
        if (context.X.Count < 1)
        {
            return context.Fail($"SequenceMask '{context.Name}' masks a sequence (N,T,...), but '{context.Inputs[0].Name}' is {Shapes.Batched(context.X)}");
        }

        return lengths.SampleLength != 1
            ? context.Fail(ErrorCode.ShapeMismatch, "sequenceLength", $"SequenceMask '{context.Name}' takes one length per sample, (N) or (N,1), but '{lengths.Name}' is {Shapes.Batched(lengths.Shape)}")
            : context.Make(context.X);
    }

    public override OpTraits Traits(OpParams parameters) => OpTraits.None;

    public override LabelInfo? Label(InferredNode node) => null;

    public override IReadOnlyList<int> BackwardReads(InferredNode node) => new[] { node.Inputs[1] };

    public override IReadOnlyList<string> MxnetOps { get; } = new[] { "SequenceMask" };

    public override (OpKind Kind, OpParams Params) FromMxnet(MxnetAttributeReader attributes)
    {
        // MXNet's default, False, passes the data through untouched: a SequenceMask without lengths is not this operator.
        if (!attributes.Has("use_sequence_length"))
        {
            throw new MxnetImportException("use_sequence_length is False (MXNet's default), which passes the data through: Nxt's SequenceMask takes lengths; drop the node or set use_sequence_length");
        }

        attributes.OnlyValue("use_sequence_length", "True", "true", "1");
        return (Kind, new SequenceMaskParams(attributes.Double("value", 0), attributes.Int("axis", 0)));
    }

    public override string MxnetName(OpParams parameters) => "SequenceMask";

    public override void MxnetAttributes(OpParams parameters, MxnetAttributeList attributes)
    {
        var m = (SequenceMaskParams)parameters;
        attributes.Add("use_sequence_length", "True");
        attributes.AddIf("value", MxnetText.Real(m.Value), m.Value != 0);
        attributes.Add("axis", m.Axis);
    }

    // ONNX has no SequenceMask: step indices (1,T,1,...) below the floored lengths (N,1,1,...) pick x, the rest the value.
    public override void Onnx(OnnxContext onnx)
    {
        var x = onnx.Inputs[0].Shape;
        string name = onnx.Name, lengths = onnx.Inputs[1].Name;
        var ones = Enumerable.Repeat(1, x.Count - 1).ToArray();
        onnx.Graph.Floats(name + "_steps", new[] { 1, x[0] }.Concat(ones).ToArray(), Enumerable.Range(0, x[0]).Select(t => (double)t).ToArray());
        onnx.Graph.Int64s(name + "_lengths_shape", new[] { -1 }.Concat(Enumerable.Repeat(1, x.Count)).ToArray());
        onnx.Graph.Floats(name + "_value", System.Array.Empty<int>(), Params<SequenceMaskParams>(onnx.Node).Value);
        onnx.Graph.Node("Floor", new[] { lengths }, name + "_whole");
        onnx.Graph.Node("Reshape", new[] { name + "_whole", name + "_lengths_shape" }, name + "_lengths");
        onnx.Graph.Node("Less", new[] { name + "_steps", name + "_lengths" }, name + "_kept");
        onnx.Graph.Node("Where", new[] { name + "_kept", onnx.X, name + "_value" }, name);
    }

    public override IEnumerable<string> ClassFields(InferredNode node, InferredGraph graph) => Enumerable.Empty<string>();

    public override int CpuWorkspacePerThread(InferredNode node, InferredGraph graph) => 0;

    public override void Forward(PlanSteps steps, ForwardContext context)
    {
        var (t, width) = Steps(context.Inputs[0]);
        steps.Kernel(Kernels, "Mask", context.X, Buffers.Out(context.Inputs[1]), context.Y, Arg.N, t, width, Arg.Float(Params<SequenceMaskParams>(context.Node).Value));
    }

    public override void Backward(PlanSteps steps, BackwardContext context)
    {
        var (t, width) = Steps(context.Inputs[0]);
        if (context.Wanted[0])
        {
            steps.Guarded(context.WantX, Kernels, "MaskBackward", context.Dy, Buffers.Out(context.Inputs[1]), context.Dx, Arg.N, t, width, context.Acc);
        }

        if (context.Wanted[1])
        {
            steps.Guarded(Buffers.Wanted(context.Inputs[1]), Kernels, "NoGradient", Buffers.Grad(context.Inputs[1]), Arg.N, context.AccumulateInput(1));
        }
    }

    private static (Arg Steps, Arg Width) Steps(InferredNode sequence)
        => (Arg.Int(sequence.Shape[0]), Arg.Int(sequence.SampleLength / sequence.Shape[0]));
}

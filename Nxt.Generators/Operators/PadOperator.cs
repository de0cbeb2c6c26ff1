using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Onnx;
using Nxt.Generators.Operators.Plans;

namespace Nxt.Generators.Operators;

/// <summary>MXNet <c>mode</c> of <c>pad</c>; the members mirror the runtime's <c>PadMode</c> by name.</summary>
internal enum PadMode
{
    Constant,
    Edge,
    Reflect,
}

/// <summary><c>[Pad(padWidth, Mode, ConstantValue)]</c>.</summary>
internal sealed record PadParams(EquatableArray<int> PadWidth, PadMode Mode, double ConstantValue) : OpParams;

/// <summary>MXNet <c>pad</c> over images (N,C,H,W): a border of rows and columns, constant, edge or reflected.</summary>
internal sealed class PadOperator : Operator
{
    public static readonly OpKind Kind = new("Pad");
    private const string Kernels = "PadKernels";

    public override IReadOnlyList<OpKind> Kinds { get; } = new[] { Kind };

    public override IReadOnlyList<string> AttributeNames { get; } = new[] { "PadAttribute" };

    public override string? SizeArgument => "padWidth";

    public override (OpKind, OpParams) Read(AttributeReader attribute, List<InputRef> inputs, DeclarationSink problems)
        => (Kind, new PadParams(attribute.Ints(0), attribute.Enum("Mode", PadMode.Constant), attribute.Double("ConstantValue", 0)));

    public override (string? Argument, string Message)? CheckArguments(NodeSpec node)
    {
        var pad = (PadParams)node.Params;
        var w = pad.PadWidth;
        if (w.Count != 8 || w.Take(4).Any(p => p != 0) || w.Any(p => p < 0))
        {
            return ("padWidth", $"Pad '{node.Name}' has pad_width {Shapes.Fixed(w)}: Nxt pads images (N,C,H,W), so it takes (0, 0, 0, 0, top, bottom, left, right), each at least 0");
        }

        if (!System.Enum.IsDefined(typeof(PadMode), pad.Mode))
        {
            return ("Mode", $"Pad '{node.Name}' has mode {(int)pad.Mode}, which is not a value of PadMode");
        }

        return SinglePrecision.IsFinite(pad.ConstantValue) ? null : ("ConstantValue", $"Pad '{node.Name}' has constant_value {MxnetText.Real(pad.ConstantValue)}: it must be finite in single precision");
    }

    public override (int Min, int Max) Arity(OpParams parameters) => (1, 1);

    public override string ArityHint(OpParams parameters) => string.Empty;

    public override InferredNode? Infer(InferenceContext context)
    {
        var pad = (PadParams)context.Node.Params;
        var x = context.X;
        if (x.Count != 3)
        {
            return context.Fail($"Pad '{context.Name}' pads images (N,C,H,W), but '{context.Inputs[0].Name}' is {Shapes.Batched(x)}");
        }

        var w = pad.PadWidth;
        if (pad.Mode == PadMode.Reflect && (w[4] >= x[1] || w[5] >= x[1] || w[6] >= x[2] || w[7] >= x[2]))
        {
            return context.Fail(ErrorCode.ParameterOutOfRange, "padWidth", $"Pad '{context.Name}' reflects '{context.Inputs[0].Name}' {Shapes.Batched(x)} by {Shapes.Fixed(w)}: a reflected border must be narrower than the image along its axis");
        }

        long height = (long)x[1] + w[4] + w[5], width = (long)x[2] + w[6] + w[7];
        return (long)x[0] * height * width > SizeLimits.MaxSampleFloats
            ? context.Fail(ErrorCode.ParameterOutOfRange, "padWidth", $"Pad '{context.Name}' would make '{context.Inputs[0].Name}' {Shapes.Batched(x)} ({x[0]},{height},{width}): past the {SizeLimits.MaxSampleFloats} floats a sample can hold")
            : context.Make(Shapes.Of(x[0], (int)height, (int)width));
    }

    public override OpTraits Traits(OpParams parameters) => OpTraits.None;

    public override LabelInfo? Label(InferredNode node) => null;

    public override IReadOnlyList<int> BackwardReads(InferredNode node) => System.Array.Empty<int>();

    public override IReadOnlyList<string> MxnetOps { get; } = new[] { "Pad", "pad" };

    public override (OpKind Kind, OpParams Params) FromMxnet(MxnetAttributeReader attributes)
        => (Kind, new PadParams(
            (attributes.Tuple("pad_width") ?? throw new MxnetImportException("attribute 'pad_width' is missing, and pad has no default for it")).ToEquatableArray(),
            attributes.Enum("mode", PadMode.Constant),
            attributes.Double("constant_value", 0)));

    public override string MxnetName(OpParams parameters) => "Pad";

    public override void MxnetAttributes(OpParams parameters, MxnetAttributeList attributes)
    {
        var pad = (PadParams)parameters;
        attributes.Add("mode", MxnetText.Enum(pad.Mode));
        attributes.Add("pad_width", MxnetText.Tuple(pad.PadWidth));
        attributes.AddIf("constant_value", MxnetText.Real(pad.ConstantValue), pad.ConstantValue != 0);
    }

    // Opset 13's Pad takes the begins of every axis, then the ends, as an input.
    public override void Onnx(OnnxContext onnx)
    {
        var pad = Params<PadParams>(onnx.Node);
        var w = pad.PadWidth;
        onnx.Graph.Int64s(onnx.Name + "_pads", new[] { 0, 0, w[4], w[6], 0, 0, w[5], w[7] });
        onnx.Graph.Floats(onnx.Name + "_value", System.Array.Empty<int>(), pad.ConstantValue);
        onnx.Graph.Node("Pad", new[] { onnx.X, onnx.Name + "_pads", onnx.Name + "_value" }, onnx.Name, OnnxAttribute.String("mode", MxnetText.Enum(pad.Mode)));
    }

    public override IEnumerable<string> ClassFields(InferredNode node, InferredGraph graph)
    {
        var pad = Params<PadParams>(node);
        var x = graph.Nodes[node.Input].Shape;
        yield return $"private static readonly global::Nxt.Kernels.PadGeometry {Windows.FieldName(node)} = new(" +
            $"Height: {x[1]}, Width: {x[2]}, Top: {pad.PadWidth[4]}, Left: {pad.PadWidth[6]}, OutHeight: {node.Shape[1]}, OutWidth: {node.Shape[2]}, Mode: {(int)pad.Mode});";
    }

    public override int CpuWorkspacePerThread(InferredNode node, InferredGraph graph) => 0;

    public override void Forward(PlanSteps steps, ForwardContext context)
        => steps.Kernel(Kernels, "Forward", context.X, context.Y, Arg.Rows(context.Node.Shape[0]), Windows.Field(context.Node), Arg.Float(Params<PadParams>(context.Node).ConstantValue));

    public override void Backward(PlanSteps steps, BackwardContext context)
        => steps.Guarded(context.WantX, Kernels, "Backward", context.Dy, context.Dx, Arg.Rows(context.Node.Shape[0]), Windows.Field(context.Node), context.Acc);
}

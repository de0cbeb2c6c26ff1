using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Expressions;
using Nxt.Generators.Operators.Onnx;
using Nxt.Generators.Operators.Plans;

namespace Nxt.Generators.Operators;

/// <summary><c>[Clip(aMin, aMax)]</c>: <c>min(max(x, a_min), a_max)</c>.</summary>
internal sealed record ClipParams(double Min, double Max) : OpParams;

/// <summary>
/// MXNet <c>clip(a_min, a_max)</c>, element-wise. Backward, as MXNet: the gradient passes where
/// <c>a_min ≤ x ≤ a_max</c>, and is zero where the value was clipped.
/// </summary>
internal sealed class ClipOperator : Operator, IElementwiseOperator
{
    public static readonly OpKind Kind = new("Clip");
    private const string Kernels = "ClipKernels";

    public override IReadOnlyList<OpKind> Kinds { get; } = new[] { Kind };

    public override IReadOnlyList<string> AttributeNames { get; } = new[] { "ClipAttribute" };

    public override string? SizeArgument => null;

    public override (OpKind, OpParams) Read(AttributeReader attribute, List<InputRef> inputs, DeclarationSink problems)
        => (Kind, new ClipParams(attribute.Double(0, double.NaN), attribute.Double(1, double.NaN)));

    public override (string? Argument, string Message)? CheckArguments(NodeSpec node)
    {
        var clip = (ClipParams)node.Params;
        if (!SinglePrecision.IsFinite(clip.Min))
        {
            return ("aMin", $"Clip '{node.Name}' has a_min {MxnetText.Real(clip.Min)}: it must be finite in single precision");
        }

        if (!SinglePrecision.IsFinite(clip.Max))
        {
            return ("aMax", $"Clip '{node.Name}' has a_max {MxnetText.Real(clip.Max)}: it must be finite in single precision");
        }

        return clip.Min > clip.Max ? ("aMax", $"Clip '{node.Name}' has a_min {MxnetText.Real(clip.Min)} above a_max {MxnetText.Real(clip.Max)}") : null;
    }

    public override (int Min, int Max) Arity(OpParams parameters) => (1, 1);

    public override string ArityHint(OpParams parameters) => string.Empty;

    public override InferredNode? Infer(InferenceContext context) => context.Make(context.X);

    public override OpTraits Traits(OpParams parameters) => OpTraits.InPlace;

    public override LabelInfo? Label(InferredNode node) => null;

    public override IReadOnlyList<int> BackwardReads(InferredNode node) => new[] { node.Input };

    public override IReadOnlyList<string> MxnetOps { get; } = new[] { "clip" };

    public override (OpKind Kind, OpParams Params) FromMxnet(MxnetAttributeReader attributes)
        => (Kind, new ClipParams(attributes.RequiredDouble("a_min"), attributes.RequiredDouble("a_max")));

    public override string MxnetName(OpParams parameters) => "clip";

    public override void MxnetAttributes(OpParams parameters, MxnetAttributeList attributes)
    {
        var clip = (ClipParams)parameters;
        attributes.Add("a_min", MxnetText.Real(clip.Min));
        attributes.Add("a_max", MxnetText.Real(clip.Max));
    }

    // Clip's bounds are inputs, and must be scalars.
    public override void Onnx(OnnxContext onnx)
    {
        var clip = Params<ClipParams>(onnx.Node);
        onnx.Graph.Floats(onnx.Name + "_min", System.Array.Empty<int>(), clip.Min);
        onnx.Graph.Floats(onnx.Name + "_max", System.Array.Empty<int>(), clip.Max);
        onnx.Graph.Node("Clip", new[] { onnx.X, onnx.Name + "_min", onnx.Name + "_max" }, onnx.Name);
    }

    public override IEnumerable<string> ClassFields(InferredNode node, InferredGraph graph) => Enumerable.Empty<string>();

    public override int CpuWorkspacePerThread(InferredNode node, InferredGraph graph) => 0;

    public override void Forward(PlanSteps steps, ForwardContext context)
    {
        var clip = Params<ClipParams>(context.Node);
        steps.Kernel(Kernels, "Forward", context.X, context.Y, Arg.Float(clip.Min), Arg.Float(clip.Max));
    }

    public override void Backward(PlanSteps steps, BackwardContext context)
    {
        var clip = Params<ClipParams>(context.Node);
        steps.Guarded(context.WantX, Kernels, "Backward", context.X, context.Dy, context.Dx, Arg.Float(clip.Min), Arg.Float(clip.Max), context.Acc);
    }

    public bool IsElementwise(OpParams parameters) => true;

    public Expr Forward(OpParams parameters, IReadOnlyList<Expr> inputs)
    {
        var clip = (ClipParams)parameters;
        return Expr.Min(Expr.Max(inputs[0], Expr.Const(clip.Min)), Expr.Const(clip.Max));
    }

    // The gradient passes where min ≤ x ≤ max, bounds included, as the kernel's.
    public IReadOnlyList<Expr> Gradients(OpParams parameters, IReadOnlyList<Expr> inputs, Expr y, Expr dy)
    {
        var clip = (ClipParams)parameters;
        var x = inputs[0];
        return new[] { Expr.Select(x, Comparison.GreaterOrEqual, Expr.Const(clip.Min), Expr.Select(x, Comparison.LessOrEqual, Expr.Const(clip.Max), dy, Expr.Zero), Expr.Zero) };
    }
}

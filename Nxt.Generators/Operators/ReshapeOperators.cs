using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Onnx;
using Nxt.Generators.Operators.Plans;

namespace Nxt.Generators.Operators;

/// <summary>What the view operators share: no compute forward, nothing to do backward (the gradient shares the buffer too).</summary>
internal abstract class ViewOperator : Operator
{
    public override (int Min, int Max) Arity(OpParams parameters) => (1, 1);

    public override string ArityHint(OpParams parameters) => string.Empty;

    public override OpTraits Traits(OpParams parameters) => OpTraits.View;

    public override LabelInfo? Label(InferredNode node) => null;

    public override IReadOnlyList<int> BackwardReads(InferredNode node) => System.Array.Empty<int>();

    public override IEnumerable<string> ClassFields(InferredNode node, InferredGraph graph) => Enumerable.Empty<string>();

    public override int CpuWorkspacePerThread(InferredNode node, InferredGraph graph) => 0;

    public override void Forward(PlanSteps steps, ForwardContext context) => WriteForward(steps, context);

    public override void Backward(PlanSteps steps, BackwardContext context)
        => steps.Comment($"A view: {Buffers.GradName(context.Node)} is {Buffers.GradName(context.Inputs[0])}'s buffer, nothing to do.");

    /// <summary>A view's forward: nothing but a comment.</summary>
    public static void WriteForward(PlanSteps steps, ForwardContext context)
        => steps.Comment($"A view: {Buffers.OutName(context.Node)} is {Buffers.OutName(context.Inputs[0])}'s buffer, no copy.");
}

/// <summary>MXNet <c>Flatten</c>: <c>(N, d1, d2, ...)</c> to <c>(N, d1·d2·...)</c>, a view.</summary>
internal sealed class FlattenOperator : ViewOperator
{
    public override IReadOnlyList<OpKind> Kinds { get; } = new[] { OpKind.Flatten };

    public override IReadOnlyList<string> AttributeNames { get; } = new[] { "FlattenAttribute" };

    public override string? SizeArgument => null;

    public override (OpKind, OpParams) Read(AttributeReader attribute, List<InputRef> inputs, DeclarationSink problems) => (OpKind.Flatten, new FlattenParams());

    public override (string? Argument, string Message)? CheckArguments(NodeSpec node) => null;

    public override InferredNode? Infer(InferenceContext context) => context.Make(Shapes.Of(Shapes.Product(context.X)));

    public override IReadOnlyList<string> MxnetOps { get; } = new[] { "Flatten", "flatten" };

    public override (OpKind Kind, OpParams Params) FromMxnet(MxnetAttributeReader attributes) => (OpKind.Flatten, new FlattenParams());

    public override string MxnetName(OpParams parameters) => "Flatten";

    public override void MxnetAttributes(OpParams parameters, MxnetAttributeList attributes)
    {
    }

    public override void Onnx(OnnxContext onnx) => onnx.Single("Flatten", OnnxAttribute.Int("axis", 1));
}

/// <summary>MXNet <c>Reshape</c> with codes 0 (keep) and -1 (infer), batch dimension first: a view.</summary>
internal sealed class ReshapeOperator : ViewOperator
{
    public override IReadOnlyList<OpKind> Kinds { get; } = new[] { OpKind.Reshape };

    public override IReadOnlyList<string> AttributeNames { get; } = new[] { "ReshapeAttribute" };

    public override string? SizeArgument => "shape";

    public override (OpKind, OpParams) Read(AttributeReader attribute, List<InputRef> inputs, DeclarationSink problems) => (OpKind.Reshape, new ReshapeParams(attribute.Ints(0)));

    public override (string? Argument, string Message)? CheckArguments(NodeSpec node)
    {
        var reshape = (ReshapeParams)node.Params;
        if (reshape.Shape.Count == 0)
        {
            return ("shape", $"Reshape '{node.Name}' needs a target shape, e.g. [Reshape(0, -1)]");
        }

        if (reshape.Shape.Any(d => d < -1))
        {
            return ("shape", $"Reshape '{node.Name}' has shape {Shapes.Codes(reshape.Shape)}: only 0 (keep), -1 (infer) and positive sizes are supported");
        }

        if (reshape.Shape.Count(d => d == -1) > 1)
        {
            return ("shape", $"Reshape '{node.Name}' has shape {Shapes.Codes(reshape.Shape)}: at most one dimension can be -1");
        }

        return null;
    }

    public override InferredNode? Infer(InferenceContext context)
    {
        var reshape = (ReshapeParams)context.Node.Params;
        var (shape, problem) = Apply(reshape.Shape, context.X);
        return problem is null
            ? context.Make(shape!.Value)
            : context.Fail($"Reshape '{context.Name}' cannot take {context.Inputs[0].Name} {Shapes.Batched(context.X)} to {Shapes.Codes(reshape.Shape)}: {problem}");
    }

    public override IReadOnlyList<string> MxnetOps { get; } = new[] { "Reshape", "reshape" };

    public override (OpKind Kind, OpParams Params) FromMxnet(MxnetAttributeReader attributes)
    {
        attributes.OnlyValue("reverse", "False", "0");
        var shape = attributes.Tuple("shape") ?? throw new MxnetImportException("attribute 'shape' is missing; Nxt reads Reshape's 'shape' (not the old 'target_shape')");
        return (OpKind.Reshape, new ReshapeParams(shape.ToEquatableArray()));
    }

    public override string MxnetName(OpParams parameters) => "Reshape";

    public override void MxnetAttributes(OpParams parameters, MxnetAttributeList attributes)
        => attributes.Add("shape", MxnetText.Tuple(((ReshapeParams)parameters).Shape));

    public override void Onnx(OnnxContext onnx)
    {
        onnx.Graph.Int64s(onnx.Name + "_shape", Params<ReshapeParams>(onnx.Node).Shape);
        onnx.Graph.Node("Reshape", new[] { onnx.X, onnx.Name + "_shape" }, onnx.Name);
    }

    // MXNet codes over the full shape, batch first: 0 keeps the input's dimension at that position,
    // -1 takes what is left. The batch must stay the first dimension.
    private static (EquatableArray<int>? Shape, string? Problem) Apply(EquatableArray<int> codes, EquatableArray<int> x)
    {
        int perSample = Shapes.Product(x);
        bool batchFirst = codes[0] == 0 || (codes[0] == -1 && codes.Skip(1).All(d => d != -1));
        if (!batchFirst)
        {
            return (null, "the batch dimension must stay first: start the shape with 0");
        }

        var dims = new List<int>();
        int inferAt = -1;
        for (int i = 1; i < codes.Count; i++)
        {
            int code = codes[i];
            if (code == 0)
            {
                if (i > x.Count)
                {
                    return (null, $"code 0 at position {i} copies a dimension the input does not have");
                }

                dims.Add(x[i - 1]);
            }
            else
            {
                if (code == -1)
                {
                    inferAt = dims.Count;
                }

                dims.Add(code);
            }
        }

        long known = SizeLimits.Product(dims.Where((d, i) => i != inferAt));
        if (inferAt >= 0)
        {
            if (known == 0 || perSample % known != 0)
            {
                return (null, $"{perSample} elements per sample do not divide into {known}");
            }

            dims[inferAt] = (int)(perSample / known);
        }
        else if (known != perSample)
        {
            return (null, $"{perSample} elements per sample become {known}");
        }

        return (Shapes.Of(dims), null);
    }
}

/// <summary>The same value under another name (a block's output): a view, no compute.</summary>
internal sealed class IdentityOperator : ViewOperator
{
    public override IReadOnlyList<OpKind> Kinds { get; } = new[] { OpKind.Identity };

    // Nodes of this kind come from the block expander, and from a misplaced [BlockInput].
    public override IReadOnlyList<string> AttributeNames { get; } = new[] { "BlockInputAttribute" };

    public override string? SizeArgument => null;

    public override (OpKind, OpParams) Read(AttributeReader attribute, List<InputRef> inputs, DeclarationSink problems)
    {
        problems.Unsupported($"[BlockInput] '{problems.NodeName}' belongs in a [Block] class, as its first member");
        return (OpKind.Identity, new IdentityParams());
    }

    public override (string? Argument, string Message)? CheckArguments(NodeSpec node) => null;

    public override InferredNode? Infer(InferenceContext context) => context.Make(context.X);

    public override IReadOnlyList<string> MxnetOps { get; } = new[] { "identity", "_copy" };

    public override (OpKind Kind, OpParams Params) FromMxnet(MxnetAttributeReader attributes) => (OpKind.Identity, new IdentityParams());

    public override string MxnetName(OpParams parameters) => "identity";

    public override void MxnetAttributes(OpParams parameters, MxnetAttributeList attributes)
    {
    }

    public override void Onnx(OnnxContext onnx) => onnx.Single("Identity");
}

/// <summary>MXNet <c>BlockGrad</c>: the value passes forward, no gradient flows back.</summary>
internal sealed class BlockGradOperator : ViewOperator
{
    public override IReadOnlyList<OpKind> Kinds { get; } = new[] { OpKind.BlockGrad };

    public override IReadOnlyList<string> AttributeNames { get; } = new[] { "BlockGradAttribute" };

    public override string? SizeArgument => null;

    public override (OpKind, OpParams) Read(AttributeReader attribute, List<InputRef> inputs, DeclarationSink problems) => (OpKind.BlockGrad, new BlockGradParams());

    public override (string? Argument, string Message)? CheckArguments(NodeSpec node) => null;

    public override InferredNode? Infer(InferenceContext context) => context.Make(context.X);

    public override OpTraits Traits(OpParams parameters) => OpTraits.View | OpTraits.StopsGradient;

    public override IReadOnlyList<string> MxnetOps { get; } = new[] { "BlockGrad", "stop_gradient" };

    public override (OpKind Kind, OpParams Params) FromMxnet(MxnetAttributeReader attributes) => (OpKind.BlockGrad, new BlockGradParams());

    public override string MxnetName(OpParams parameters) => "BlockGrad";

    public override void MxnetAttributes(OpParams parameters, MxnetAttributeList attributes)
    {
    }

    public override void Onnx(OnnxContext onnx) => onnx.Single("Identity");

    // No gradient flows through: nothing to write.
    public override void Backward(PlanSteps steps, BackwardContext context)
    {
    }
}

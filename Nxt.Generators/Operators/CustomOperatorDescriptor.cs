using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Onnx;
using Nxt.Generators.Operators.Plans;

namespace Nxt.Generators.Operators;

/// <summary>
/// <c>[Custom&lt;T&gt;]</c>: a user's <c>ICustomOperator</c>, C# over host spans, with the shape
/// rule its <c>[CustomOperator]</c> attribute declares. It has no device kernel.
/// </summary>
internal sealed class CustomOperatorDescriptor : Operator
{
    private const string RuleAttribute = "Nxt.CustomOperatorAttribute";

    public override IReadOnlyList<OpKind> Kinds { get; } = new[] { OpKind.Custom };

    public override IReadOnlyList<string> AttributeNames { get; } = new[] { "CustomAttribute" };

    public override string? SizeArgument => null;

    public override (OpKind, OpParams) Read(AttributeReader attribute, List<InputRef> inputs, DeclarationSink problems)
    {
        if (attribute.TypeArguments.FirstOrDefault() is not INamedTypeSymbol custom)
        {
            problems.Unsupported($"[Custom] on '{problems.NodeName}' names no operator type");
            return (OpKind.Flatten, new FlattenParams());
        }

        var rule = AttributeReader.Find(custom, RuleAttribute);
        if (rule is null)
        {
            problems.Unsupported($"Custom operator {custom.Name} used by '{problems.NodeName}' has no [CustomOperator] attribute: declare its shape rule, e.g. [CustomOperator(InputRank = 1, OutputShape = new[] {{ 0 }})]");
        }

        return (OpKind.Custom, new CustomParams(
            custom.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            custom.Name,
            rule?.Int("InputRank", 0) ?? 0,
            rule?.Ints("OutputShape") ?? EquatableArray<int>.Empty));
    }

    public override (string? Argument, string Message)? CheckArguments(NodeSpec node)
        => node.Params is CustomParams custom && custom.OutputShape.Any(d => d < 0)
            ? (null, $"Custom operator {custom.ShortName} used by '{node.Name}' has output shape codes {Shapes.Codes(custom.OutputShape)}: use 0 (copy the input's dimension) or a positive size")
            : null;

    public override (int Min, int Max) Arity(OpParams parameters) => (1, 1);

    public override string ArityHint(OpParams parameters) => string.Empty;

    public override InferredNode? Infer(InferenceContext context)
    {
        var custom = (CustomParams)context.Node.Params;
        var x = context.X;
        if (custom.InputRank > 0 && x.Count != custom.InputRank)
        {
            return context.Fail($"Custom operator {custom.ShortName} takes samples of rank {custom.InputRank}, but '{context.Inputs[0].Name}' is {Shapes.Batched(x)}");
        }

        // Scratch for the input gradient, so the user's Backward can overwrite and the plan add.
        var scratch = new ScratchNeeds(Shapes.Product(x), 0);
        if (custom.OutputShape.Count == 0)
        {
            return context.Make(x, scratch: scratch);
        }

        var copied = custom.OutputShape.Select((code, i) => code == 0 && i >= x.Count ? -1 : code == 0 ? x[i] : code).ToList();
        return copied.Contains(-1)
            ? context.Fail($"Custom operator {custom.ShortName} copies input dimension {copied.IndexOf(-1) + 1} (code 0), but '{context.Inputs[0].Name}' is {Shapes.Batched(x)}")
            : context.Make(Shapes.Of(copied), scratch: scratch);
    }

    public override OpTraits Traits(OpParams parameters) => OpTraits.HostOnly;

    public override LabelInfo? Label(InferredNode node) => null;

    public override IReadOnlyList<int> BackwardReads(InferredNode node) => new[] { node.Input, node.Index };

    public override string MxnetName(OpParams parameters) => "Custom";

    public override void MxnetAttributes(OpParams parameters, MxnetAttributeList attributes) => attributes.Add("op_type", ((CustomParams)parameters).ShortName);

    public override void Onnx(OnnxContext onnx)
        => onnx.Graph.NotExportable($"node '{onnx.Name}' is the custom operator {Params<CustomParams>(onnx.Node).ShortName}, which is code, not graph");

    public override IEnumerable<string> ClassFields(InferredNode node, InferredGraph graph)
    {
        yield return $"private readonly {Params<CustomParams>(node).TypeName} {FieldName(node)} = new();";
    }

    public override int CpuWorkspacePerThread(InferredNode node, InferredGraph graph) => 0;

    public override void Forward(PlanSteps steps, ForwardContext context)
        => steps.Invoke(Arg.Raw(FieldName(context.Node)), "Forward", context.X, context.Y, Arg.N, Buffers.IsTrain);

    // The operator overwrites its scratch; the plan writes or adds it into the input's gradient.
    public override void Backward(PlanSteps steps, BackwardContext context)
    {
        var scratch = Buffers.Scratch(context.Node);
        steps.If(context.WantX, then =>
        {
            then.Invoke(Arg.Raw(FieldName(context.Node)), "Backward", context.X, context.Y, context.Dy, scratch, Arg.N);
            then.Kernel("ElementwiseKernels", "CopyOrAdd", scratch, context.Dx, context.Acc);
        });
    }

    /// <summary>The instance field holding a custom operator node's operator.</summary>
    public static string FieldName(InferredNode node) => "_" + node.Name + "_operator";
}

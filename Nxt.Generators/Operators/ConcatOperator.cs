using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Onnx;
using Nxt.Generators.Operators.Plans;

namespace Nxt.Generators.Operators;

/// <summary>MXNet <c>Concat</c> along any non-batch axis, as block copies.</summary>
internal sealed class ConcatOperator : Operator
{
    public const int DefaultDim = 1;
    private const string Kernels = "ConcatKernels";

    public override IReadOnlyList<OpKind> Kinds { get; } = new[] { OpKind.Concat };

    public override IReadOnlyList<string> AttributeNames { get; } = new[] { "ConcatAttribute" };

    public override string? SizeArgument => "inputs";

    public override (OpKind, OpParams) Read(AttributeReader attribute, List<InputRef> inputs, DeclarationSink problems)
    {
        inputs.AddRange(attribute.Names("inputs"));
        return (OpKind.Concat, new ConcatParams(attribute.Int("Dim", DefaultDim)));
    }

    public override (string? Argument, string Message)? CheckArguments(NodeSpec node)
        => node.Params is ConcatParams { Dim: < 1 } concat ? ("Dim", $"Concat '{node.Name}' has dim {concat.Dim}: axis 0 is the batch, so the axis must be at least 1") : null;

    public override (int Min, int Max) Arity(OpParams parameters) => (1, int.MaxValue);

    public override string ArityHint(OpParams parameters) => string.Empty;

    public override InferredNode? Infer(InferenceContext context)
    {
        var concat = (ConcatParams)context.Node.Params;
        var inputs = context.Inputs;
        var first = inputs[0].Shape;
        int axis = concat.Dim - 1; // the sample shape has no batch axis
        if (axis >= first.Count)
        {
            return context.Fail($"Concat '{context.Name}' joins along dim {concat.Dim}, but '{inputs[0].Name}' {Shapes.Batched(first)} has only {first.Count + 1} dimensions");
        }

        long total = 0;
        foreach (var input in inputs)
        {
            var s = input.Shape;
            bool fits = s.Count == first.Count && Enumerable.Range(0, s.Count).All(d => d == axis || s[d] == first[d]);
            if (!fits)
            {
                return context.Fail($"Concat '{context.Name}' joins along dim {concat.Dim}, but '{inputs[0].Name}' {Shapes.Batched(first)} and '{input.Name}' {Shapes.Batched(s)} differ off that axis");
            }

            total += s[axis];
        }

        return total > SizeLimits.MaxSampleFloats
            ? context.Fail(ErrorCode.ParameterOutOfRange, "inputs", $"Concat '{context.Name}' joins {total} values along dim {concat.Dim}: past what Nxt holds per sample")
            : context.Make(Shapes.Of(first.Select((d, i) => i == axis ? (int)total : d)));
    }

    public override OpTraits Traits(OpParams parameters) => OpTraits.None;

    public override LabelInfo? Label(InferredNode node) => null;

    public override IReadOnlyList<int> BackwardReads(InferredNode node) => System.Array.Empty<int>();

    public override IReadOnlyList<string> MxnetOps { get; } = new[] { "Concat", "concat" };

    public override (OpKind Kind, OpParams Params) FromMxnet(MxnetAttributeReader attributes) => (OpKind.Concat, new ConcatParams(attributes.Int("dim", DefaultDim)));

    public override string MxnetName(OpParams parameters) => "Concat";

    public override void MxnetAttributes(OpParams parameters, MxnetAttributeList attributes) => attributes.Add("dim", ((ConcatParams)parameters).Dim);

    public override void Onnx(OnnxContext onnx) => onnx.Single("Concat", OnnxAttribute.Int("axis", Params<ConcatParams>(onnx.Node).Dim));

    public override IEnumerable<string> ClassFields(InferredNode node, InferredGraph graph) => Enumerable.Empty<string>();

    public override int CpuWorkspacePerThread(InferredNode node, InferredGraph graph) => 0;

    public override void Forward(PlanSteps steps, ForwardContext context)
    {
        var concat = Params<ConcatParams>(context.Node);
        for (int i = 0; i < context.Inputs.Count; i++)
        {
            steps.Kernel(Kernels, "ForwardPart", new[] { Buffers.Out(context.Inputs[i]), context.Y, Arg.N }.Concat(Part(concat, context.Inputs, i)).ToArray());
        }
    }

    public override void Backward(PlanSteps steps, BackwardContext context)
    {
        var concat = Params<ConcatParams>(context.Node);
        for (int i = 0; i < context.Inputs.Count; i++)
        {
            if (context.Wanted[i])
            {
                var args = new[] { context.Dy, Buffers.Grad(context.Inputs[i]), Arg.N }.Concat(Part(concat, context.Inputs, i)).Append(context.AccumulateInput(i));
                steps.Guarded(Buffers.Wanted(context.Inputs[i]), Kernels, "BackwardPart", args.ToArray());
            }
        }
    }

    // Per sample, `outer` blocks; input i's `inner` floats at `offset` in each block of `outputInner`.
    private static Arg[] Part(ConcatParams concat, IReadOnlyList<InferredNode> inputs, int index)
    {
        int axis = concat.Dim - 1;
        int outer = inputs[0].Shape.Take(axis).Aggregate(1, (a, b) => a * b);
        int Inner(InferredNode n) => n.Shape.Skip(axis).Aggregate(1, (a, b) => a * b);
        return new[]
        {
            Arg.Int(outer).Named("outer"),
            Arg.Int(Inner(inputs[index])).Named("inner"),
            Arg.Int(inputs.Take(index).Sum(Inner)).Named("offset"),
            Arg.Int(inputs.Sum(Inner)).Named("outputInner"),
        };
    }
}

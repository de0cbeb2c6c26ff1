using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Onnx;
using Nxt.Generators.Operators.Plans;

namespace Nxt.Generators.Operators;

/// <summary>
/// <c>[Custom&lt;T&gt;]</c>: a user's operator, C# over host spans, with the shape rule its
/// <c>[CustomOperator]</c> attribute declares. An <c>ICustomOperator</c> reads one input; an
/// <c>ICustomLayer</c> reads up to four, has learned parameters of declared shapes, and may be a
/// loss with a label (it then writes its inputs' gradients from the label, with no output
/// gradient: MXNet's <c>need_top_grad=False</c>). It has no device kernel.
/// </summary>
internal sealed class CustomOperatorDescriptor : Operator
{
    private const string RuleAttribute = "Nxt.CustomOperatorAttribute";
    private const string LayerInterface = "Nxt.ICustomLayer";
    private const string OperatorInterface = "Nxt.ICustomOperator";
    private const int MaxSpans = 4; // SpanList.MaxCount

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

        var interfaces = custom.AllInterfaces.Select(i => i.ToDisplayString()).ToList();
        bool isLayer = interfaces.Contains(LayerInterface);
        if (!isLayer && !interfaces.Contains(OperatorInterface))
        {
            problems.Unsupported($"Custom operator {custom.Name} used by '{problems.NodeName}' implements neither Nxt.ICustomOperator nor Nxt.ICustomLayer");
        }

        var rule = AttributeReader.Find(custom, RuleAttribute);
        if (rule is null)
        {
            problems.Unsupported($"Custom operator {custom.Name} used by '{problems.NodeName}' has no [CustomOperator] attribute: declare its shape rule, e.g. [CustomOperator(InputRank = 1, OutputShape = new[] {{ 0 }})]");
        }

        inputs.AddRange(attribute.Names("inputs"));
        var parameters = new List<CustomParameter>();
        string? problem = null;
        foreach (string spec in rule?.Strings("Parameters") ?? System.Array.Empty<string>())
        {
            var parameter = ParseParameter(spec);
            if (parameter is null)
            {
                problem ??= $"Custom operator {custom.Name} declares parameter \"{spec}\": write \"name:shape\" with the dimensions (each at least 1) joined by x, e.g. \"weight:4x3\"";
            }
            else
            {
                parameters.Add(parameter);
            }
        }

        var parsed = new CustomParams(
            custom.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            custom.Name,
            rule?.Int("InputRank", 0) ?? 0,
            rule?.Ints("OutputShape") ?? EquatableArray<int>.Empty)
        {
            IsLayer = isLayer,
            InputCount = isLayer ? rule?.Int("Inputs", 1) ?? 1 : 1,
            Parameters = parameters.ToEquatableArray(),
            HasLabel = isLayer && (rule?.Bool("Label", false) ?? false),
            LabelShape = rule?.Ints("LabelShape") ?? EquatableArray<int>.Empty,
            Problem = problem,
        };
        if (!isLayer && rule is not null && (parsed.Parameters.Count > 0 || rule.Bool("Label", false) || rule.Int("Inputs", 1) != 1))
        {
            parsed = parsed with { Problem = $"Custom operator {custom.Name} declares inputs, parameters or a label, which only an Nxt.ICustomLayer takes: implement that interface" };
        }

        return (OpKind.Custom, parsed);
    }

    // "weight:4x3" -> weight (4, 3); null when malformed.
    private static CustomParameter? ParseParameter(string spec)
    {
        int colon = spec.IndexOf(':');
        if (colon <= 0)
        {
            return null;
        }

        var dims = new List<int>();
        foreach (string part in spec.Substring(colon + 1).Split('x'))
        {
            if (!int.TryParse(part.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int d) || d < 1)
            {
                return null;
            }

            dims.Add(d);
        }

        string name = spec.Substring(0, colon).Trim();
        return name.All(c => char.IsLetterOrDigit(c) || c == '_') ? new CustomParameter(name, dims.ToEquatableArray()) : null;
    }

    public override (string? Argument, string Message)? CheckArguments(NodeSpec node)
    {
        if (node.Params is not CustomParams custom)
        {
            return null;
        }

        if (custom.Problem is not null)
        {
            return (null, custom.Problem + $" (used by '{node.Name}')");
        }

        if (custom.InputCount < 1 || custom.InputCount > MaxSpans || custom.Parameters.Count > MaxSpans)
        {
            return (null, $"Custom operator {custom.ShortName} used by '{node.Name}' declares {custom.InputCount} input(s) and {custom.Parameters.Count} parameter(s): a custom layer takes 1 to {MaxSpans} inputs and at most {MaxSpans} parameters");
        }

        if (custom.LabelShape.Any(d => d < 1))
        {
            return (null, $"Custom operator {custom.ShortName} used by '{node.Name}' has label shape {Shapes.Fixed(custom.LabelShape)}: every dimension must be at least 1");
        }

        return custom.OutputShape.Any(d => d < 0)
            ? (null, $"Custom operator {custom.ShortName} used by '{node.Name}' has output shape codes {Shapes.Codes(custom.OutputShape)}: use 0 (copy the input's dimension) or a positive size")
            : null;
    }

    public override (int Min, int Max) Arity(OpParams parameters)
    {
        int count = parameters is CustomParams custom ? custom.InputCount : 1;
        return (count, count);
    }

    public override string ArityHint(OpParams parameters)
        => parameters is CustomParams { IsLayer: true } custom ? $": its [CustomOperator] declares Inputs = {custom.InputCount}; name them in [Custom<{custom.ShortName}>(...)]" : string.Empty;

    public override InferredNode? Infer(InferenceContext context)
    {
        var custom = (CustomParams)context.Node.Params;
        var x = context.X;
        if (custom.InputRank > 0 && x.Count != custom.InputRank)
        {
            return context.Fail($"Custom operator {custom.ShortName} takes samples of rank {custom.InputRank}, but '{context.Inputs[0].Name}' is {Shapes.Batched(x)}");
        }

        // Scratch for the inputs' gradients, so the user's Backward can overwrite and the plan
        // add; and, for a layer's parameters, fixed scratch for their gradients likewise.
        var scratch = new ScratchNeeds(context.Inputs.Sum(i => i.SampleLength), custom.Parameters.Sum(p => Shapes.Product(p.Shape)));
        var parameters = custom.Parameters.Select(p => new ParameterInfo(context.Name + "_" + p.Name, p.Shape)).ToList();
        if (custom.OutputShape.Count == 0)
        {
            return context.Make(x, parameters, scratch: scratch);
        }

        var copied = custom.OutputShape.Select((code, i) => code == 0 && i >= x.Count ? -1 : code == 0 ? x[i] : code).ToList();
        return copied.Contains(-1)
            ? context.Fail($"Custom operator {custom.ShortName} copies input dimension {copied.IndexOf(-1) + 1} (code 0), but '{context.Inputs[0].Name}' is {Shapes.Batched(x)}")
            : context.Make(Shapes.Of(copied), parameters, scratch: scratch);
    }

    public override OpTraits Traits(OpParams parameters)
        => parameters is CustomParams { HasLabel: true } ? OpTraits.HostOnly | OpTraits.Loss : OpTraits.HostOnly;

    public override LabelInfo? Label(InferredNode node) => Params<CustomParams>(node) is { HasLabel: true } custom ? new LabelInfo(custom.LabelShape) : null;

    public override IReadOnlyList<int> BackwardReads(InferredNode node) => node.Inputs.Append(node.Index).ToList();

    public override IReadOnlyList<string> MxnetOps { get; } = System.Array.Empty<string>();

    // MXNet's Custom op names a Python class: there is no C# for it to run.
    public override (OpKind Kind, OpParams Params) FromMxnet(MxnetAttributeReader attributes)
        => throw new MxnetImportException("an MXNet Custom operator runs Python, which has no C# counterpart");

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
    {
        var op = Arg.Raw(FieldName(context.Node));
        if (!Params<CustomParams>(context.Node).IsLayer)
        {
            steps.Invoke(op, "Forward", context.X, context.Y, Arg.N, Buffers.IsTrain);
            return;
        }

        steps.Invoke(op, "Forward", List(context.Inputs.Select(Buffers.Out)), List(context.Node.Parameters.Select(Buffers.Param)), context.Y, Arg.N, Buffers.IsTrain);
    }

    // The operator overwrites its scratch; the plan writes or adds it into each gradient.
    public override void Backward(PlanSteps steps, BackwardContext context)
    {
        var node = context.Node;
        var op = Arg.Raw(FieldName(node));
        var scratch = Buffers.Scratch(node);
        var custom = Params<CustomParams>(node);
        if (!custom.IsLayer)
        {
            steps.If(context.WantX, then =>
            {
                then.Invoke(op, "Backward", context.X, context.Y, context.Dy, scratch, Arg.N);
                then.Kernel("ElementwiseKernels", "CopyOrAdd", scratch, context.Dx, context.Acc);
            });
            return;
        }

        var inputGradients = new List<Arg>();
        int offset = 0;
        foreach (var input in context.Inputs)
        {
            inputGradients.Add(Slice(scratch, offset, input.SampleLength, perSample: true));
            offset += input.SampleLength;
        }

        var parameterGradients = new List<Arg>();
        offset = 0;
        foreach (var p in node.Parameters)
        {
            parameterGradients.Add(Slice(Buffers.State(node), offset, p.Length, perSample: false));
            offset += p.Length;
        }

        var flags = context.Inputs.Where((_, i) => context.Wanted[i]).Select(Buffers.Wanted).Concat(node.Parameters.Select(Buffers.ParamWanted)).ToList();
        var any = flags.Skip(1).Aggregate(flags.First(), Arg.Or);
        steps.If(any, then =>
        {
            then.Invoke(
                op,
                "Backward",
                List(context.Inputs.Select(Buffers.Out)),
                List(node.Parameters.Select(Buffers.Param)),
                context.Y,
                node.IsLoss ? Arg.Default : context.Dy,
                node.HasLabel ? Buffers.Label(node) : Arg.Default,
                List(inputGradients),
                List(parameterGradients),
                Arg.N);
            for (int i = 0; i < context.Inputs.Count; i++)
            {
                if (context.Wanted[i])
                {
                    then.Guarded(Buffers.Wanted(context.Inputs[i]), "ElementwiseKernels", "CopyOrAdd", inputGradients[i], Buffers.Grad(context.Inputs[i]), context.AccumulateInput(i));
                }
            }

            for (int k = 0; k < node.Parameters.Count; k++)
            {
                var p = node.Parameters[k];
                then.Guarded(Buffers.ParamWanted(p), "ElementwiseKernels", "CopyOrAdd", parameterGradients[k], Buffers.ParamGrad(p), Buffers.ParamAdds(p).Named("accumulate"));
            }
        });
    }

    // new SpanList(count, spans...): the span list a custom layer takes.
    private static Arg List(IEnumerable<Arg> spans)
    {
        var items = spans.ToList();
        string text = $"new global::Nxt.SpanList({string.Join(", ", new[] { items.Count.ToString(CultureInfo.InvariantCulture) }.Concat(items.Select(a => a.Text)))})";
        return Arg.Expression(text, items.SelectMany(a => a.Locals).ToArray());
    }

    private static Arg Slice(Arg buffer, int offset, int length, bool perSample)
        => perSample
            ? Arg.Expression($"{buffer.Text}.Slice({offset} * n, {length} * n)", buffer.Locals.Append("n").ToArray())
            : Arg.Expression($"{buffer.Text}.Slice({offset}, {length})", buffer.Locals.ToArray());

    /// <summary>The instance field holding a custom operator node's operator.</summary>
    public static string FieldName(InferredNode node) => "_" + node.Name + "_operator";
}

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Nxt.Generators.Graph;

namespace Nxt.Generators.Parsing;

/// <summary>A parsed network with, per node, the member and attribute it came from (for diagnostics' locations).</summary>
internal readonly struct ParsedNetwork
{
    public ParsedNetwork(NetworkSpec spec, ImmutableArray<AttributeData> nodeAttributes)
    {
        Spec = spec;
        NodeAttributes = nodeAttributes;
    }

    public NetworkSpec Spec { get; }

    /// <summary>Index-aligned with <c>Spec.Nodes</c>.</summary>
    public ImmutableArray<AttributeData> NodeAttributes { get; }
}

/// <summary>
/// Reads a <c>[Network]</c> class into a <see cref="NetworkSpec"/>: one node per field with a
/// node attribute, in source order. Shared by the generator (which keeps only the spec) and
/// the analyzers (which also keep the attributes, to place their diagnostics).
/// </summary>
internal static class NetworkParser
{
    public const string NetworkAttributeName = "Nxt.NetworkAttribute";
    private const string NodeAttributeName = "Nxt.NodeAttribute";
    private const string TensorTypeName = "Nxt.Tensor";
    private const string ModuleTypeName = "Nxt.Module";

    public static ParsedNetwork Parse(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var nodes = new List<NodeSpec>();
        var attributes = new List<AttributeData>();
        var problems = new List<DeclarationProblem>();
        foreach (var field in FieldsInSourceOrder(type))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var nodeAttributes = field.GetAttributes().Where(IsNodeAttribute).ToList();
            if (nodeAttributes.Count == 0)
            {
                continue;
            }

            CheckMember(field, nodeAttributes, nodes.Count, problems);
            var attribute = nodeAttributes[0];
            if (IsUse(attribute))
            {
                new BlockExpander(nodes, attributes, problems).Expand(field.Name, attribute, attribute, depth: 0);
            }
            else
            {
                bool isOutput = field.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == OutputAttributeName);
                nodes.Add(ReadNode(field.Name, attribute, nodes.Count, problems) with { IsOutput = isOutput });
                attributes.Add(attribute);
            }
        }

        if (type.IsGenericType)
        {
            problems.Add(new DeclarationProblem(ErrorCode.UnsupportedMember, -1, null, $"Network '{type.Name}' is generic; a network class cannot have type parameters"));
        }

        var spec = new NetworkSpec(
            type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString(),
            type.Name,
            ContainingTypeNames(type),
            IsPartial(type),
            ConflictingBase(type),
            nodes.ToEquatableArray(),
            problems.ToEquatableArray()) { Fuse = ReadFuseOption(type) };
        return new ParsedNetwork(spec, attributes.ToImmutableArray());
    }

    private static bool ReadFuseOption(INamedTypeSymbol type)
    {
        var network = type.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == NetworkAttributeName);
        foreach (var named in network?.NamedArguments ?? ImmutableArray<KeyValuePair<string, TypedConstant>>.Empty)
        {
            if (named.Key == "Fuse" && named.Value.Value is bool fuse)
            {
                return fuse;
            }
        }

        return true;
    }

    /// <summary>The class and every class containing it are declared <c>partial</c>.</summary>
    public static bool IsPartial(INamedTypeSymbol type)
    {
        for (var t = type; t is not null; t = t.ContainingType)
        {
            foreach (var reference in t.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax() is TypeDeclarationSyntax declaration && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static string? ConflictingBase(INamedTypeSymbol type)
    {
        var baseType = type.BaseType;
        if (baseType is null || baseType.SpecialType == SpecialType.System_Object || baseType.ToDisplayString() == ModuleTypeName)
        {
            return null;
        }

        return baseType.ToDisplayString();
    }

    private static EquatableArray<string> ContainingTypeNames(INamedTypeSymbol type)
    {
        var names = new List<string>();
        for (var t = type.ContainingType; t is not null; t = t.ContainingType)
        {
            names.Insert(0, t.Name);
        }

        return names.ToEquatableArray();
    }

    // Declaration order, across partial files too: by file path, then position.
    private static IEnumerable<IFieldSymbol> FieldsInSourceOrder(INamedTypeSymbol type)
        => type.GetMembers()
            .OfType<IFieldSymbol>()
            .Where(f => !f.IsImplicitlyDeclared && f.Locations.Length > 0 && f.Locations[0].IsInSource)
            .OrderBy(f => f.Locations[0].SourceTree?.FilePath, StringComparer.Ordinal)
            .ThenBy(f => f.Locations[0].SourceSpan.Start);

    private static bool IsNodeAttribute(AttributeData attribute)
    {
        for (var t = attribute.AttributeClass; t is not null; t = t.BaseType)
        {
            if (t.ToDisplayString() == NodeAttributeName)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsUse(AttributeData attribute)
        => attribute.AttributeClass is { IsGenericType: true } use && use.OriginalDefinition.ToDisplayString() == UseAttributeName;

    private const string UseAttributeName = "Nxt.UseAttribute<TBlock>";
    private const string OutputAttributeName = "Nxt.OutputAttribute";
    public const string BlockAttributeName = "Nxt.BlockAttribute";

    /// <summary>
    /// Inlines a block's nodes where it is used, <c>Repeat</c> times: names prefixed
    /// (<c>stage1_unit2_conv1</c>), the block input wired to what feeds the unit, references
    /// between the block's own nodes renamed, and an identity node named after the member for
    /// the block's output. Every inlined node maps to the attribute at the use site, so that
    /// errors inside a block are reported where the block is used.
    /// </summary>
    private sealed class BlockExpander
    {
        private const int MaxDepth = 8;
        private readonly List<NodeSpec> _nodes;
        private readonly List<AttributeData> _attributes;
        private readonly List<DeclarationProblem> _problems;

        public BlockExpander(List<NodeSpec> nodes, List<AttributeData> attributes, List<DeclarationProblem> problems)
        {
            _nodes = nodes;
            _attributes = attributes;
            _problems = problems;
        }

        /// <param name="rename">How names in <paramref name="use"/>'s From read at this level (inside an enclosing block).</param>
        public void Expand(string name, AttributeData use, AttributeData site, int depth, System.Func<string, string>? rename = null)
        {
            // What feeds the first unit: the use's From, else the node above (if any).
            string? feed = Named(use, "From") is string from ? rename?.Invoke(from) ?? from : _nodes.Count > 0 ? _nodes[_nodes.Count - 1].Name : null;
            var block = use.AttributeClass!.TypeArguments[0] as INamedTypeSymbol;
            int repeat = Named(use, "Repeat") as int? ?? 1;
            string? problem =
                block is null || !block.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == BlockAttributeName) ? $"'{block?.Name}' used by '{name}' is not a [Block] class"
                : depth >= MaxDepth ? $"Blocks used by '{name}' nest more than {MaxDepth} deep; does a block use itself?"
                : null;
            if (problem is null && repeat < 1)
            {
                AddOutput(name, feed, site, new DeclarationProblem(ErrorCode.ParameterOutOfRange, _nodes.Count, "Repeat", $"'{name}' repeats its block {repeat} times: Repeat must be at least 1"), depth == 0);
                return;
            }

            var members = problem is null ? BlockMembers(block!) : new List<(IFieldSymbol Field, AttributeData Attribute)>();
            if (problem is null && (members.Count < 2 || members[0].Attribute.AttributeClass?.Name != "BlockInputAttribute"))
            {
                problem = $"Block '{block!.Name}' used by '{name}' must start with a [BlockInput] member followed by its nodes";
            }

            if (problem is not null)
            {
                AddOutput(name, feed, site, new DeclarationProblem(ErrorCode.UnsupportedMember, _nodes.Count, null, problem), depth == 0);
                return;
            }

            string blockInput = members[0].Field.Name;
            for (int unit = 1; unit <= repeat; unit++)
            {
                string prefix = repeat > 1 ? $"{name}_unit{unit}_" : $"{name}_";
                var inner = new HashSet<string>(members.Skip(1).Select(m => m.Field.Name));
                string unitInput = feed ?? blockInput;
                string Rename(string reference) => reference == blockInput ? unitInput : inner.Contains(reference) ? prefix + reference : reference;
                bool first = true;
                foreach (var (field, attribute) in members.Skip(1))
                {
                    if (IsUse(attribute))
                    {
                        Expand(prefix + field.Name, attribute, site, depth + 1, Rename);
                        first = false;
                        continue;
                    }

                    var node = ReadNode(prefix + field.Name, attribute, _nodes.Count, _problems);
                    var inputs = node.Inputs.Select(r => new InputRef(Rename(r.Name), string.Empty, -1)).ToList();
                    if (inputs.Count == 0 && first && feed is not null)
                    {
                        inputs.Add(new InputRef(feed, string.Empty, -1));
                    }

                    _nodes.Add(node with { Inputs = inputs.ToEquatableArray(), IsMember = false });
                    _attributes.Add(site);
                    first = false;
                }

                feed = _nodes[_nodes.Count - 1].Name;
            }

            AddOutput(name, feed, site, null, depth == 0);
        }

        private void AddOutput(string name, string? feed, AttributeData site, DeclarationProblem? problem, bool isMember)
        {
            if (problem is not null)
            {
                _problems.Add(problem);
            }

            var inputs = feed is null ? EquatableArray<InputRef>.Empty : new[] { new InputRef(feed, string.Empty, -1) }.ToEquatableArray();
            _nodes.Add(new NodeSpec(name, OpKind.Identity, inputs, new IdentityParams()) { IsMember = isMember });
            _attributes.Add(site);
        }

        private static List<(IFieldSymbol Field, AttributeData Attribute)> BlockMembers(INamedTypeSymbol block)
            => FieldsInSourceOrder(block)
                .Select(f => (Field: f, Attribute: f.GetAttributes().FirstOrDefault(IsNodeAttribute)))
                .Where(m => m.Attribute is not null)
                .Select(m => (m.Field, m.Attribute!))
                .ToList();
    }

    private static void CheckMember(IFieldSymbol field, List<AttributeData> nodeAttributes, int index, List<DeclarationProblem> problems)
    {
        if (field.Type.OriginalDefinition.ToDisplayString() != TensorTypeName)
        {
            problems.Add(new DeclarationProblem(ErrorCode.UnsupportedMember, index, null, $"Node '{field.Name}' is declared as {field.Type.ToDisplayString()}; a node member must be of type Nxt.Tensor"));
        }

        if (field.IsStatic || field.IsReadOnly || field.IsConst)
        {
            string modifier = field.IsConst ? "const" : field.IsStatic ? "static" : "readonly";
            problems.Add(new DeclarationProblem(ErrorCode.UnsupportedMember, index, null, $"Node '{field.Name}' is {modifier}; a node member must be an instance field the module can set after Bind"));
        }

        if (nodeAttributes.Count > 1)
        {
            problems.Add(new DeclarationProblem(ErrorCode.UnsupportedMember, index, null, $"Node '{field.Name}' has {nodeAttributes.Count} node attributes ({string.Join(", ", nodeAttributes.Select(a => a.AttributeClass?.Name))}); a member is one node"));
        }
    }

    private static NodeSpec ReadNode(string name, AttributeData attribute, int index, List<DeclarationProblem> problems)
    {
        string kind = attribute.AttributeClass?.Name ?? string.Empty;
        var inputs = new List<InputRef>();
        if (Named(attribute, "From") is string from)
        {
            inputs.Add(new InputRef(from, "From", -1));
        }

        if (attribute.AttributeConstructor is null)
        {
            // The compiler reports the bad arguments; keep the node so later ones still resolve.
            problems.Add(new DeclarationProblem(ErrorCode.UnsupportedMember, index, null, $"The arguments of [{Short(kind)}] on '{name}' could not be read"));
            return new NodeSpec(name, OpKind.Flatten, inputs.ToEquatableArray(), new FlattenParams());
        }

        var args = attribute.ConstructorArguments;
        OpKind op;
        OpParams parameters;
        switch (kind)
        {
            case "InputAttribute":
                (op, parameters) = (OpKind.Input, new InputParams(Ints(args, 0)));
                break;
            case "FullyConnectedAttribute":
                (op, parameters) = (OpKind.FullyConnected, new FullyConnectedParams(Int(args, 0), Bool(attribute, "NoBias", false), Bool(attribute, "Flatten", true)));
                break;
            case "ConvolutionAttribute":
                (op, parameters) = (OpKind.Convolution, new ConvolutionParams(
                    Int(args, 0), Square(attribute, "Kernel", 1), Square(attribute, "Stride", 1), Square(attribute, "Pad", 0), Square(attribute, "Dilate", 1),
                    Named(attribute, "NumGroup") as int? ?? 1, Bool(attribute, "NoBias", false)));
                break;
            case "PoolingAttribute":
                (op, parameters) = (OpKind.Pooling, new PoolingParams(
                    (PoolType)Int(args, 0), Square(attribute, "Kernel", 1), Square(attribute, "Stride", 1), Square(attribute, "Pad", 0),
                    Bool(attribute, "GlobalPool", false), (PoolingConvention)(Named(attribute, "Convention") as int? ?? 0), Bool(attribute, "CountIncludePad", true)));
                break;
            case "BatchNormAttribute":
                (op, parameters) = (OpKind.BatchNorm, new BatchNormParams(
                    Named(attribute, "Eps") as double? ?? 1e-3, Named(attribute, "Momentum") as double? ?? 0.9, Bool(attribute, "FixGamma", true), Bool(attribute, "UseGlobalStats", false)));
                break;
            case "ActivationAttribute":
                (op, parameters) = (OpKind.Activation, new ActivationParams((ActivationType)Int(args, 0)));
                break;
            case "LeakyReLUAttribute":
                (op, parameters) = (OpKind.LeakyReLU, new LeakyReLUParams((LeakyType)Int(args, 0), Named(attribute, "Slope") as double? ?? 0.25));
                break;
            case "FlattenAttribute":
                (op, parameters) = (OpKind.Flatten, new FlattenParams());
                break;
            case "ReshapeAttribute":
                (op, parameters) = (OpKind.Reshape, new ReshapeParams(Ints(args, 0)));
                break;
            case "DropoutAttribute":
                (op, parameters) = (OpKind.Dropout, new DropoutParams(args.Length > 0 && args[0].Value is double p ? p : 0.5));
                break;
            case "ConcatAttribute":
                inputs.AddRange(Names(args, "inputs"));
                (op, parameters) = (OpKind.Concat, new ConcatParams(Named(attribute, "Dim") as int? ?? 1));
                break;
            case "AddAttribute" or "SubAttribute" or "MulAttribute" or "DivAttribute":
                inputs.AddRange(Names(args, "inputs"));
                var binary = (BinaryOp)System.Enum.Parse(typeof(BinaryOp), kind.Substring(0, 3));
                (op, parameters) = (OpKind.Elementwise, new ElementwiseParams(binary, Named(attribute, "Scalar") as double?));
                break;
            case "ElementwiseSumAttribute":
                inputs.AddRange(Names(args, "inputs"));
                (op, parameters) = (OpKind.ElementwiseSum, new ElementwiseSumParams());
                break;
            case "SoftmaxOutputAttribute":
                (op, parameters) = (OpKind.SoftmaxOutput, new SoftmaxOutputParams(
                    GradScale(attribute), Bool(attribute, "UseIgnore", false), Named(attribute, "IgnoreLabel") as int? ?? -1, (LossNormalization)(Named(attribute, "Normalization") as int? ?? 0)));
                break;
            case "LinearRegressionOutputAttribute":
                (op, parameters) = (OpKind.LinearRegressionOutput, new RegressionOutputParams(Logistic: false, GradScale(attribute)));
                break;
            case "LogisticRegressionOutputAttribute":
                (op, parameters) = (OpKind.LogisticRegressionOutput, new RegressionOutputParams(Logistic: true, GradScale(attribute)));
                break;
            case "MakeLossAttribute":
                (op, parameters) = (OpKind.MakeLoss, new MakeLossParams(GradScale(attribute), (LossNormalization)(Named(attribute, "Normalization") as int? ?? 0)));
                break;
            case "BlockGradAttribute":
                (op, parameters) = (OpKind.BlockGrad, new BlockGradParams());
                break;
            case "SoftmaxAttribute":
                (op, parameters) = (OpKind.Softmax, new SoftmaxParams(Log: false));
                break;
            case "LogSoftmaxAttribute":
                (op, parameters) = (OpKind.LogSoftmax, new SoftmaxParams(Log: true));
                break;
            case "CustomAttribute" when attribute.AttributeClass!.TypeArguments[0] is INamedTypeSymbol custom:
                var rule = custom.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == "Nxt.CustomOperatorAttribute");
                if (rule is null)
                {
                    problems.Add(new DeclarationProblem(ErrorCode.UnsupportedMember, index, null, $"Custom operator {custom.Name} used by '{name}' has no [CustomOperator] attribute: declare its shape rule, e.g. [CustomOperator(InputRank = 1, OutputShape = new[] {{ 0 }})]"));
                }

                (op, parameters) = (OpKind.Custom, new CustomParams(
                    custom.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                    custom.Name,
                    rule is null ? 0 : Named(rule, "InputRank") as int? ?? 0,
                    rule is null ? EquatableArray<int>.Empty : NamedInts(rule, "OutputShape")));
                break;
            case "BlockInputAttribute":
                problems.Add(new DeclarationProblem(ErrorCode.UnsupportedMember, index, null, $"[BlockInput] '{name}' belongs in a [Block] class, as its first member"));
                (op, parameters) = (OpKind.Identity, new IdentityParams());
                break;
            default:
                problems.Add(new DeclarationProblem(ErrorCode.UnsupportedMember, index, null, $"[{Short(kind)}] on '{name}' is not an operator Nxt knows"));
                (op, parameters) = (OpKind.Flatten, new FlattenParams());
                break;
        }

        return new NodeSpec(name, op, inputs.ToEquatableArray(), parameters);
    }

    private static EquatableArray<int> Ints(ImmutableArray<TypedConstant> args, int position)
        => args.Length > position && args[position].Kind == TypedConstantKind.Array && !args[position].IsNull
            ? args[position].Values.Select(v => v.Value is int d ? d : 0).ToEquatableArray()
            : EquatableArray<int>.Empty;

    private static EquatableArray<int> NamedInts(AttributeData attribute, string name)
    {
        foreach (var pair in attribute.NamedArguments)
        {
            if (pair.Key == name && pair.Value.Kind == TypedConstantKind.Array && !pair.Value.IsNull)
            {
                return pair.Value.Values.Select(v => v.Value is int d ? d : 0).ToEquatableArray();
            }
        }

        return EquatableArray<int>.Empty;
    }

    // A params string[] of node names, each remembering its position for diagnostics.
    private static IEnumerable<InputRef> Names(ImmutableArray<TypedConstant> args, string parameter)
        => args.Length > 0 && args[0].Kind == TypedConstantKind.Array && !args[0].IsNull
            ? args[0].Values.Select((v, i) => new InputRef(v.Value as string ?? string.Empty, parameter, i))
            : Enumerable.Empty<InputRef>();

    // A square window argument (MXNet writes (k, k)) as its two sizes.
    private static EquatableArray<int> Square(AttributeData attribute, string name, int fallback)
    {
        int value = Named(attribute, name) as int? ?? fallback;
        return new[] { value, value }.ToEquatableArray();
    }

    private static bool Bool(AttributeData attribute, string name, bool fallback) => Named(attribute, name) as bool? ?? fallback;

    private static double GradScale(AttributeData attribute) => Named(attribute, "GradScale") as double? ?? 1.0;

    private static int Int(ImmutableArray<TypedConstant> args, int position)
        => args.Length > position && args[position].Value is int value ? value : 0;

    private static object? Named(AttributeData attribute, string name)
    {
        foreach (var pair in attribute.NamedArguments)
        {
            if (pair.Key == name)
            {
                return pair.Value.Value;
            }
        }

        return null;
    }

    private static string Short(string attributeClassName)
        => attributeClassName.EndsWith("Attribute", StringComparison.Ordinal) ? attributeClassName.Substring(0, attributeClassName.Length - 9) : attributeClassName;
}

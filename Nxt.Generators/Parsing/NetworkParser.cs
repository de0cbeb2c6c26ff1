using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Nxt.Generators.Graph;
using Nxt.Generators.Operators;

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
            problems.Add(new DeclarationProblem(ErrorCode.UnsupportedMember, index, null, $"The arguments of [{AttributeReader.Short(kind)}] on '{name}' could not be read"));
            return new NodeSpec(name, OpKind.Flatten, inputs.ToEquatableArray(), new FlattenParams());
        }

        var descriptor = OperatorTable.ForAttribute(kind);
        if (descriptor is null)
        {
            problems.Add(new DeclarationProblem(ErrorCode.UnsupportedMember, index, null, $"[{AttributeReader.Short(kind)}] on '{name}' is not an operator Nxt knows"));
            return new NodeSpec(name, OpKind.Flatten, inputs.ToEquatableArray(), new FlattenParams());
        }

        var (op, parameters) = descriptor.Read(new AttributeReader(attribute), inputs, new DeclarationSink(problems, index, name));
        return new NodeSpec(name, op, inputs.ToEquatableArray(), parameters);
    }

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
}

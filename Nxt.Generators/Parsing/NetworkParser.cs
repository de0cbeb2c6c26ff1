using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
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
        var fields = new List<ClassRules.NodeField>();
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
            int first = nodes.Count;
            bool namesInput;
            if (IsUse(attribute))
            {
                namesInput = Named(attribute, "From") is string;
                new BlockExpander(nodes, attributes, problems).Expand(field.Name, attribute, attribute, depth: 0);
            }
            else
            {
                bool isOutput = field.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == OutputAttributeName);
                var node = ReadNode(field.Name, attribute, nodes.Count, problems) with { IsOutput = isOutput };
                namesInput = node.Inputs.Count > 0 || OperatorTable.For(node.Op).Arity(node.Params).Max == 0;
                nodes.Add(node);
                attributes.Add(attribute);
            }

            fields.Add(new ClassRules.NodeField(first, field.Name, field.Locations[0].SourceTree?.FilePath, namesInput));
        }

        if (type.IsGenericType)
        {
            problems.Add(new DeclarationProblem(ErrorCode.UnsupportedMember, -1, null, $"Network '{type.Name}' is generic; a network class cannot have type parameters"));
        }

        ClassRules.Check(type, nodes, fields, problems);

        var spec = new NetworkSpec(
            type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString(),
            type.Name,
            ContainingTypeNames(type),
            IsPartial(type),
            ConflictingBase(type),
            nodes.ToEquatableArray(),
            problems.ToEquatableArray())
        {
            Fuse = ReadFuseOption(type),
            SymbolFile = ReadSymbolOption(type),
            CanCreate = !type.IsAbstract && type.InstanceConstructors.Any(c => c.Parameters.Length == 0 && c.DeclaredAccessibility != Accessibility.Private),
        };
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

    private static string? ReadSymbolOption(INamedTypeSymbol type)
    {
        var network = type.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == NetworkAttributeName);
        foreach (var named in network?.NamedArguments ?? ImmutableArray<KeyValuePair<string, TypedConstant>>.Empty)
        {
            if (named.Key == "Symbol" && named.Value.Value is string file)
            {
                return file;
            }
        }

        return null;
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

    private static EquatableArray<ContainingType> ContainingTypeNames(INamedTypeSymbol type)
    {
        var outer = new List<ContainingType>();
        for (var t = type.ContainingType; t is not null; t = t.ContainingType)
        {
            string keyword = (t.IsRecord, t.TypeKind) switch
            {
                (true, TypeKind.Struct) => "record struct",
                (true, _) => "record",
                (_, TypeKind.Struct) => "struct",
                (_, TypeKind.Interface) => "interface",
                _ => "class",
            };
            outer.Insert(0, new ContainingType(keyword, t.Name));
        }

        return outer.ToEquatableArray();
    }

    // Declaration order, across partial files too: by file path, then position.
    internal static IEnumerable<IFieldSymbol> FieldsInSourceOrder(INamedTypeSymbol type)
        => type.GetMembers()
            .OfType<IFieldSymbol>()
            .Where(f => !f.IsImplicitlyDeclared && f.Locations.Length > 0 && f.Locations[0].IsInSource)
            .OrderBy(f => f.Locations[0].SourceTree?.FilePath, StringComparer.Ordinal)
            .ThenBy(f => f.Locations[0].SourceSpan.Start);

    internal static bool IsNodeAttribute(AttributeData attribute)
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

    internal static bool IsUse(AttributeData attribute)
        => attribute.AttributeClass is { IsGenericType: true } use && use.OriginalDefinition.ToDisplayString() == UseAttributeName;

    private const string UseAttributeName = "Nxt.UseAttribute<TBlock>";
    private const string OutputAttributeName = "Nxt.OutputAttribute";
    public const string BlockAttributeName = "Nxt.BlockAttribute";

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

    internal static NodeSpec ReadNode(string name, AttributeData attribute, int index, List<DeclarationProblem> problems)
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

    internal static object? Named(AttributeData attribute, string name)
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

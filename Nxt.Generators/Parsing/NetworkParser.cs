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

            int index = nodes.Count;
            var attribute = nodeAttributes[0];
            nodes.Add(ReadNode(field.Name, attribute, index, problems));
            attributes.Add(attribute);
            CheckMember(field, nodeAttributes, index, problems);
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
            problems.ToEquatableArray());
        return new ParsedNetwork(spec, attributes.ToImmutableArray());
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
        string? from = Named(attribute, "From") as string;
        if (attribute.AttributeConstructor is null)
        {
            // The compiler reports the bad arguments; keep the node so later ones still resolve.
            problems.Add(new DeclarationProblem(ErrorCode.UnsupportedMember, index, null, $"The arguments of [{Short(kind)}] on '{name}' could not be read"));
            return new NodeSpec(name, OpKind.Flatten, from, new FlattenParams());
        }

        var args = attribute.ConstructorArguments;
        switch (kind)
        {
            case "InputAttribute":
                var dims = args.Length == 1 && args[0].Kind == TypedConstantKind.Array && !args[0].IsNull
                    ? args[0].Values.Select(v => v.Value is int d ? d : 0)
                    : Enumerable.Empty<int>();
                return new NodeSpec(name, OpKind.Input, null, new InputParams(dims.ToEquatableArray()));
            case "FullyConnectedAttribute":
                return new NodeSpec(name, OpKind.FullyConnected, from, new FullyConnectedParams(
                    Int(args, 0), Named(attribute, "NoBias") as bool? ?? false, Named(attribute, "Flatten") as bool? ?? true));
            case "ActivationAttribute":
                return new NodeSpec(name, OpKind.Activation, from, new ActivationParams((ActivationType)Int(args, 0)));
            case "FlattenAttribute":
                return new NodeSpec(name, OpKind.Flatten, from, new FlattenParams());
            case "DropoutAttribute":
                return new NodeSpec(name, OpKind.Dropout, from, new DropoutParams(args.Length > 0 && args[0].Value is double p ? p : 0.5));
            case "SoftmaxOutputAttribute":
                return new NodeSpec(name, OpKind.SoftmaxOutput, from, new SoftmaxOutputParams(Named(attribute, "GradScale") as double? ?? 1.0));
            default:
                problems.Add(new DeclarationProblem(ErrorCode.UnsupportedMember, index, null, $"[{Short(kind)}] on '{name}' is not an operator Nxt knows"));
                return new NodeSpec(name, OpKind.Flatten, from, new FlattenParams());
        }
    }

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

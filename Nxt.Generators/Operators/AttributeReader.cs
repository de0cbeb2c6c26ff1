using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;

namespace Nxt.Generators.Operators;

/// <summary>
/// A node attribute's arguments as a descriptor reads them: constructor arguments by position,
/// properties by name, each with the default the descriptor declares. Enum values are read by
/// member name, so the generator's enums need not mirror the runtime's order.
/// </summary>
internal sealed class AttributeReader
{
    private readonly AttributeData _attribute;

    public AttributeReader(AttributeData attribute)
    {
        _attribute = attribute;
        ShortName = Short(attribute.AttributeClass?.Name ?? string.Empty);
    }

    /// <summary>The attribute's class name without <c>Attribute</c>: <c>Add</c>, <c>FullyConnected</c>.</summary>
    public string ShortName { get; }

    /// <summary>The attribute class's type arguments (<c>[Custom&lt;T&gt;]</c>).</summary>
    public ImmutableArray<ITypeSymbol> TypeArguments => _attribute.AttributeClass?.TypeArguments ?? ImmutableArray<ITypeSymbol>.Empty;

    private ImmutableArray<TypedConstant> Args => _attribute.ConstructorArguments;

    public int Int(int position) => Args.Length > position && Args[position].Value is int value ? value : 0;

    /// <summary>A string constructor argument (a node name), or empty.</summary>
    public string Text(int position) => Args.Length > position && Args[position].Value is string value ? value : string.Empty;

    public double Double(int position, double fallback) => Args.Length > position && Args[position].Value is double value ? value : fallback;

    /// <summary>A <c>params int[]</c> constructor argument.</summary>
    public EquatableArray<int> Ints(int position)
        => Args.Length > position && Args[position].Kind == TypedConstantKind.Array && !Args[position].IsNull
            ? Args[position].Values.Select(v => v.Value is int d ? d : 0).ToEquatableArray()
            : EquatableArray<int>.Empty;

    /// <summary>A <c>params string[]</c> of node names, each remembering its position for diagnostics.</summary>
    public IEnumerable<InputRef> Names(string parameter)
        => Args.Length > 0 && Args[0].Kind == TypedConstantKind.Array && !Args[0].IsNull
            ? Args[0].Values.Select((v, i) => new InputRef(v.Value as string ?? string.Empty, parameter, i))
            : Enumerable.Empty<InputRef>();

    /// <summary>An enum constructor argument, by member name.</summary>
    public TEnum Enum<TEnum>(int position)
        where TEnum : struct
        => Args.Length > position ? ByMemberName<TEnum>(Args[position]) : default;

    public int Int(string property, int fallback) => Named(property) is int value ? value : fallback;

    public double Double(string property, double fallback) => Named(property) is double value ? value : fallback;

    public bool Bool(string property, bool fallback) => Named(property) is bool value ? value : fallback;

    /// <summary>An enum property, by member name.</summary>
    public TEnum Enum<TEnum>(string property, TEnum fallback)
        where TEnum : struct
    {
        foreach (var pair in _attribute.NamedArguments)
        {
            if (pair.Key == property)
            {
                return ByMemberName<TEnum>(pair.Value);
            }
        }

        return fallback;
    }

    /// <summary>An <c>int[]</c> property.</summary>
    public EquatableArray<int> Ints(string property)
    {
        foreach (var pair in _attribute.NamedArguments)
        {
            if (pair.Key == property && pair.Value.Kind == TypedConstantKind.Array && !pair.Value.IsNull)
            {
                return pair.Value.Values.Select(v => v.Value is int d ? d : 0).ToEquatableArray();
            }
        }

        return EquatableArray<int>.Empty;
    }

    /// <summary>A <c>string[]</c> property.</summary>
    public IReadOnlyList<string> Strings(string property)
    {
        foreach (var pair in _attribute.NamedArguments)
        {
            if (pair.Key == property && pair.Value.Kind == TypedConstantKind.Array && !pair.Value.IsNull)
            {
                return pair.Value.Values.Select(v => v.Value as string ?? string.Empty).ToList();
            }
        }

        return System.Array.Empty<string>();
    }

    /// <summary>
    /// A window argument as its (height, width): <c>Kernel</c> for both, or <c>KernelH</c> and
    /// <c>KernelW</c> where they are given (MXNet writes <c>(kh, kw)</c>).
    /// </summary>
    public EquatableArray<int> Window(string property, int fallback)
    {
        int both = Int(property, fallback);
        return new[] { Int(property + "H", both), Int(property + "W", both) }.ToEquatableArray();
    }

    public object? Named(string property)
    {
        foreach (var pair in _attribute.NamedArguments)
        {
            if (pair.Key == property)
            {
                return pair.Value.Value;
            }
        }

        return null;
    }

    /// <summary>Reads another attribute (a custom operator's <c>[CustomOperator]</c>) the same way.</summary>
    public static AttributeReader? Find(ISymbol symbol, string attributeFullName)
    {
        var attribute = symbol.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == attributeFullName);
        return attribute is null ? null : new AttributeReader(attribute);
    }

    public static string Short(string attributeClassName)
        => attributeClassName.EndsWith("Attribute", StringComparison.Ordinal) ? attributeClassName.Substring(0, attributeClassName.Length - 9) : attributeClassName;

    // The runtime enum's member of that value, parsed into the generator's enum of the same
    // member names. A value no member has (a cast such as (Act)99) stays a number the
    // descriptor's check reports; a member the generator does not know becomes -1.
    private static TEnum ByMemberName<TEnum>(TypedConstant constant)
        where TEnum : struct
    {
        if (constant.Value is not int raw)
        {
            return default;
        }

        var member = constant.Type?.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, raw));
        if (member is null)
        {
            return (TEnum)System.Enum.ToObject(typeof(TEnum), raw);
        }

        return System.Enum.TryParse(member.Name, out TEnum parsed) ? parsed : (TEnum)System.Enum.ToObject(typeof(TEnum), -1);
    }
}

/// <summary>Where a descriptor reports a problem with a declaration it reads (a custom operator without its rule).</summary>
internal sealed class DeclarationSink
{
    private readonly List<DeclarationProblem> _problems;
    private readonly int _nodeIndex;

    public DeclarationSink(List<DeclarationProblem> problems, int nodeIndex, string nodeName)
    {
        _problems = problems;
        _nodeIndex = nodeIndex;
        NodeName = nodeName;
    }

    /// <summary>The node being read, for messages.</summary>
    public string NodeName { get; }

    public void Unsupported(string message) => _problems.Add(new DeclarationProblem(ErrorCode.UnsupportedMember, _nodeIndex, null, message));
}

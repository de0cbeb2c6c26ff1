using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Parsing;
using Nxt.Generators.Parsing.Symbol;

namespace Nxt.Analyzers;

/// <summary>
/// Reports every mistake in a <c>[Network]</c> class as an NXT error on the attribute or
/// argument at fault. The rules are the shape core's, the same the generator builds from.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NetworkAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The diagnostic property holding a suggested node name (NXT0002), for the code fix.</summary>
    public const string SuggestionProperty = "Suggestion";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => DiagnosticDescriptors.All;

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterSymbolAction(AnalyzeType, SymbolKind.NamedType);
    }

    private static void AnalyzeType(SymbolAnalysisContext context)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        var networkAttribute = type.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == NetworkParser.NetworkAttributeName);
        if (networkAttribute is null)
        {
            return;
        }

        var parsed = NetworkParser.Parse(type, context.CancellationToken);
        var spec = parsed.Spec.SymbolFile is null ? parsed.Spec : SymbolImporter.Apply(parsed.Spec, SymbolFiles(context));
        var classLocation = type.Locations.FirstOrDefault() ?? Location.None;
        if (!spec.IsPartial)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.NotPartial, classLocation,
                $"Network '{spec.ClassName}' must be declared partial (and so must any class containing it), so that the build can add its compiled module"));
        }

        if (spec.ConflictingBaseType is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ConflictingBase, BaseTypeLocation(type) ?? classLocation,
                $"Network '{spec.ClassName}' derives from {spec.ConflictingBaseType}, but the build makes it derive from Nxt.Module: remove the base class"));
        }

        var (_, errors) = ShapeInference.Run(spec);
        var reported = new HashSet<(ErrorCode, Location, string?)>();
        foreach (var error in errors)
        {
            // An imported node has no attribute of its own: its errors point at Symbol = "...", and name the file and line.
            bool imported = error.NodeIndex >= parsed.NodeAttributes.Length;
            var location = error.Member is not null ? MemberLocation(type, error.Member) ?? classLocation
                : error.Code == ErrorCode.SymbolImport || imported ? NodeLocation(networkAttribute, "Symbol", -1)
                : error.NodeIndex < 0 ? classLocation
                : NodeLocation(parsed.NodeAttributes[error.NodeIndex], error.Argument, error.Position);
            string message = imported && spec.Nodes[error.NodeIndex].Origin is string origin && !error.Message.StartsWith(origin, System.StringComparison.Ordinal)
                ? $"{origin}: {error.Message}"
                : error.Message;

            // A mistake inside a block used many times (or blocks nested in blocks) is one mistake
            // at the use site: report it once.
            if (!reported.Add((error.Code, location, error.Code == ErrorCode.SymbolImport || imported ? message : null)))
            {
                continue;
            }

            var properties = error.Suggestion is null
                ? ImmutableDictionary<string, string?>.Empty
                : ImmutableDictionary<string, string?>.Empty.Add(SuggestionProperty, error.Suggestion);
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.For(error.Code), location, properties, message));
        }
    }

    private static IReadOnlyList<SymbolFileText> SymbolFiles(SymbolAnalysisContext context)
        => context.Options.AdditionalFiles
            .Where(text => text.Path.EndsWith(".json", System.StringComparison.OrdinalIgnoreCase))
            .Select(text => new SymbolFileText(text.Path, text.GetText(context.CancellationToken)?.ToString() ?? string.Empty))
            .ToList();

    private static Location? MemberLocation(INamedTypeSymbol type, string member)
        => type.GetMembers(member).Where(m => !m.IsImplicitlyDeclared).SelectMany(m => m.Locations).FirstOrDefault(l => l.IsInSource);

    private static Location? BaseTypeLocation(INamedTypeSymbol type)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is ClassDeclarationSyntax { BaseList: { } baseList })
            {
                return baseList.Types[0].GetLocation();
            }
        }

        return null;
    }

    // The argument at fault when there is one (named, or positional by constructor parameter, or
    // one element of a params array), else the attribute.
    private static Location NodeLocation(AttributeData attribute, string? argument, int position)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax() is not AttributeSyntax syntax)
        {
            return Location.None;
        }

        var arguments = syntax.ArgumentList?.Arguments ?? default;
        if (argument is null || arguments.Count == 0)
        {
            return syntax.GetLocation();
        }

        foreach (var arg in arguments)
        {
            if (arg.NameEquals?.Name.Identifier.ValueText == argument || arg.NameColon?.Name.Identifier.ValueText == argument)
            {
                return arg.Expression.GetLocation();
            }
        }

        var parameters = attribute.AttributeConstructor?.Parameters ?? ImmutableArray<IParameterSymbol>.Empty;
        for (int i = 0; i < parameters.Length && i < arguments.Count; i++)
        {
            if (parameters[i].Name != argument || arguments[i].NameEquals is not null)
            {
                continue;
            }

            if (parameters[i].IsParams && position >= 0 && i + position < arguments.Count && arguments[i + position].NameEquals is null)
            {
                return arguments[i + position].Expression.GetLocation();
            }

            if (parameters[i].IsParams)
            {
                // A params array spans every positional argument from here on.
                var last = arguments.Last(a => a.NameEquals is null);
                return Location.Create(syntax.SyntaxTree, Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(arguments[i].SpanStart, last.Span.End));
            }

            return arguments[i].Expression.GetLocation();
        }

        return syntax.GetLocation();
    }
}

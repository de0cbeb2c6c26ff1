using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Nxt.Generators.Parsing;

namespace Nxt.Analyzers;

/// <summary>
/// Node members look unused and unassigned to the compiler (the module assigns them at
/// <c>Bind</c>), so it would warn about each. This suppresses those warnings on fields that
/// carry a node attribute inside a <c>[Network]</c> or <c>[Block]</c> class, and nowhere else.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NodeFieldSuppressor : DiagnosticSuppressor
{
    private static readonly ImmutableArray<SuppressionDescriptor> s_suppressions = ImmutableArray.Create(
        Create("CS0169", "the module reads the node field"),
        Create("CS0649", "the module assigns the node field at Bind"),
        Create("CS0414", "the module reads the node field"),
        Create("CS8618", "the module assigns the node field at Bind"),
        Create("IDE0044", "the module assigns the node field at Bind, so it cannot be readonly"),
        Create("IDE0051", "the node field is the network declaration"),
        Create("IDE0052", "the node field is the network declaration"));

    /// <inheritdoc/>
    public override ImmutableArray<SuppressionDescriptor> SupportedSuppressions => s_suppressions;

    /// <inheritdoc/>
    public override void ReportSuppressions(SuppressionAnalysisContext context)
    {
        foreach (var diagnostic in context.ReportedDiagnostics)
        {
            var tree = diagnostic.Location.SourceTree;
            if (tree is null)
            {
                continue;
            }

            var node = tree.GetRoot(context.CancellationToken).FindNode(diagnostic.Location.SourceSpan);
            var model = context.GetSemanticModel(tree);
            var symbol = model.GetDeclaredSymbol(node, context.CancellationToken);
            if ((symbol is IFieldSymbol field && IsNodeField(field)) || (diagnostic.Id == "CS8618" && symbol is IMethodSymbol constructor && NamesNodeField(constructor, diagnostic)))
            {
                var descriptor = s_suppressions.First(s => s.SuppressedDiagnosticId == diagnostic.Id);
                context.ReportSuppression(Suppression.Create(descriptor, diagnostic));
            }
        }
    }

    // A user's constructor leaves the node fields unassigned (the module assigns them at Bind):
    // the compiler then reports CS8618 at the constructor, once per field, naming it.
    private static bool NamesNodeField(IMethodSymbol constructor, Diagnostic diagnostic)
    {
        if (constructor.MethodKind != MethodKind.Constructor)
        {
            return false;
        }

        string message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        return constructor.ContainingType.GetMembers().OfType<IFieldSymbol>().Any(f => IsNodeField(f) && message.Contains("'" + f.Name + "'"));
    }

    // A node attribute on a field of a [Network] or [Block] class.
    private static bool IsNodeField(IFieldSymbol field)
        => field.ContainingType.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() is NetworkParser.NetworkAttributeName or NetworkParser.BlockAttributeName)
            && field.GetAttributes().Any(a => InheritsNodeAttribute(a.AttributeClass));

    private static bool InheritsNodeAttribute(INamedTypeSymbol? type)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (t.ToDisplayString() == "Nxt.NodeAttribute")
            {
                return true;
            }
        }

        return false;
    }

    private static SuppressionDescriptor Create(string id, string why)
        => new("NXTSPR_" + id, id, "Nxt node field: " + why);
}

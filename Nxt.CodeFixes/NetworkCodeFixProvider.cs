using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Nxt.CodeFixes;

/// <summary>
/// Fixes where the intended edit is clear: NXT0006 adds <c>partial</c> to the network class (and
/// to classes containing it); NXT0002 replaces a misspelled node reference with
/// <c>nameof(suggestion)</c>, the earlier node the analyzer found within two edits.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(NetworkCodeFixProvider)), Shared]
public sealed class NetworkCodeFixProvider : CodeFixProvider
{
    private const string NotPartial = "NXT0006";
    private const string UnknownReference = "NXT0002";
    private const string SuggestionProperty = "Suggestion"; // NetworkAnalyzer.SuggestionProperty

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(NotPartial, UnknownReference);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (diagnostic.Id == NotPartial && node.FirstAncestorOrSelf<ClassDeclarationSyntax>() is { } declaration)
            {
                context.RegisterCodeFix(
                    CodeAction.Create("Make the network class partial", ct => MakePartial(context.Document, root, declaration), nameof(NotPartial)),
                    diagnostic);
            }
            else if (diagnostic.Id == UnknownReference
                && diagnostic.Properties.TryGetValue(SuggestionProperty, out string? suggestion) && suggestion is not null
                && node.FirstAncestorOrSelf<ExpressionSyntax>() is { } reference)
            {
                context.RegisterCodeFix(
                    CodeAction.Create($"Read 'nameof({suggestion})'", ct => Replace(context.Document, root, reference, suggestion), nameof(UnknownReference) + suggestion),
                    diagnostic);
            }
        }
    }

    private static Task<Document> MakePartial(Document document, SyntaxNode root, ClassDeclarationSyntax declaration)
    {
        // The class and every class around it must be partial for the generated part to join them.
        var targets = declaration.AncestorsAndSelf().OfType<TypeDeclarationSyntax>().Where(t => !t.Modifiers.Any(SyntaxKind.PartialKeyword));
        var updated = root.ReplaceNodes(targets, (_, rewritten) => rewritten.AddModifiers(SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space)));
        return Task.FromResult(document.WithSyntaxRoot(updated));
    }

    private static Task<Document> Replace(Document document, SyntaxNode root, ExpressionSyntax reference, string suggestion)
    {
        var replacement = SyntaxFactory.ParseExpression($"nameof({suggestion})").WithTriviaFrom(reference);
        return Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(reference, replacement)));
    }
}

using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Nxt.Generators.Emit;
using Nxt.Generators.Model;
using Nxt.Generators.Parsing;
using Nxt.Generators.Parsing.Symbol;

namespace Nxt.Generators;

/// <summary>
/// The pipeline, and nothing else: find <c>[Network]</c> classes, reduce each to a value-equal
/// <see cref="Graph.NetworkSpec"/> at once (so unrelated edits hit the cache), then emit.
/// Errors are the analyzers' to report: on a broken network this emits a stub that compiles.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class NetworkGenerator : IIncrementalGenerator
{
    /// <summary>The tracking name of the parse step, for caching tests.</summary>
    public const string ParseStep = "NetworkSpec";

    /// <summary>The tracking name of the step that imports MXNet symbol files.</summary>
    public const string ImportStep = "SymbolImport";

    /// <summary>The tracking name of the step that looks for the GPU backend.</summary>
    public const string GpuBackendStep = "HasGpuBackend";

    /// <summary>The type whose presence in the compilation switches the ILGPU plans on.</summary>
    public const string GpuPlanTypeName = "Nxt.Gpu.GpuPlan";

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var networks = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                NetworkParser.NetworkAttributeName,
                predicate: static (node, _) => node is ClassDeclarationSyntax,
                transform: static (ctx, ct) => NetworkParser.Parse((INamedTypeSymbol)ctx.TargetSymbol, ct).Spec)
            .WithTrackingName(ParseStep);

        // [Network(Symbol = "file.json")] takes its nodes from an AdditionalFiles item; a network
        // without one passes through unchanged (and equal, so the cache holds).
        var symbolFiles = context.AdditionalTextsProvider
            .Where(static text => text.Path.EndsWith(".json", System.StringComparison.OrdinalIgnoreCase))
            .Select(static (text, ct) => new SymbolFileText(text.Path, text.GetText(ct)?.ToString() ?? string.Empty))
            .Collect()
            .Select(static (files, _) => files.ToEquatableArray());
        networks = networks.Combine(symbolFiles)
            .Select(static (pair, _) => SymbolImporter.Apply(pair.Left, pair.Right))
            .WithTrackingName(ImportStep);

        // A project that references Nxt.Gpu also gets each network's ILGPU plan; a bool, so
        // the cache holds across edits that do not change the references.
        var hasGpuBackend = context.CompilationProvider
            .Select(static (compilation, _) => compilation.GetTypeByMetadataName(GpuPlanTypeName) is not null)
            .WithTrackingName(GpuBackendStep);

        // Inference, fusion and planning run once per network; both files render that one plan.
        context.RegisterSourceOutput(networks.Combine(hasGpuBackend), static (spc, input) =>
        {
            var (spec, hasGpu) = input;
            if (!NetworkEmitter.CanDeclare(spec))
            {
                return; // a second declaration would only add compiler errors to the NXT one
            }

            var network = NetworkPlan.Build(spec);
            spc.AddSource(spec.HintName, NetworkEmitter.Emit(spec, network));
            if (hasGpu && network is not null)
            {
                spc.AddSource(spec.HintName.Replace(".g.cs", ".Gpu.g.cs"), GpuEmitter.Emit(spec, network));
            }
        });
    }
}

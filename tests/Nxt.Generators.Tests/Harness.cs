extern alias analyzers;

using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using analyzers::Nxt.Analyzers;
using Nxt.Generators;

namespace Nxt.Generators.Tests;

/// <summary>Compiles source strings against .NET 10 and Nxt.Runtime, with the generator and analyzers in-process.</summary>
internal static class Harness
{
    public static readonly ImmutableArray<MetadataReference> References =
        [.. Basic.Reference.Assemblies.Net100.References.All, MetadataReference.CreateFromFile(typeof(Nxt.Module).Assembly.Location)];

    /// <summary>The references of a project that also uses the GPU backend (Nxt.Gpu and ILGPU).</summary>
    public static readonly ImmutableArray<MetadataReference> GpuReferences =
        [.. References, .. new[] { typeof(Nxt.Gpu.GpuPlan), typeof(ILGPU.Context), typeof(ILGPU.Algorithms.XMath) }.Select(t => MetadataReference.CreateFromFile(t.Assembly.Location))];

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static CSharpCompilation Compilation(params string[] sources) => Compilation(References, sources);

    public static CSharpCompilation Compilation(ImmutableArray<MetadataReference> references, params string[] sources)
        => CSharpCompilation.Create(
            "UserProject",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Network{i}.cs")),
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
                .WithSpecificDiagnosticOptions(SdkSuppressed));

    // The .NET SDK's own NoWarn (CS1701, CS1702: ILGPU is built against an older System.Runtime,
    // which a generated device kernel's ILGPU types bring into the user's compilation).
    private static readonly ImmutableDictionary<string, ReportDiagnostic> SdkSuppressed =
        ImmutableDictionary<string, ReportDiagnostic>.Empty.Add("CS1701", ReportDiagnostic.Suppress).Add("CS1702", ReportDiagnostic.Suppress);

    public static GeneratorDriver Driver(bool trackSteps = false, IEnumerable<AdditionalText>? files = null)
        => CSharpGeneratorDriver.Create(
            [new NetworkGenerator().AsSourceGenerator()],
            additionalTexts: files,
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>As <see cref="Generate(string[])"/>, with project files the build can read (AdditionalFiles: path and text).</summary>
    public static (Compilation Output, ImmutableArray<GeneratedSourceResult> Generated, ImmutableArray<Diagnostic> GeneratorDiagnostics) GenerateWithFiles(IReadOnlyList<(string Path, string Text)> files, params string[] sources)
    {
        var driver = Driver(files: files.Select(f => new InMemoryFile(f.Path, f.Text))).RunGeneratorsAndUpdateCompilation(Compilation(sources), out var output, out var diagnostics);
        return (output, driver.GetRunResult().Results.Single().GeneratedSources, diagnostics);
    }

    /// <summary>Runs the generator; returns the compilation with its output and the generated files.</summary>
    public static (Compilation Output, ImmutableArray<GeneratedSourceResult> Generated, ImmutableArray<Diagnostic> GeneratorDiagnostics) Generate(params string[] sources)
        => Generate(Compilation(sources));

    /// <summary>As <see cref="Generate(string[])"/>, in a project that references Nxt.Gpu: each network also gets its ILGPU plan.</summary>
    public static (Compilation Output, ImmutableArray<GeneratedSourceResult> Generated, ImmutableArray<Diagnostic> GeneratorDiagnostics) GenerateWithGpu(params string[] sources)
        => Generate(Compilation(GpuReferences, sources));

    private static (Compilation Output, ImmutableArray<GeneratedSourceResult> Generated, ImmutableArray<Diagnostic> GeneratorDiagnostics) Generate(Compilation compilation)
    {
        var driver = Driver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        return (output, driver.GetRunResult().Results.Single().GeneratedSources, diagnostics);
    }

    /// <summary>The compiler's and the analyzers' diagnostics on the generated compilation, suppressor applied.</summary>
    /// <summary>
    /// The one error building <paramref name="source"/> gives, checked: its ID, message, and the
    /// source text it points at (<paramref name="at"/>, or its end where the error marks the last
    /// argument of several).
    /// </summary>
    public static async Task AssertSingleError(string source, string id, string message, string at)
    {
        var (output, _, _) = Generate(source);
        var error = Assert.Single((await AllDiagnostics(output)).Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.Equal(id, error.Id);
        Assert.Equal(message, error.GetMessage());
        string argument = error.Location.SourceTree!.GetText().ToString(error.Location.SourceSpan);
        Assert.True(at.EndsWith(argument, StringComparison.Ordinal) || argument == at, $"reported at '{argument}'");
    }

    public static async Task<ImmutableArray<Diagnostic>> AllDiagnostics(Compilation compilation, IReadOnlyList<(string Path, string Text)>? files = null)
    {
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new NetworkAnalyzer(), new NodeFieldSuppressor());
        var additional = (files ?? []).Select(f => (AdditionalText)new InMemoryFile(f.Path, f.Text)).ToImmutableArray();
        var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions(additional), onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: false, reportSuppressedDiagnostics: true);
        return await compilation.WithAnalyzers(analyzers, options).GetAllDiagnosticsAsync();
    }

    /// <summary>An AdditionalFiles item held in memory.</summary>
    private sealed class InMemoryFile(string path, string text) : AdditionalText
    {
        public override string Path => path;

        public override Microsoft.CodeAnalysis.Text.SourceText GetText(CancellationToken cancellationToken = default) => Microsoft.CodeAnalysis.Text.SourceText.From(text);
    }
}

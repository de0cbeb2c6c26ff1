using System.Collections.Immutable;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Nxt.Analyzers;
using Nxt.Generators;

namespace Nxt.GeneratorBenchmarks;

/// <summary>
/// What a build pays for a deep network: the generator (parse, infer, plan, emit) and the
/// analyzers on a network of <see cref="Layers"/> nodes (conv, BatchNorm, relu and residual adds).
/// Each run gets a fresh compilation, as a build does: a reused one keeps its bound symbols and
/// attributes, and hides the generator's share of binding them.
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private SyntaxTree _tree = null!;
    private ImmutableArray<MetadataReference> _references;

    [Params(10, 100)]
    public int Layers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var source = new StringBuilder("using Nxt;\n[Network]\npublic partial class Deep\n{\n    [Input(8, 16, 16)] Tensor data;\n");
        string previous = "data";
        for (int i = 0; i < Layers; i++)
        {
            string name = $"n{i}";
            string attribute = (i % 4) switch
            {
                0 => "Convolution(8, Kernel = 3, Pad = 1)",
                1 => "BatchNorm",
                2 => "Activation(Act.Relu)",
                _ => $"Add(nameof(n{i - 1}), nameof({previous}))",
            };
            if (i % 4 == 3)
            {
                previous = name;
            }

            source.Append($"    [{attribute}] Tensor {name};\n");
        }

        source.Append("    [Flatten] Tensor flat;\n    [FullyConnected(10)] Tensor fc;\n    [SoftmaxOutput] Tensor softmax;\n}\n");
        _tree = CSharpSyntaxTree.ParseText(source.ToString());
        _references = [.. Basic.Reference.Assemblies.Net100.References.All, MetadataReference.CreateFromFile(typeof(Module).Assembly.Location)];
    }

    [Benchmark]
    public int Generate()
    {
        var driver = CSharpGeneratorDriver.Create(new NetworkGenerator()).RunGenerators(FreshCompilation());
        return driver.GetRunResult().GeneratedTrees.Length;
    }

    [Benchmark]
    public int Analyze()
    {
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new NetworkAnalyzer());
        return FreshCompilation().WithAnalyzers(analyzers).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult().Length;
    }

    // The parsed tree and the reference metadata are shared, as between builds; symbols are bound anew.
    private CSharpCompilation FreshCompilation()
        => CSharpCompilation.Create("Bench", [_tree], _references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
}

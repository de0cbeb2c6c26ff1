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
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private CSharpCompilation _compilation = null!;

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
        _compilation = CSharpCompilation.Create(
            "Bench",
            [CSharpSyntaxTree.ParseText(source.ToString())],
            [.. Basic.Reference.Assemblies.Net100.References.All, MetadataReference.CreateFromFile(typeof(Module).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
    }

    [Benchmark]
    public int Generate()
    {
        var driver = CSharpGeneratorDriver.Create(new NetworkGenerator()).RunGenerators(_compilation);
        return driver.GetRunResult().GeneratedTrees.Length;
    }

    [Benchmark]
    public int Analyze()
    {
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new NetworkAnalyzer());
        return _compilation.WithAnalyzers(analyzers).GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult().Length;
    }
}

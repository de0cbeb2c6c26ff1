using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;

namespace Nxt.Generators.Tests;

/// <summary>The pipeline's cache: an unrelated edit reuses the parsed network and its output.</summary>
public class IncrementalTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void An_unrelated_edit_leaves_the_network_and_its_output_cached(bool withGpuBackend)
    {
        var compilation = Harness.Compilation(withGpuBackend ? Harness.GpuReferences : Harness.References, SnapshotTests.Mlp, "public static class Helper { public static int Value => 1; }");
        var driver = Harness.Driver(trackSteps: true).RunGenerators(compilation);

        var helperTree = compilation.SyntaxTrees.Last();
        var edited = compilation.ReplaceSyntaxTree(
            helperTree,
            CSharpSyntaxTree.ParseText("public static class Helper { public static int Value => 2; }", Harness.ParseOptions, path: helperTree.FilePath));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        var parseOutputs = result.TrackedSteps[NetworkGenerator.ParseStep].SelectMany(step => step.Outputs).ToList();
        var sourceOutputs = result.TrackedOutputSteps.SelectMany(step => step.Value).SelectMany(step => step.Outputs).ToList();
        Assert.NotEmpty(parseOutputs);
        Assert.NotEmpty(sourceOutputs);
        Assert.All(parseOutputs, output => Assert.True(
            output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
            $"parse step was {output.Reason}"));
        Assert.All(sourceOutputs, output =>
            Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
        Assert.Equal(withGpuBackend ? 2 : 1, result.GeneratedSources.Length);
        Assert.All(result.TrackedSteps[NetworkGenerator.GpuBackendStep].SelectMany(step => step.Outputs), output =>
            Assert.Equal(IncrementalStepRunReason.Unchanged, output.Reason));
    }

    [Fact]
    public void Editing_the_network_regenerates_it()
    {
        var compilation = Harness.Compilation(SnapshotTests.Mlp);
        var driver = Harness.Driver(trackSteps: true).RunGenerators(compilation);
        var tree = compilation.SyntaxTrees.Single();
        var edited = compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(SnapshotTests.Mlp.Replace("FullyConnected(64)", "FullyConnected(32)"), Harness.ParseOptions, path: tree.FilePath));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();
        Assert.Contains(result.TrackedSteps[NetworkGenerator.ParseStep].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("(N,32)", result.GeneratedSources.Single().SourceText.ToString());
    }

    [Fact]
    public void The_cached_model_holds_no_symbols_syntax_or_compilations()
    {
        var compilation = Harness.Compilation(SnapshotTests.Branches);
        var result = Harness.Driver(trackSteps: true).RunGenerators(compilation).GetRunResult().Results.Single();
        var model = result.TrackedSteps[NetworkGenerator.ParseStep].Single().Outputs.Single().Value;
        Assert.IsType<NetworkSpec>(model);
        AssertNoRoslynObjects(model, "NetworkSpec", new HashSet<object>(ReferenceEqualityComparer.Instance));
    }

    private static void AssertNoRoslynObjects(object? value, string path, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value))
        {
            return;
        }

        Assert.False(value is ISymbol or Compilation or SyntaxNode or Location or SemanticModel, $"{path} holds a {value.GetType().Name}");
        if (value is IEnumerable items)
        {
            int i = 0;
            foreach (var item in items)
            {
                AssertNoRoslynObjects(item, $"{path}[{i++}]", seen);
            }

            return;
        }

        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            AssertNoRoslynObjects(property.GetValue(value), $"{path}.{property.Name}", seen);
        }
    }
}

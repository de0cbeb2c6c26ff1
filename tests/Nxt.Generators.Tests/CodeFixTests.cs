extern alias analyzers;

using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Nxt.CodeFixes;
using analyzers::Nxt.Analyzers;

namespace Nxt.Generators.Tests;

public class CodeFixTests
{
    [Fact]
    public Task Not_partial_gets_partial_on_the_class_and_its_container() => Verify(
        """
        public static class Outer
        {
            [Network] public class {|NXT0006:Net|}
            {
                [Input(4)] Tensor data;
                [SoftmaxOutput] Tensor softmax;
            }
        }
        """,
        """
        public static partial class Outer
        {
            [Network] public partial class Net
            {
                [Input(4)] Tensor data;
                [SoftmaxOutput] Tensor softmax;
            }
        }
        """);

    [Fact]
    public Task A_misspelled_reference_becomes_nameof_the_suggested_node() => Verify(
        """
        [Network] public partial class Net
        {
            [Input(4)] Tensor data;
            [FullyConnected(8)] Tensor hidden;
            [FullyConnected(3, From = {|NXT0002:"hiden"|})] Tensor fc;
            [SoftmaxOutput] Tensor softmax;
        }
        """,
        """
        [Network] public partial class Net
        {
            [Input(4)] Tensor data;
            [FullyConnected(8)] Tensor hidden;
            [FullyConnected(3, From = nameof(hidden))] Tensor fc;
            [SoftmaxOutput] Tensor softmax;
        }
        """);

    private static async Task Verify(string source, string fixedSource)
    {
        var test = new CSharpCodeFixTest<NetworkAnalyzer, NetworkCodeFixProvider, DefaultVerifier>
        {
            TestCode = "using Nxt;\n\n" + source,
            FixedCode = "using Nxt;\n\n" + fixedSource,
            ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
            CompilerDiagnostics = CompilerDiagnostics.Errors,
        };
        test.TestState.AdditionalReferences.AddRange(Harness.References);
        test.FixedState.AdditionalReferences.AddRange(Harness.References);
        test.DisabledDiagnostics.AddRange(["CS0169", "CS0649", "CS8618", "CS0414"]);
        await test.RunAsync();
    }
}

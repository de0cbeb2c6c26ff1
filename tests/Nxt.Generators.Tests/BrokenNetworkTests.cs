using Microsoft.CodeAnalysis;

namespace Nxt.Generators.Tests;

/// <summary>On a broken network the generator stays silent and its output compiles: the NXT error is the only error.</summary>
public class BrokenNetworkTests
{
    public static TheoryData<string> BrokenNetworks() => new()
    {
        "[Input(3, 4)] Tensor data; [SoftmaxOutput] Tensor softmax;",
        "[Input(4)] Tensor data; [FullyConnected(3, From = \"nope\")] Tensor fc1; [SoftmaxOutput] Tensor softmax;",
        "[Input(4)] Tensor data; [FullyConnected(0)] Tensor fc1; [SoftmaxOutput] Tensor softmax;",
        "[FullyConnected(3)] Tensor fc1; [SoftmaxOutput] Tensor softmax;",
        "[Input(4)] Tensor data; [Variable(0)] Tensor v; [SoftmaxOutput] Tensor softmax;",
        "[Input(4)] Tensor data; [SoftmaxOutput] Tensor softmax; [Activation(Act.Relu)] Tensor after;",
        "[Input(4)] Tensor data; [FullyConnected(3)] int fc1; [SoftmaxOutput] Tensor softmax;",
        "",
    };

    [Theory]
    [MemberData(nameof(BrokenNetworks))]
    public async Task Broken_network_gets_NXT_errors_and_no_compiler_errors(string members)
    {
        string source = $"using Nxt;\n[Network] public partial class Net {{ {members} }}\npublic static class User {{ public static int Count => Net.ArgumentNames.Count; }}";
        var (output, generated, generatorDiagnostics) = Harness.Generate(source);
        Assert.Empty(generatorDiagnostics);
        Assert.Single(generated); // the stub, so that code using the network still binds
        var diagnostics = await Harness.AllDiagnostics(output);
        var errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.StartsWith("NXT", e.Id));
    }

    [Theory]
    [InlineData("[Network] public class Net { [Input(4)] Tensor data; [SoftmaxOutput] Tensor softmax; }", "NXT0006")]
    [InlineData("[Network] public partial class Net : System.Exception { [Input(4)] Tensor data; [SoftmaxOutput] Tensor softmax; }", "NXT0007")]
    public async Task A_class_the_generator_cannot_extend_gets_no_output_and_one_error(string declaration, string id)
    {
        var (output, generated, _) = Harness.Generate("using Nxt;\n" + declaration);
        Assert.Empty(generated);
        var errors = (await Harness.AllDiagnostics(output)).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.Equal(id, Assert.Single(errors).Id);
    }
}

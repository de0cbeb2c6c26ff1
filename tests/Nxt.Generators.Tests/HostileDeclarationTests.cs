using Microsoft.CodeAnalysis;

namespace Nxt.Generators.Tests;

/// <summary>
/// Declarations a careless or hostile user writes that are valid C#: the build must end in
/// NXT errors at the declaration at fault (or compile and work), never in a generator crash
/// (CS8785) or compiler errors inside generated code.
/// </summary>
public class HostileDeclarationTests
{
    private const string Head = "using Nxt;\n";

    public static TheoryData<string, string, string> Rejected() => new()
    {
        // Sizes past what the runtime can hold, and arithmetic that would wrap.
        { "huge dense layer", "[Network] public partial class Net { [Input(4)] Tensor data; [FullyConnected(int.MaxValue)] Tensor fc; [SoftmaxOutput] Tensor softmax; }", "NXT0004" },
        { "huge input", "[Network] public partial class Net { [Input(int.MaxValue)] Tensor data; [FullyConnected(2)] Tensor fc; [SoftmaxOutput] Tensor softmax; }", "NXT0004" },
        { "huge convolution", "[Network] public partial class Net { [Input(3, 8, 8)] Tensor data; [Convolution(int.MaxValue, Kernel = 1)] Tensor conv; [Flatten] Tensor flat; [FullyConnected(2)] Tensor fc; [SoftmaxOutput] Tensor softmax; }", "NXT0004" },
        { "weight count past int", "[Network] public partial class Net { [Input(100000)] Tensor data; [FullyConnected(100000)] Tensor fc; [SoftmaxOutput] Tensor softmax; }", "NXT0004" },
        { "kernel that wraps", "[Network] public partial class Net { [Input(3, 8, 8)] Tensor data; [Convolution(2, Kernel = int.MaxValue, Dilate = int.MaxValue)] Tensor conv; [Flatten] Tensor flat; [FullyConnected(2)] Tensor fc; [SoftmaxOutput] Tensor softmax; }", "NXT0004" },
        { "sample past the plan", "[Network] public partial class Net { [Input(65536, 65536)] Tensor data; [FullyConnected(3)] Tensor fc; [SoftmaxOutput] Tensor softmax; }", "NXT0004" },
        { "scalar that is zero as a float", "[Network] public partial class Net { [Input(4)] Tensor data; [Div(Scalar = 1e-300)] Tensor d; [FullyConnected(2)] Tensor fc; [SoftmaxOutput] Tensor softmax; }", "NXT0004" },
        { "scalar past float", "[Network] public partial class Net { [Input(4)] Tensor data; [Mul(Scalar = double.MaxValue)] Tensor m; [FullyConnected(2)] Tensor fc; [SoftmaxOutput] Tensor softmax; }", "NXT0004" },
        { "eps that is zero as a float", "[Network] public partial class Net { [Input(4)] Tensor data; [FullyConnected(3)] Tensor fc; [BatchNorm(Eps = 1e-300)] Tensor bn; [SoftmaxOutput] Tensor softmax; }", "NXT0004" },

        // Blocks that expand without bound.
        { "repeat without bound", "[Block] public partial class Unit { [BlockInput] Tensor x; [Activation(Act.Relu)] Tensor r; } [Network] public partial class Net { [Input(4)] Tensor data; [Use<Unit>(Repeat = int.MaxValue)] Tensor units; [FullyConnected(2)] Tensor fc; [SoftmaxOutput] Tensor softmax; }", "NXT0004" },
        { "large repeat", "[Block] public partial class Unit { [BlockInput] Tensor x; [Activation(Act.Relu)] Tensor r; } [Network] public partial class Net { [Input(4)] Tensor data; [Use<Unit>(Repeat = 100000)] Tensor units; [FullyConnected(2)] Tensor fc; [SoftmaxOutput] Tensor softmax; }", "NXT0004" },

        // Class kinds a module cannot be.
        { "record", "[Network] public partial record Net { [Input(4)] Tensor data; [FullyConnected(2)] Tensor fc; [SoftmaxOutput] Tensor softmax; }", "NXT0011" },
        { "static class", "[Network] public static partial class Net { }", "NXT0011" },
        { "file class", "[Network] file partial class Net { [Input(4)] Tensor data; [FullyConnected(2)] Tensor fc; [SoftmaxOutput] Tensor softmax; }", "NXT0011" },

        // Names the generated class or Nxt.Module already use.
        { "node named Summary", "[Network] public partial class Net { [Input(4)] Tensor data; [FullyConnected(2)] Tensor Summary; [SoftmaxOutput] Tensor softmax; }", "NXT0008" },
        { "node named ArgumentNames", "[Network] public partial class Net { [Input(4)] Tensor data; [FullyConnected(2)] Tensor ArgumentNames; [SoftmaxOutput] Tensor softmax; }", "NXT0008" },
        { "node named Layout", "[Network] public partial class Net { [Input(4)] Tensor data; [FullyConnected(2)] Tensor Layout; [SoftmaxOutput] Tensor softmax; }", "NXT0008" },
        { "node named Forward", "[Network] public partial class Net { [Input(4)] Tensor data; [FullyConnected(2)] Tensor Forward; [SoftmaxOutput] Tensor softmax; }", "NXT0008" },
        { "node named Seed", "[Network] public partial class Net { [Input(4)] Tensor data; [FullyConnected(2)] Tensor Seed; [SoftmaxOutput] Tensor softmax; }", "NXT0008" },
        { "user Summary()", "[Network] public partial class Net { [Input(4)] Tensor data; [FullyConnected(2)] Tensor fc; [SoftmaxOutput] Tensor softmax; public static string Summary() => \"\"; }", "NXT0008" },
    };

    public static TheoryData<string, string> Supported() => new()
    {
        { "nested in a struct", "public partial struct Outer { [Network] public partial class Net { [Input(4)] Tensor data; [FullyConnected(2)] Tensor fc; [SoftmaxOutput] Tensor softmax; } }" },
        { "nested in a record", "public partial record Outer { [Network] public partial class Net { [Input(4)] Tensor data; [FullyConnected(2)] Tensor fc; [SoftmaxOutput] Tensor softmax; } }" },
        { "non-ASCII node name", "[Network] public partial class Net { [Input(4)] Tensor données; [FullyConnected(2)] Tensor couche; [SoftmaxOutput] Tensor softmax; }" },
        { "class named @class", "[Network] public partial class @class { [Input(4)] Tensor data; [FullyConnected(2)] Tensor fc; [SoftmaxOutput] Tensor softmax; }" },
        { "user constructor", "[Network] public partial class Net { [Input(4)] Tensor data; [FullyConnected(2)] Tensor fc; [SoftmaxOutput] Tensor softmax; public Net() { Seed = 3; } }" },
    };

    [Theory]
    [MemberData(nameof(Rejected))]
    public async Task Rejected_declaration_gets_an_NXT_error_and_nothing_else(string what, string declaration, string id)
    {
        var (output, _, generatorDiagnostics) = Harness.Generate(Head + declaration);
        Assert.True(generatorDiagnostics.IsEmpty, $"{what}: the generator reported {string.Join("; ", generatorDiagnostics)}");
        var errors = (await Harness.AllDiagnostics(output)).Where(d => d.Severity == DiagnosticSeverity.Error || (d.Severity == DiagnosticSeverity.Warning && !d.IsSuppressed)).ToList();
        Assert.True(errors.Any(e => e.Id == id), $"{what}: expected {id}, got {string.Join("; ", errors)}");
        Assert.True(errors.All(e => e.Id.StartsWith("NXT", StringComparison.Ordinal)), $"{what}: errors other than NXT: {string.Join("; ", errors)}");
    }

    [Fact]
    public async Task Network_on_two_parts_of_a_class_is_reported_without_a_generator_crash()
    {
        // The compiler's own CS0579 (a duplicate attribute) stands beside NXT0011: both point at the user's declaration.
        var (output, generated, generatorDiagnostics) = Harness.Generate(Head + "[Network] public partial class Net { [Input(4)] Tensor data; [FullyConnected(2)] Tensor fc; [SoftmaxOutput] Tensor softmax; } [Network] public partial class Net { }");
        Assert.Empty(generatorDiagnostics);
        Assert.Empty(generated);
        var errors = (await Harness.AllDiagnostics(output)).Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id).ToList();
        Assert.Contains("NXT0011", errors);
        Assert.All(errors, id => Assert.True(id is "NXT0011" or "CS0579", id));
    }

    [Fact]
    public async Task Nodes_in_several_files_must_name_their_inputs()
    {
        var implicitOrder = await ErrorsOf(
            "using Nxt; [Network] public partial class Net { [Input(4)] Tensor data; [FullyConnected(3)] Tensor fc; }",
            "using Nxt; public partial class Net { [Activation(Act.Relu)] Tensor relu; [SoftmaxOutput] Tensor softmax; }");
        Assert.Contains(implicitOrder, e => e.Id == "NXT0011" && e.GetMessage().Contains("2 files"));

        var named = await ErrorsOf(
            "using Nxt; [Network] public partial class Net { [Input(4)] Tensor data; [FullyConnected(3, From = nameof(data))] Tensor fc; }",
            "using Nxt; public partial class Net { [Activation(Act.Relu, From = nameof(fc))] Tensor relu; [SoftmaxOutput(From = nameof(relu))] Tensor softmax; }");
        Assert.Empty(named);
    }

    [Fact]
    public async Task A_mistake_in_a_block_used_many_times_is_reported_once()
    {
        var errors = await ErrorsOf(Head + "[Block] public partial class Unit { [BlockInput] Tensor x; [FullyConnected(0)] Tensor fc; } [Network] public partial class Net { [Input(4)] Tensor data; [Use<Unit>(Repeat = 50)] Tensor units; [SoftmaxOutput] Tensor softmax; }");
        Assert.Single(errors, e => e.Id == "NXT0004");
    }

    [Theory]
    [InlineData("public abstract partial class Net { [Input(4)] Tensor data; [FullyConnected(2)] Tensor fc; [SoftmaxOutput] Tensor softmax; }")]
    [InlineData("public partial class Net { public Net(int width) { } [Input(4)] Tensor data; [FullyConnected(2)] Tensor fc; [SoftmaxOutput] Tensor softmax; }")]
    [InlineData("public partial class Net { private Net() { } [Input(4)] Tensor data; [FullyConnected(2)] Tensor fc; [SoftmaxOutput] Tensor softmax; }")]
    public async Task A_network_that_cannot_be_created_with_new_compiles_without_a_static_Load(string declaration)
    {
        var (output, generated, _) = Harness.Generate(Head + "[Network] " + declaration);
        Assert.Empty(await ErrorsOf(Head + "[Network] " + declaration));
        Assert.DoesNotContain(" Load(", generated.Single().SourceText.ToString());
        Assert.NotNull(output.GetTypeByMetadataName("Net"));
    }

    [Fact]
    public async Task A_network_with_its_own_method_named_Load_is_told_to_rename_it()
    {
        var errors = await ErrorsOf(Head + "[Network] public partial class Net { public static void Load() { } [Input(4)] Tensor data; [FullyConnected(2)] Tensor fc; [SoftmaxOutput] Tensor softmax; }");
        Assert.Contains(errors, e => e.Id.StartsWith("NXT", StringComparison.Ordinal) && e.GetMessage().Contains("Load"));
    }

    private static async Task<List<Diagnostic>> ErrorsOf(params string[] sources)
    {
        var (output, _, generatorDiagnostics) = Harness.Generate(sources);
        Assert.Empty(generatorDiagnostics);
        return (await Harness.AllDiagnostics(output)).Where(d => d.Severity == DiagnosticSeverity.Error || (d.Severity == DiagnosticSeverity.Warning && !d.IsSuppressed)).ToList();
    }

    [Theory]
    [MemberData(nameof(Supported))]
    public async Task Supported_declaration_compiles_cleanly(string what, string declaration)
    {
        var (output, generated, generatorDiagnostics) = Harness.Generate(Head + declaration);
        Assert.True(generatorDiagnostics.IsEmpty, $"{what}: the generator reported {string.Join("; ", generatorDiagnostics)}");
        Assert.NotEmpty(generated);
        var errors = (await Harness.AllDiagnostics(output)).Where(d => d.Severity == DiagnosticSeverity.Error || (d.Severity == DiagnosticSeverity.Warning && !d.IsSuppressed)).ToList();
        Assert.True(errors.Count == 0, $"{what}: {string.Join("; ", errors)}");
    }
}

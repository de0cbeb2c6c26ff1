using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace Nxt.Generators.Tests;

/// <summary>
/// [Network(Symbol = "file.json")]: MXNet symbol files imported at build time. Every snapshot
/// network's own ToJson(), imported, gives the generated module it came from; what cannot be
/// imported is NXT0012 at the Symbol argument, naming the file, line, node and op.
/// </summary>
public class SymbolImportTests
{
    private const string SymbolPath = "/project/net-symbol.json";

    public static TheoryData<string> Networks => new()
    {
        SnapshotTests.Mlp, SnapshotTests.ImageClassifier, SnapshotTests.Branches, SnapshotTests.TutorialConvNet,
        SnapshotTests.LeNet, SnapshotTests.Residual, SnapshotTests.BlockResNet, SnapshotTests.MultiTask,
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public async Task Importing_a_network_s_own_symbol_json_generates_the_same_module(string source)
    {
        string original = Harness.Generate(source).Generated.Single().SourceText.ToString();
        string json = SymbolJsonOf(original);
        string imported = ImportSource(source);

        var (output, generated, generatorDiagnostics) = Harness.GenerateWithFiles([(SymbolPath, json)], imported);
        Assert.Empty(generatorDiagnostics);
        Assert.Empty((await Harness.AllDiagnostics(output, [(SymbolPath, json)])).Where(d => d.Severity >= DiagnosticSeverity.Warning && !d.IsSuppressed));
        string result = generated.Single().SourceText.ToString();

        // The only difference allowed: the attributed class's node fields, which an imported class does not declare.
        Assert.Equal(WithoutNodeFields(original), WithoutNodeFields(result));
    }

    [Fact]
    public async Task Every_layout_MXNet_wrote_imports_attrs_attr_and_the_old_param_with_backward_source_id()
    {
        const string attr = """
            {
              "nodes": [
                {"op": "null", "param": {}, "name": "data", "inputs": [], "backward_source_id": -1},
                {"op": "null", "param": {}, "name": "fc1_weight", "inputs": [], "backward_source_id": -1},
                {"op": "null", "param": {}, "name": "fc1_bias", "inputs": [], "backward_source_id": -1},
                {"op": "FullyConnected", "param": {"no_bias": "False", "num_hidden": "8"}, "name": "fc1", "inputs": [[0, 0], [1, 0], [2, 0]], "backward_source_id": -1},
                {"op": "Activation", "attr": {"act_type": "relu"}, "name": "relu1", "inputs": [[3, 0]], "backward_source_id": -1},
                {"op": "null", "name": "fc2_weight", "inputs": []},
                {"op": "null", "name": "fc2_bias", "inputs": []},
                {"op": "FullyConnected", "attr": {"num_hidden": "3"}, "name": "fc2", "inputs": [[4, 0], [5, 0], [6, 0]]},
                {"op": "null", "name": "softmax_label", "inputs": []},
                {"op": "Softmax", "param": {"grad_scale": "1", "multi_output": "False", "ignore_label": "-1", "use_ignore": "False"}, "name": "softmax", "inputs": [[7, 0], [8, 0]], "backward_source_id": -1}
              ],
              "arg_nodes": [0, 1, 2, 5, 6, 8],
              "heads": [[9, 0]]
            }
            """;
        var (output, generated, _) = Harness.GenerateWithFiles([(SymbolPath, attr)], "using Nxt; [Network(Symbol = \"net-symbol.json\")] public partial class Old { [Input(5)] Tensor data; }");
        Assert.Empty((await Harness.AllDiagnostics(output, [(SymbolPath, attr)])).Where(d => d.Severity == DiagnosticSeverity.Error));
        string text = generated.Single().SourceText.ToString();
        Assert.Contains("\"fc1_weight\", \"fc1_bias\", \"fc2_weight\", \"fc2_bias\"", text);
        Assert.Contains("DenseKernels.Forward", text);
        Assert.Contains("SoftmaxKernels", text);
    }

    [Theory]
    [InlineData("{\"nodes\": [", "net-symbol.json line 1: the file ends where a value was expected")]
    [InlineData("{\n  \"nodes\": [\n    {\"op\": \"null\", \"name\": \"data\", \"inputs\": []},\n    {\"op\": \"FullyConnected\" \"name\": \"fc\"}\n  ]\n}", "net-symbol.json line 4: expected ',' or '}' after an object member")]
    [InlineData("{\"heads\": []}", "net-symbol.json line 1: the object has no \"nodes\" array: this is not an MXNet symbol file")]
    public async Task A_malformed_file_is_NXT0012_naming_the_line(string json, string message)
    {
        var error = Assert.Single(await Errors(json, "[Input(4)] Tensor data;"));
        Assert.Equal("NXT0012", error.Id);
        Assert.Equal(message, error.GetMessage());
    }

    [Fact]
    public async Task An_op_Nxt_lacks_is_NXT0012_naming_file_line_node_and_op_at_the_Symbol_argument()
    {
        string json = Symbol(("FullyConnected", "fc1", "{\"num_hidden\": \"4\"}", "[[0, 0], [1, 0], [2, 0]]", new[] { "fc1_weight", "fc1_bias" }), ("ROIPooling", "roi", "{\"pooled_size\": \"(7, 7)\"}", "[[3, 0]]", []));
        var errors = await Errors(json, "[Input(4)] Tensor data;");
        var error = Assert.Single(errors);
        Assert.Equal("NXT0012", error.Id);
        Assert.StartsWith("net-symbol.json line 7, node 'roi' (ROIPooling): Nxt has no operator 'ROIPooling'; it reads Activation, BatchNorm,", error.GetMessage());
        Assert.Equal("\"net-symbol.json\"", error.Location.SourceTree!.GetText().ToString(error.Location.SourceSpan));
    }

    [Fact]
    public async Task Attributes_Nxt_does_not_have_and_values_it_cannot_compute_are_errors_not_dropped()
    {
        var layout = await Errors(Symbol(("Convolution", "conv", "{\"kernel\": \"(3, 3)\", \"num_filter\": \"4\", \"layout\": \"NHWC\"}", "[[0, 0], [1, 0], [2, 0]]", new[] { "conv_weight", "conv_bias" })), "[Input(1, 8, 8)] Tensor data;");
        Assert.Contains("attribute 'layout' is 'NHWC', but Convolution takes NCHW (the only value Nxt has) there", Assert.Single(layout).GetMessage());

        var unknown = await Errors(Symbol(("FullyConnected", "fc", "{\"num_hidden\": \"4\", \"fancy\": \"yes\"}", "[[0, 0], [1, 0], [2, 0]]", new[] { "fc_weight", "fc_bias" })), "[Input(4)] Tensor data;");
        Assert.Contains("Nxt does not have the attribute(s) 'fancy' = 'yes' of FullyConnected", Assert.Single(unknown).GetMessage());

        var act = await Errors(Symbol(("Activation", "act", "{\"act_type\": \"swish\"}", "[[0, 0]]", [])), "[Input(4)] Tensor data;");
        Assert.Contains("attribute 'act_type' is 'swish', but Activation takes one of relu, sigmoid, tanh, softrelu, softsign", Assert.Single(act).GetMessage());
    }

    [Fact]
    public async Task MXNet_s_sequence_and_slice_attributes_import_and_a_mask_without_lengths_is_an_error()
    {
        // MXNet writes None for an open end; a slice over the batch is refused.
        var slice = await Errors(Symbol(("slice", "cut", "{\"begin\": \"(None, 1, None)\", \"end\": \"(None, None, 2)\"}", "[[0, 0]]", [])), "[Input(3, 4)] Tensor data;");
        Assert.Empty(slice);
        var batch = await Errors(Symbol(("slice", "cut", "{\"begin\": \"(1, 0)\", \"end\": \"(None, 2)\"}", "[[0, 0]]", [])), "[Input(3)] Tensor data;");
        Assert.Contains("it slices axis 0, the batch, which a module keeps whole", Assert.Single(batch).GetMessage());

        var mask = await Errors(Symbol(("SequenceMask", "masked", "{\"axis\": \"1\"}", "[[0, 0]]", [])), "[Input(3, 4)] Tensor data;");
        Assert.Contains("use_sequence_length is False (MXNet's default), which passes the data through", Assert.Single(mask).GetMessage());
    }

    [Fact]
    public async Task A_data_input_without_an_Input_field_and_an_Input_the_symbol_lacks_are_errors()
    {
        string json = Symbol(("FullyConnected", "fc", "{\"num_hidden\": \"4\"}", "[[0, 0], [1, 0], [2, 0]]", new[] { "fc_weight", "fc_bias" }));
        var missing = Assert.Single(await Errors(json, "[Input(4)] Tensor image;"));
        Assert.Equal("net-symbol.json line 6, node 'fc' (FullyConnected): its input 'data' is a data input of the symbol without an [Input] field: declare [Input(sample shape)] Tensor data;", missing.GetMessage());

        var extra = Assert.Single(await Errors(json, "[Input(4)] Tensor data; [Input(2)] Tensor extra;"));
        Assert.Equal("net-symbol.json: [Input] 'extra' is not a data input of the symbol; its data inputs are data", extra.GetMessage());
    }

    [Fact]
    public async Task An_output_past_an_operator_s_first_and_a_variable_as_output_are_errors()
    {
        string json = Symbol(("BatchNorm", "bn", "{\"output_mean_var\": \"True\"}", "[[0, 0], [1, 0], [2, 0], [3, 0], [4, 0]]", new[] { "bn_gamma", "bn_beta", "bn_moving_mean", "bn_moving_var" }));
        var mean = Assert.Single(await Errors(json.Replace("\n}", ",\n  \"heads\": [[5, 1, 0]]\n}", StringComparison.Ordinal), "[Input(4)] Tensor data;"));
        Assert.Equal("net-symbol.json: an output is output 1 of 'bn', but Nxt's operators have one output", mean.GetMessage());
        var variable = Assert.Single(await Errors(json.Replace("\n}", ",\n  \"heads\": [[1, 0, 0]]\n}", StringComparison.Ordinal), "[Input(4)] Tensor data;"));
        Assert.Equal("net-symbol.json: the output 'bn_gamma' is a variable, not an operator's result", variable.GetMessage());
    }

    [Fact]
    public async Task Parameters_named_otherwise_than_Nxt_names_them_are_an_error_naming_both()
    {
        string json = Symbol(("FullyConnected", "fc", "{\"num_hidden\": \"4\"}", "[[0, 0], [1, 0], [2, 0]]", new[] { "w", "b" }));
        var error = Assert.Single(await Errors(json, "[Input(4)] Tensor data;"));
        Assert.Equal("NXT0012", error.Id);
        Assert.Equal("net-symbol.json line 6: 'fc' reads the variables w, b, but Nxt names its arguments fc_weight, fc_bias: rename them in the symbol file, as MXNet itself names them", error.GetMessage());
    }

    [Fact]
    public async Task Shape_errors_of_imported_nodes_name_the_file_and_line()
    {
        string json = Symbol(("Convolution", "conv", "{\"kernel\": \"(5, 5)\", \"num_filter\": \"4\"}", "[[0, 0], [1, 0], [2, 0]]", new[] { "conv_weight", "conv_bias" }));
        var error = Assert.Single(await Errors(json, "[Input(1, 3, 3)] Tensor data;"));
        Assert.StartsWith("net-symbol.json line 6: ", error.GetMessage());
        Assert.Contains("conv", error.GetMessage());
    }

    [Fact]
    public async Task A_file_the_project_does_not_list_and_layers_beside_the_symbol_are_errors()
    {
        // Code that uses the module sees the NXT0012 alone: the class still gets the stub.
        var (output, _, _) = Harness.GenerateWithFiles([], "using Nxt; [Network(Symbol = \"missing.json\")] public partial class Net { [Input(4)] Tensor data; } static class User { static void Use() { using var net = new Net(); net.Bind(4); } }");
        var missing = Assert.Single((await Harness.AllDiagnostics(output)).Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.Equal("'missing.json' is not among the project's AdditionalFiles: add <AdditionalFiles Include=\"missing.json\" /> to the project file, so the build can read it", missing.GetMessage());

        string json = Symbol(("FullyConnected", "fc", "{\"num_hidden\": \"4\"}", "[[0, 0], [1, 0], [2, 0]]", new[] { "fc_weight", "fc_bias" }));
        var extra = await Errors(json, "[Input(4)] Tensor data; [FullyConnected(2)] Tensor more;");
        Assert.Contains(extra, e => e.Id == "NXT0012" && e.GetMessage().Contains("declares only its [Input]s; remove more"));
    }

    // A symbol of one data input 'data', then the given operators in a chain, each followed by its variables.
    private static string Symbol(params (string Op, string Name, string Attrs, string Inputs, string[] Variables)[] ops)
    {
        var lines = new List<string> { "{", "  \"nodes\": [", "    {\"op\": \"null\", \"name\": \"data\", \"inputs\": []}," };
        foreach (var (op, name, attrs, inputs, variables) in ops)
        {
            lines.AddRange(variables.Select(v => $"    {{\"op\": \"null\", \"name\": \"{v}\", \"inputs\": []}},"));
            lines.Add($"    {{\"op\": \"{op}\", \"name\": \"{name}\", \"attrs\": {attrs}, \"inputs\": {inputs}}},");
        }

        lines[^1] = lines[^1].TrimEnd(',');
        lines.Add("  ]");
        lines.Add("}");
        return string.Join("\n", lines);
    }

    private static async Task<List<Diagnostic>> Errors(string json, string members)
    {
        var (output, _, generatorDiagnostics) = Harness.GenerateWithFiles([(SymbolPath, json)], "using Nxt; [Network(Symbol = \"net-symbol.json\")] public partial class Net { " + members + " }");
        Assert.Empty(generatorDiagnostics);
        return (await Harness.AllDiagnostics(output, [(SymbolPath, json)])).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
    }

    private static string SymbolJsonOf(string generated)
    {
        var match = Regex.Match(generated, "private const string SymbolJson = @\"((?:[^\"]|\"\")*)\";");
        Assert.True(match.Success, "the generated module has no SymbolJson");
        return match.Groups[1].Value.Replace("\"\"", "\"");
    }

    // The same class with [Network(Symbol = ...)] and only its [Input] fields.
    private static string ImportSource(string source)
    {
        var network = Regex.Match(source, @"\[Network(?:\((?<options>[^)]*)\))?\]\s*(?<modifiers>[a-z ]*)partial class (?<name>\w+)");
        string options = network.Groups["options"].Value;
        string header = source[..network.Index];
        string closing = new('}', header.Count(c => c == '{') - header.Count(c => c == '}')); // the classes the network is nested in
        var inputs = Regex.Matches(source[network.Index..], @"\[Input\([^)]*\)\]\s*Tensor \w+;").Select(m => m.Value);
        string attribute = options.Length > 0 ? $"[Network({options}, Symbol = \"net-symbol.json\")]" : "[Network(Symbol = \"net-symbol.json\")]";
        return $"{header}{attribute}\n{network.Groups["modifiers"].Value}partial class {network.Groups["name"].Value}\n{{\n    {string.Join("\n    ", inputs)}\n}}\n{closing}\n";
    }

    private static string WithoutNodeFields(string generated)
        => Regex.Replace(generated, @"(protected override void AttachNodeFields\(\)\s*\{)[^}]*\}", "$1}");
}

/// <summary>
/// Every network declared in the repository's tests and samples (read from disk, compiled together
/// as the test project compiles them), imported back from its own ToJson(), gives the identical module.
/// </summary>
public class SymbolRoundTripOfEveryNetworkTests
{
    private const string SymbolPath = "/project/net-symbol.json";

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (string file in NetworkFiles())
        {
            data.Add(Path.GetRelativePath(RepositoryRoot(), file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Each_network_of_a_file_imports_back_to_its_own_module(string file)
    {
        string root = RepositoryRoot();
        var sources = NetworkFiles().Select(File.ReadAllText).ToArray();
        string text = File.ReadAllText(Path.Combine(root, file));
        var generated = Harness.Generate(sources).Generated;
        int checkedNetworks = 0;
        foreach (var network in Regex.Matches(text, @"\[Network(?:\((?<options>[^)]*)\))?\]\s*(?:public |internal |private |sealed )*partial class (?<name>\w+)").Cast<Match>())
        {
            string name = network.Groups["name"].Value;
            string original = generated.Single(g => Regex.IsMatch(g.HintName, $@"(^|\.){name}\.g\.cs$")).SourceText.ToString();
            var json = Regex.Match(original, "private const string SymbolJson = @\"((?:[^\"]|\"\")*)\";");
            if (!json.Success || json.Groups[1].Value.Contains("\"\"op\"\": \"\"Custom\"\"", StringComparison.Ordinal))
            {
                continue; // a broken network's stub, or C# custom operators, which MXNet's JSON cannot carry
            }

            string symbol = json.Groups[1].Value.Replace("\"\"", "\"");
            string import = ImportOf(original, name, network.Groups["options"].Value, ClassBody(text, network.Index));
            var (output, result, diagnostics) = Harness.GenerateWithFiles([(SymbolPath, symbol)], import);
            Assert.Empty(diagnostics);
            var errors = (await Harness.AllDiagnostics(output, [(SymbolPath, symbol)])).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            Assert.True(errors.Count == 0, $"{name}: {string.Join("\n", errors)}");
            Assert.Equal(WithoutNodeFields(original), WithoutNodeFields(result.Single().SourceText.ToString()));
            checkedNetworks++;
        }

        Assert.True(checkedNetworks > 0 || text.Contains("[Custom", StringComparison.Ordinal) || text.Contains("[Network(Symbol", StringComparison.Ordinal), $"{file}: no network was checked");
    }

    private static IEnumerable<string> NetworkFiles()
    {
        string root = RepositoryRoot();
        return new[] { Path.Combine(root, "tests", "Nxt.Runtime.Tests"), Path.Combine(root, "samples") }
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}Packaging{Path.DirectorySeparatorChar}", StringComparison.Ordinal)) // networks in strings, for a package's project
            .Where(f => File.ReadAllText(f).Contains("[Network", StringComparison.Ordinal) && !File.ReadAllText(f).Contains("[Network(Symbol", StringComparison.Ordinal))
            .OrderBy(f => f, StringComparer.Ordinal);
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Nxt.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("the repository root (Nxt.sln) is not above the test's folder");
    }

    // The class's body: from its declaration to the brace that closes it.
    private static string ClassBody(string text, int start)
    {
        int open = text.IndexOf('{', start), depth = 0;
        for (int i = open; i < text.Length; i++)
        {
            depth += text[i] == '{' ? 1 : text[i] == '}' ? -1 : 0;
            if (depth == 0)
            {
                return text[open..(i + 1)];
            }
        }

        return text[open..];
    }

    // The generated file's namespace and containing classes around a class that declares only the inputs and names the symbol.
    private static string ImportOf(string generated, string name, string options, string body)
    {
        var lines = generated.Split('\n');
        int declaration = Array.FindIndex(lines, l => l.TrimStart().StartsWith($"partial class {name} :", StringComparison.Ordinal));
        var wrappers = lines.Take(declaration).Where(l => l.TrimStart().StartsWith("namespace ", StringComparison.Ordinal) || l.TrimStart().StartsWith("partial ", StringComparison.Ordinal)).ToList();
        // The class's constants too: an [Input] may size itself with one (CharLstm's Steps).
        var constants = Regex.Matches(body, @"(?:public |internal |private )?const int \w+ = [^;]+;").Select(m => m.Value);
        var inputs = constants.Concat(Regex.Matches(body, @"\[Input\([^)]*\)\]\s*Tensor\s+@?\w+;").Select(m => m.Value));
        string attribute = options.Length > 0 ? $"[Network({options}, Symbol = \"net-symbol.json\")]" : "[Network(Symbol = \"net-symbol.json\")]";
        return "using Nxt;\n" + string.Concat(wrappers.Select(w => w.Trim() + " {\n"))
            + $"{attribute}\npartial class {name} {{ {string.Join(" ", inputs)} }}\n" + new string('}', wrappers.Count) + "\n";
    }

    private static string WithoutNodeFields(string generated)
        => Regex.Replace(generated, @"(protected override void AttachNodeFields\(\)\s*\{)[^}]*\}", "$1}");
}

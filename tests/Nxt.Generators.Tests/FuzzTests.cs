extern alias analyzers;

using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using analyzers::Nxt.Analyzers;

namespace Nxt.Generators.Tests;

/// <summary>
/// Thousands of generated network declarations, run through the generator and the analyzers as
/// the compiler would: nothing may throw (no CS8785, no AD0001); every declaration broken by one
/// known mistake gets an NXT error on the line of that mistake; every valid one compiles cleanly;
/// declarations with syntax errors still never crash anything. Valid declarations vary the
/// class's container (none, a class, a struct, a record), its name (plain, escaped keyword,
/// non-ASCII), node names (ASCII or not) and whether the project references Nxt.Gpu (the ILGPU
/// plan must compile too). Mistakes include wrong arguments and references, sizes past what the
/// runtime holds or that would wrap, floats that vanish in single precision, names the build
/// reserves, class kinds a module cannot be, and a block repeated without bound.
/// </summary>
public class FuzzTests
{
    private static readonly int Count = int.TryParse(Environment.GetEnvironmentVariable("NXT_FUZZ_COUNT"), out int n) ? n : 2000;

    [Fact]
    public async Task Generated_declarations_never_crash_and_every_mistake_is_reported_on_its_line()
    {
        var random = new Random(20261123);
        int valid = 0, broken = 0, syntax = 0;
        for (int i = 0; i < Count; i++)
        {
            var network = RandomNetwork(random);
            var mutation = random.Next(3) switch
            {
                0 => null,
                1 => Mutate(network, random),
                _ => random.Next(4) == 0 ? BreakSyntax(network, random) : Mutate(network, random),
            };
            string source = network.Render();
            var (output, _, generatorDiagnostics) = network.Gpu ? Harness.GenerateWithGpu(source) : Harness.Generate(source);
            Assert.DoesNotContain(generatorDiagnostics, d => d.Id == "CS8785"); // the generator threw
            var diagnostics = await AnalyzeAsync(output);
            Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001"); // an analyzer threw
            if (mutation is null)
            {
                valid++;
                var errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error || (d.Severity == DiagnosticSeverity.Warning && !d.IsSuppressed)).ToList();
                Assert.True(errors.Count == 0, $"valid declaration #{i} does not compile cleanly:\n{source}\n{string.Join("\n", errors)}");
            }
            else if (mutation.Line < 0)
            {
                syntax++;
            }
            else
            {
                broken++;
                bool onLine = diagnostics.Any(d => d.Id.StartsWith("NXT", StringComparison.Ordinal) && d.Location.GetLineSpan().StartLinePosition.Line == mutation.Line);
                Assert.True(onLine, $"declaration #{i} broken by '{mutation.What}' on line {mutation.Line + 1} has no NXT error there:\n{source}\n{string.Join("\n", diagnostics)}");
            }
        }

        Assert.True(valid > Count / 5 && broken > Count / 5 && syntax > 0, $"valid {valid}, broken {broken}, syntax {syntax}");
    }

    private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Compilation compilation)
    {
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new NetworkAnalyzer(), new NodeFieldSuppressor());
        var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: false, reportSuppressedDiagnostics: true);
        return await compilation.WithAnalyzers(analyzers, options).GetAllDiagnosticsAsync();
    }

    private sealed record Mutation(string What, int Line);

    /// <summary>A network as editable lines: a header, one member per line, a footer.</summary>
    internal sealed class Network
    {
        public List<string> Header { get; } = ["using Nxt;", "namespace Fuzz;", "[Network]", "public partial class Net", "{"];

        public List<(string Attribute, string Type, string Name)> Members { get; } = [];

        public List<string> Footer { get; } = ["}"];

        /// <summary>Compiled in a project that references Nxt.Gpu.</summary>
        public bool Gpu { get; set; }

        public int MemberLine(int member) => Header.Count + member;

        public int ClassLine => Header.FindIndex(line => line.StartsWith("public", StringComparison.Ordinal) && line.Contains(" class ", StringComparison.Ordinal) && !line.Contains("Outer", StringComparison.Ordinal));

        /// <summary>The class's declaration line, as written.</summary>
        public string ClassDeclaration
        {
            get => Header[ClassLine];
            set => Header[ClassLine] = value;
        }

        /// <summary>Nests the network in a container (a class, struct or record) and names it.</summary>
        public void Place(string? container, string className)
        {
            ClassDeclaration = "public partial class " + className;
            if (container is not null)
            {
                Header.Insert(2, $"public partial {container} Outer {{");
                Footer.Add("}");
            }
        }

        public string Render()
        {
            var text = new StringBuilder();
            foreach (string line in Header)
            {
                text.Append(line).Append('\n');
            }

            foreach (var (attribute, type, name) in Members)
            {
                text.Append("    [").Append(attribute).Append("] ").Append(type).Append(' ').Append(name).Append(";\n");
            }

            foreach (string line in Footer)
            {
                text.Append(line).Append('\n');
            }

            return text.ToString();
        }
    }

    // A valid network by construction: the generator tracks the shape so every argument fits.
    internal static Network RandomNetwork(Random random)
    {
        var network = new Network { Gpu = random.Next(4) == 0 };
        network.Place(
            random.Next(4) switch { 0 => "class", 1 => "struct", 2 => "record", _ => null },
            random.Next(5) switch { 0 => "@class", 1 => "Réseau", _ => "Net" });
        string suffix = random.Next(4) == 0 ? "é" : string.Empty;
        bool image = random.Next(2) == 0;
        int c = random.Next(1, 4), h = random.Next(5, 12), w = random.Next(5, 12), features = random.Next(2, 40);
        network.Members.Add((image ? $"Input({c}, {h}, {w})" : $"Input({features})", "Tensor", "data"));
        int layers = random.Next(1, 7);
        var sameShape = new List<string> { "data" };
        for (int i = 1; i <= layers; i++)
        {
            string name = "n" + i.ToString(CultureInfo.InvariantCulture) + suffix;
            string attribute;
            if (image && h >= 3 && w >= 3 && random.Next(4) == 0)
            {
                int k = random.Next(1, Math.Min(h, w) + 1), pad = random.Next(0, 2), stride = random.Next(1, 3);
                c = random.Next(1, 6);
                h = ((h + (2 * pad) - k) / stride) + 1;
                w = ((w + (2 * pad) - k) / stride) + 1;
                attribute = $"Convolution({c}, Kernel = {k}, Pad = {pad}, Stride = {stride})";
                sameShape.Clear();
            }
            else if (image && h >= 2 && w >= 2 && random.Next(4) == 0)
            {
                h /= 2;
                w /= 2;
                attribute = $"Pooling(Pool.{(random.Next(2) == 0 ? "Max" : "Avg")}, Kernel = 2, Stride = 2)";
                sameShape.Clear();
            }
            else if (image && random.Next(5) == 0)
            {
                image = false;
                features = c * h * w;
                attribute = "Flatten";
                sameShape.Clear();
            }
            else if (!image && random.Next(3) == 0)
            {
                features = random.Next(1, 30);
                attribute = $"FullyConnected({features}{(random.Next(4) == 0 ? ", NoBias = true" : string.Empty)})";
                sameShape.Clear();
            }
            else if (sameShape.Count > 1 && random.Next(3) == 0)
            {
                attribute = $"Add(nameof({sameShape[random.Next(sameShape.Count)]}), nameof({sameShape[random.Next(sameShape.Count)]}))";
            }
            else
            {
                attribute = random.Next(4) switch
                {
                    0 => "Activation(Act.Relu)",
                    1 => "Activation(Act.Tanh)",
                    2 => "BatchNorm",
                    _ => $"Dropout({random.Next(0, 9) / 10.0:0.0})",
                };
            }

            network.Members.Add((attribute, "Tensor", name));
            sameShape.Add(name);
        }

        if (image)
        {
            network.Members.Add(("Flatten", "Tensor", "flat"));
        }

        network.Members.Add(($"FullyConnected({random.Next(2, 10)})", "Tensor", "scores"));
        network.Members.Add(("SoftmaxOutput", "Tensor", "softmax"));
        return network;
    }

    // One mistake the analyzers must catch, and the line it must be reported on.
    private static Mutation Mutate(Network network, Random random)
    {
        int member = random.Next(1, network.Members.Count - 1); // not the input, not the loss
        var (attribute, type, name) = network.Members[member];
        switch (random.Next(17))
        {
            case 0:
                network.Members[member] = ("FullyConnected(0)", type, name);
                return new("num_hidden 0", network.MemberLine(member));
            case 1:
                network.Members[member] = ($"FullyConnected(3, From = \"missing{member}\")", type, name);
                return new("unknown From", network.MemberLine(member));
            case 2:
                network.Members[member] = ($"Activation(Act.Relu, From = nameof({network.Members[^1].Name}))", type, name);
                return new("forward From", network.MemberLine(member));
            case 3:
                network.Members[member] = (attribute, "int", name);
                return new("wrong member type", network.MemberLine(member));
            case 4:
                network.Members[member] = ("Dropout(1.5)", type, name);
                return new("dropout p 1.5", network.MemberLine(member));
            case 5:
                network.ClassDeclaration = network.ClassDeclaration.Replace("partial ", string.Empty, StringComparison.Ordinal);
                return new("not partial", network.ClassLine);
            case 6:
                network.Members[member] = ("Convolution(2, Kernel = 99)", type, name);
                return new("kernel larger than its input", network.MemberLine(member));
            case 7:
                network.Members[member] = ("FullyConnected(int.MaxValue)", type, name);
                return new("a dense layer past the runtime", network.MemberLine(member));
            case 8:
                network.Members[0] = ("Input(65536, 65536)", "Tensor", "data");
                return new("an input past the plan", network.MemberLine(0));
            case 9:
                network.Members[member] = ("Convolution(2, Kernel = int.MaxValue, Dilate = int.MaxValue)", type, name);
                return new("a kernel extent that wraps", network.MemberLine(member));
            case 10:
                network.Members[member] = (random.Next(2) == 0 ? "Div(Scalar = 1e-300)" : "Mul(Scalar = double.MaxValue)", type, name);
                return new("a scalar lost in single precision", network.MemberLine(member));
            case 11:
                string reserved = new[] { "Summary", "Forward", "Seed", "Layout", "ArgumentNames", "ToJson" }[random.Next(6)];
                network.Members[member] = (attribute, type, reserved);
                return new("a node named like a member the build needs", network.MemberLine(member));
            case 12:
                network.ClassDeclaration = network.ClassDeclaration.Replace("partial class", "partial record", StringComparison.Ordinal);
                return new("a record network", network.ClassLine);
            case 13:
                network.ClassDeclaration = network.ClassDeclaration.Replace("public partial", "public static partial", StringComparison.Ordinal);
                return new("a static network", network.ClassLine);
            case 14:
                network.Members[member] = ("Use<Unit>(Repeat = 1000000)", type, name);
                network.Footer.Add("[Block] public partial class Unit { [BlockInput] Tensor x; [Activation(Act.Relu)] Tensor r; }");
                return new("a block repeated without bound", network.MemberLine(member));
            case 15:
                network.Members[member] = ("BatchNorm(Eps = 1e-300)", type, name);
                return new("an eps that is zero in single precision", network.MemberLine(member));
            default:
                network.Members[member] = ("SoftmaxOutput", type, name);
                return new("loss before the end", network.MemberLine(member));
        }
    }

    // Syntax the parser must recover from; only "nothing throws" is checked.
    private static Mutation BreakSyntax(Network network, Random random)
    {
        int member = random.Next(0, network.Members.Count);
        var (attribute, type, name) = network.Members[member];
        network.Members[member] = random.Next(3) switch
        {
            0 => (attribute + "(", type, name),
            1 => (attribute, type, name + " = "),
            _ => (attribute.Replace("(", "((", StringComparison.Ordinal), type, name),
        };
        return new("syntax", -1);
    }
}

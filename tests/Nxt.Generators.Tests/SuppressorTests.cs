using Microsoft.CodeAnalysis;

namespace Nxt.Generators.Tests;

public class SuppressorTests
{
    [Fact]
    public async Task Node_field_warnings_are_suppressed_and_reported_as_such()
    {
        var (output, _, _) = Harness.Generate(SnapshotTests.Mlp);
        var diagnostics = await Harness.AllDiagnostics(output);
        var suppressed = diagnostics.Where(d => d.IsSuppressed).ToList();
        Assert.Contains(suppressed, d => d.Id == "CS8618"); // non-nullable node fields are set at Bind, not in a constructor
        Assert.Empty(diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning && !d.IsSuppressed));
    }

    [Fact]
    public async Task Ordinary_fields_keep_their_warnings()
    {
        var (output, _, _) = Harness.Generate(SnapshotTests.Mlp.Replace("[SoftmaxOutput]", "private int unused;\n    [SoftmaxOutput]"));
        var diagnostics = await Harness.AllDiagnostics(output);
        Assert.Contains(diagnostics, d => d.Id == "CS0169" && !d.IsSuppressed && d.GetMessage().Contains("unused"));
    }
}

using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;

namespace Nxt.Analyzers;

/// <summary>Every NXT diagnostic, one per <see cref="ErrorCode"/> (same number); the message is the shape core's.</summary>
internal static class DiagnosticDescriptors
{
    private const string Shapes = "Nxt.Shapes";
    private const string Graph = "Nxt.Graph";
    private const string Declaration = "Nxt.Declaration";
    private const string Import = "Nxt.Import";

    public static readonly DiagnosticDescriptor ShapeMismatch = new("NXT0001", "Input shape does not fit the operator", "{0}", Shapes, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink("NXT0001"));

    public static readonly DiagnosticDescriptor UnknownReference = new("NXT0002", "Unknown node reference", "{0}", Graph, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink("NXT0002"));

    public static readonly DiagnosticDescriptor ForwardReference = new("NXT0003", "Reference to a node not declared above", "{0}", Graph, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink("NXT0003"));

    public static readonly DiagnosticDescriptor ParameterOutOfRange = new("NXT0004", "Operator argument out of range", "{0}", Shapes, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink("NXT0004"));

    public static readonly DiagnosticDescriptor MissingInput = new("NXT0005", "Network or layer without input", "{0}", Graph, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink("NXT0005"));

    public static readonly DiagnosticDescriptor NotPartial = new("NXT0006", "Network class is not partial", "{0}", Declaration, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink("NXT0006"));

    public static readonly DiagnosticDescriptor ConflictingBase = new("NXT0007", "Network class has a conflicting base class", "{0}", Declaration, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink("NXT0007"));

    public static readonly DiagnosticDescriptor DuplicateName = new("NXT0008", "Duplicate name in the network", "{0}", Graph, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink("NXT0008"));

    public static readonly DiagnosticDescriptor LossNotLast = new("NXT0010", "Loss layer is not the last node", "{0}", Graph, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink("NXT0010"));

    public static readonly DiagnosticDescriptor UnsupportedMember = new("NXT0011", "Unsupported network member", "{0}", Declaration, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink("NXT0011"));

    public static readonly DiagnosticDescriptor SymbolImport = new("NXT0012", "MXNet symbol file cannot be imported", "{0}", Import, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink("NXT0012"));

    public static ImmutableArray<DiagnosticDescriptor> All { get; } = ImmutableArray.Create(
        ShapeMismatch, UnknownReference, ForwardReference, ParameterOutOfRange, MissingInput, NotPartial,
        ConflictingBase, DuplicateName, LossNotLast, UnsupportedMember, SymbolImport);

    public static DiagnosticDescriptor For(ErrorCode code)
    {
        foreach (var descriptor in All)
        {
            if (descriptor.Id == Id(code))
            {
                return descriptor;
            }
        }

        return UnsupportedMember;
    }

    public static string Id(ErrorCode code) => "NXT" + ((int)code).ToString("D4", System.Globalization.CultureInfo.InvariantCulture);

    // The catalogue of diagnostics lives in the repository's docs/diagnostics.md, one anchor per ID.
    // (IDs are literals above, not built from ErrorCode, so that release tracking can read them;
    // a test checks that each ErrorCode maps to the descriptor of the same number.)
    private static string HelpLink(string id) => "docs/diagnostics.md#" + id.ToLowerInvariant();
}

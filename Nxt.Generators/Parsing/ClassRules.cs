using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;

namespace Nxt.Generators.Parsing;

/// <summary>
/// What a <c>[Network]</c> class must be besides its nodes, so that the build adds a module that
/// compiles: a class (not a record, not static, not file-local) with <c>[Network]</c> on one of
/// its parts, whose node fields are not named like a member the build generates or
/// <c>Nxt.Module</c> has, which declares no member the build generates, and whose nodes, when
/// declared in several files, each name their input (the order of files is the compiler's).
/// </summary>
internal static class ClassRules
{
    /// <summary>The members the generator adds to every network class.</summary>
    public static readonly IReadOnlyCollection<string> GeneratedMembers = new HashSet<string>
    {
        "ArgumentNames", "DataNames", "LabelNames", "OutputNames", "AuxiliaryStateNames", "ActivationFloatsPerSample", "GradientFloatsPerSample",
        "PlannedBytesPerSample", "NaiveBytesPerSample", "ForwardKernelCount", "StateFloats", "WorkspaceFloatsPerThread",
        "ParameterCount", "InferShape", "ToJson", "ToDot", "Summary", "SymbolJson", "SummaryText", "DotGraph", "OnnxGraph",
        "BuildErrors", "s_layout", "Layout", "ForwardCore", "BackwardCore", "AttachNodeFields", "CreateDeviceExecutor", "IlgpuPlan", "Load", "GeneratedKernels", "GeneratedDeviceKernels",
    };

    private const string GeneratedCodeAttribute = "System.CodeDom.Compiler.GeneratedCodeAttribute";

    /// <summary>One field that declares nodes: where its first node is, its file, and whether it names its input.</summary>
    public readonly record struct NodeField(int FirstNode, string Name, string? File, bool NamesInput);

    public static void Check(INamedTypeSymbol type, List<NodeSpec> nodes, IReadOnlyList<NodeField> fields, List<DeclarationProblem> problems)
    {
        CheckKind(type, problems);
        CheckNames(type, nodes, problems);
        CheckFiles(type, fields, problems);
    }

    private static void CheckKind(INamedTypeSymbol type, List<DeclarationProblem> problems)
    {
        string? why = type.IsRecord ? "a record; a network must be a class, which the build makes an Nxt.Module"
            : type.IsStatic ? "static; a network is a module you create, so it cannot be static"
            : type.IsFileLocal ? "file-local; the build adds the module in a file of its own, which cannot see a file-local class"
            : null;
        if (why is not null)
        {
            problems.Add(new DeclarationProblem(ErrorCode.UnsupportedMember, -1, null, $"Network '{type.Name}' is {why}"));
        }

        int parts = type.GetAttributes().Count(a => a.AttributeClass?.ToDisplayString() == NetworkParser.NetworkAttributeName);
        if (parts > 1)
        {
            problems.Add(new DeclarationProblem(ErrorCode.UnsupportedMember, -1, null, $"Network '{type.Name}' has [Network] on {parts} of its declarations: put it on one"));
        }
    }

    // Node fields, and the user's own members, must not take a name the build needs.
    private static void CheckNames(INamedTypeSymbol type, List<NodeSpec> nodes, List<DeclarationProblem> problems)
    {
        var inherited = ModuleMemberNames(type);
        for (int i = 0; i < nodes.Count; i++)
        {
            string name = nodes[i].Name;
            if (!nodes[i].IsMember)
            {
                continue;
            }

            string? clash = GeneratedMembers.Contains(name) ? "a member the build generates for every network"
                : inherited.Contains(name) ? "a member of Nxt.Module"
                : null;
            if (clash is not null)
            {
                // At the class level, so that nothing is generated that the name would break; shown at the field.
                problems.Add(new DeclarationProblem(ErrorCode.DuplicateName, -1, null, $"Node '{name}' of '{type.Name}' is named like {name}, {clash}: rename the node", name));
            }
        }

        var nodeNames = new HashSet<string>(nodes.Where(n => n.IsMember).Select(n => n.Name));
        foreach (var member in type.GetMembers().Where(m => !m.IsImplicitlyDeclared && GeneratedMembers.Contains(m.Name) && !nodeNames.Contains(m.Name) && !IsGenerated(m)))
        {
            problems.Add(new DeclarationProblem(ErrorCode.DuplicateName, -1, null, $"Network '{type.Name}' declares '{member.Name}', which the build generates: rename it", member.Name));
        }
    }

    private static void CheckFiles(INamedTypeSymbol type, IReadOnlyList<NodeField> fields, List<DeclarationProblem> problems)
    {
        int files = fields.Select(f => f.File).Distinct().Count();
        if (files < 2)
        {
            return;
        }

        foreach (var field in fields.Skip(1).Where(f => !f.NamesInput))
        {
            problems.Add(new DeclarationProblem(
                ErrorCode.UnsupportedMember,
                field.FirstNode,
                null,
                $"'{field.Name}' reads the node declared above it, but the nodes of '{type.Name}' are declared in {files} files, whose order the compiler does not fix: name its input with From = nameof(...)"));
        }
    }

    private static HashSet<string> ModuleMemberNames(INamedTypeSymbol type)
    {
        var names = new HashSet<string>();
        var network = type.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == NetworkParser.NetworkAttributeName);
        for (var t = network?.AttributeClass?.ContainingAssembly.GetTypeByMetadataName("Nxt.Module"); t is not null; t = t.BaseType)
        {
            names.UnionWith(t.GetMembers().Where(m => m.DeclaredAccessibility is not Accessibility.Private && m.CanBeReferencedByName).Select(m => m.Name));
        }

        return names;
    }

    // The analyzers see the generated part too: its members carry [GeneratedCode("Nxt.Generators", ...)].
    private static bool IsGenerated(ISymbol member)
        => member.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == GeneratedCodeAttribute
            && a.ConstructorArguments.Length > 0 && a.ConstructorArguments[0].Value as string == "Nxt.Generators");
}

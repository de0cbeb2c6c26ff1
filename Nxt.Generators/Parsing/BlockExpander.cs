using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;

namespace Nxt.Generators.Parsing;

/// <summary>
/// Inlines a block's nodes where it is used, <c>Repeat</c> times: names prefixed
/// (<c>stage1_unit2_conv1</c>), the block input wired to what feeds the unit, references
/// between the block's own nodes renamed, and an identity node named after the member for
/// the block's output. Every inlined node maps to the attribute at the use site, so that
/// errors inside a block are reported where the block is used.
/// </summary>
internal sealed class BlockExpander
{
    private const int MaxDepth = 8;
    private readonly List<NodeSpec> _nodes;
    private readonly List<AttributeData> _attributes;
    private readonly List<DeclarationProblem> _problems;

    /// <summary>The most nodes a network may expand to: far above any real network, far below what makes a build hang.</summary>
    public const int MaxNodes = 20000;

    private bool _tooLarge;

    public BlockExpander(List<NodeSpec> nodes, List<AttributeData> attributes, List<DeclarationProblem> problems)
    {
        _nodes = nodes;
        _attributes = attributes;
        _problems = problems;
    }

    /// <param name="rename">How names in <paramref name="use"/>'s From read at this level (inside an enclosing block).</param>
    public void Expand(string name, AttributeData use, AttributeData site, int depth, System.Func<string, string>? rename = null)
    {
        // What feeds the first unit: the use's From, else the node above (if any).
        string? feed = NetworkParser.Named(use, "From") is string from ? rename?.Invoke(from) ?? from : _nodes.Count > 0 ? _nodes[_nodes.Count - 1].Name : null;
        var block = use.AttributeClass!.TypeArguments[0] as INamedTypeSymbol;
        int repeat = NetworkParser.Named(use, "Repeat") as int? ?? 1;
        string? problem =
            block is null || !block.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == NetworkParser.BlockAttributeName) ? $"'{block?.Name}' used by '{name}' is not a [Block] class"
            : depth >= MaxDepth ? $"Blocks used by '{name}' nest more than {MaxDepth} deep; does a block use itself?"
            : null;
        if (problem is null && repeat < 1)
        {
            AddOutput(name, feed, site, new DeclarationProblem(ErrorCode.ParameterOutOfRange, _nodes.Count, "Repeat", $"'{name}' repeats its block {repeat} times: Repeat must be at least 1"), depth == 0);
            return;
        }

        var members = problem is null ? BlockMembers(block!) : new List<(IFieldSymbol Field, AttributeData Attribute)>();
        if (problem is null && (members.Count < 2 || members[0].Attribute.AttributeClass?.Name != "BlockInputAttribute"))
        {
            problem = $"Block '{block!.Name}' used by '{name}' must start with a [BlockInput] member followed by its nodes";
        }

        if (problem is not null)
        {
            AddOutput(name, feed, site, new DeclarationProblem(ErrorCode.UnsupportedMember, _nodes.Count, null, problem), depth == 0);
            return;
        }

        string blockInput = members[0].Field.Name;
        for (int unit = 1; unit <= repeat; unit++)
        {
            if (_nodes.Count + members.Count > MaxNodes)
            {
                // Reported once, at the outermost use, however deep the blocks nest.
                if (!_tooLarge)
                {
                    _tooLarge = true;
                    _problems.Add(new DeclarationProblem(ErrorCode.ParameterOutOfRange, _nodes.Count, "Repeat", $"'{name}' expands its network past {MaxNodes} nodes (Repeat = {repeat} of {members.Count - 1} nodes each): Nxt compiles networks of at most {MaxNodes} nodes"));
                }

                break;
            }

            string prefix = repeat > 1 ? $"{name}_unit{unit}_" : $"{name}_";
            var inner = new HashSet<string>(members.Skip(1).Select(m => m.Field.Name));
            string unitInput = feed ?? blockInput;
            string Rename(string reference) => reference == blockInput ? unitInput : inner.Contains(reference) ? prefix + reference : reference;
            bool first = true;
            foreach (var (field, attribute) in members.Skip(1))
            {
                if (NetworkParser.IsUse(attribute))
                {
                    Expand(prefix + field.Name, attribute, site, depth + 1, Rename);
                    first = false;
                    continue;
                }

                var node = NetworkParser.ReadNode(prefix + field.Name, attribute, _nodes.Count, _problems);
                var inputs = node.Inputs.Select(r => new InputRef(Rename(r.Name), string.Empty, -1)).ToList();
                if (inputs.Count == 0 && first && feed is not null)
                {
                    inputs.Add(new InputRef(feed, string.Empty, -1));
                }

                _nodes.Add(node with { Inputs = inputs.ToEquatableArray(), IsMember = false });
                _attributes.Add(site);
                first = false;
            }

            feed = _nodes[_nodes.Count - 1].Name;
        }

        AddOutput(name, feed, site, null, depth == 0);
    }

    private void AddOutput(string name, string? feed, AttributeData site, DeclarationProblem? problem, bool isMember)
    {
        if (problem is not null)
        {
            _problems.Add(problem);
        }

        var inputs = feed is null ? EquatableArray<InputRef>.Empty : new[] { new InputRef(feed, string.Empty, -1) }.ToEquatableArray();
        _nodes.Add(new NodeSpec(name, OpKind.Identity, inputs, new IdentityParams()) { IsMember = isMember });
        _attributes.Add(site);
    }

    private static List<(IFieldSymbol Field, AttributeData Attribute)> BlockMembers(INamedTypeSymbol block)
        => NetworkParser.FieldsInSourceOrder(block)
            .Select(f => (Field: f, Attribute: f.GetAttributes().FirstOrDefault(NetworkParser.IsNodeAttribute)))
            .Where(m => m.Attribute is not null)
            .Select(m => (m.Field, m.Attribute!))
            .ToList();
}

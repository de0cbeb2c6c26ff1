using Nxt.Generators.Graph;
using Nxt.Generators.Model;

namespace Nxt.Generators.Operators;

/// <summary>
/// A variant the descriptor's own argument check already refused reached emission: a bug in
/// the generator, said loudly rather than emitted as something else.
/// </summary>
internal static class Unreachable
{
    public static System.InvalidOperationException Variant(InferredNode node, object variant)
        => new($"Nxt generator bug: {node.Op} '{node.Name}' reached emission with {variant}, which its argument check refuses.");
}

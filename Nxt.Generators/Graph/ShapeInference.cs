using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Nxt.Generators.Operators;
using Nxt.Generators.Model;

namespace Nxt.Generators.Graph;

/// <summary>
/// The one place where the graph and shape rules live: resolves each node's input, checks
/// every argument, infers every shape with a symbolic batch dimension, and lists the
/// arguments in MXNet order. The generator emits from its result; the analyzers report its
/// errors. No Roslyn types, so it is tested on its own.
/// </summary>
internal static class ShapeInference
{
    public static (InferredGraph? Graph, IReadOnlyList<GraphError> Errors) Run(NetworkSpec spec)
    {
        var errors = new List<GraphError>();
        foreach (var problem in spec.Problems)
        {
            errors.Add(new GraphError(problem.Code, problem.NodeIndex, problem.Argument, problem.Message, Member: problem.Member));
        }

        var nodes = new InferredNode?[spec.Nodes.Count];
        int inputCount = 0;
        long parameterFloats = 0, planFloatsPerSample = 0;
        for (int i = 0; i < spec.Nodes.Count; i++)
        {
            var node = spec.Nodes[i];
            var descriptor = OperatorTable.For(node.Op);
            if (node.Op == OpKind.Input)
            {
                inputCount++;
            }

            var problem = descriptor.CheckArguments(node);
            if (problem is not null)
            {
                errors.Add(new GraphError(ErrorCode.ParameterOutOfRange, i, problem.Value.Argument, problem.Value.Message));
            }

            var inputs = ResolveInputs(spec, i, errors);
            if (inputs is null || problem is not null)
            {
                continue;
            }

            var sources = inputs.Select(j => nodes[j]).ToList();
            if (sources.Any(source => source is null))
            {
                continue; // their own errors are already reported; do not cascade
            }

            var loss = sources.FirstOrDefault(source => source!.IsLoss);
            if (loss is not null)
            {
                // Both ends are wrong: the reader, and the loss that something reads.
                var reference = node.Inputs.FirstOrDefault(r => r.Name == loss.Name);
                errors.Add(new GraphError(ErrorCode.LossNotLast, i, reference?.Argument, $"'{node.Name}' reads '{loss.Name}', a loss layer: a loss layer must be the last node", reference?.Position ?? -1));
                if (!errors.Any(e => e.Code == ErrorCode.LossNotLast && e.NodeIndex == loss.Index))
                {
                    errors.Add(new GraphError(ErrorCode.LossNotLast, loss.Index, null, $"'{loss.Name}' is a loss layer but '{node.Name}' reads it: nothing may read a loss layer"));
                }

                continue;
            }

            var result = descriptor.Infer(new InferenceContext(i, node, sources!, errors));
            string? tooLarge = result is null ? null : SizeLimits.Check(result, ref parameterFloats, ref planFloatsPerSample);
            if (tooLarge is not null)
            {
                errors.Add(new GraphError(ErrorCode.ParameterOutOfRange, i, descriptor.SizeArgument, $"{node.Op} '{node.Name}' is too large: {tooLarge}"));
                continue;
            }

            nodes[i] = result;
            if (result is not null && node.Origin is not null)
            {
                CheckImportedArgumentNames(result, errors);
            }
        }

        CheckNetwork(spec, errors, inputCount);
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var inferred = nodes.Select(n => n!).ToArray();
        CheckNames(inferred, ListOutputs(inferred), errors);
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var outputs = ListOutputs(inferred);
        return (new InferredGraph(spec, inferred, ListArguments(inferred), outputs), errors);
    }

    // The indices of the nodes a node reads, or null after reporting why they cannot be found.
    // An imported node's variables must be the parameters, auxiliary states and label Nxt gives it, by name and in order, so a .params file's keys find them.
    private static void CheckImportedArgumentNames(InferredNode node, List<GraphError> errors)
    {
        var expected = node.Parameters.Concat(node.AuxiliaryStates).Select(p => p.Name).ToList();
        if (node.HasLabel)
        {
            expected.Add(node.LabelName);
        }

        if (!expected.SequenceEqual(node.Spec.ArgumentNames))
        {
            string found = node.Spec.ArgumentNames.Count == 0 ? "none" : string.Join(", ", node.Spec.ArgumentNames);
            errors.Add(new GraphError(ErrorCode.SymbolImport, node.Index, "Symbol", $"'{node.Name}' reads the variables {found}, but Nxt names its arguments {(expected.Count == 0 ? "(none)" : string.Join(", ", expected))}: rename them in the symbol file, as MXNet itself names them"));
        }
    }

    private static List<int>? ResolveInputs(NetworkSpec spec, int index, List<GraphError> errors)
    {
        var node = spec.Nodes[index];
        var resolved = new List<int>();
        bool readsNothing = OperatorTable.For(node.Op).Arity(node.Params).Max == 0;
        if (node.Inputs.Count == 0 && !readsNothing)
        {
            if (index == 0)
            {
                errors.Add(new GraphError(ErrorCode.MissingInput, index, null, $"'{node.Name}' has no input: it is the first node, so declare an [Input] above it or name one with From"));
                return null;
            }

            resolved.Add(index - 1);
        }

        bool found = true;
        foreach (var reference in node.Inputs)
        {
            int j = IndexOf(spec, reference.Name);
            if (j < 0)
            {
                string? suggestion = ClosestName(reference.Name, spec.Nodes.Take(index).Select(n => n.Name));
                string hint = suggestion is null ? string.Empty : $"; did you mean '{suggestion}'?";
                errors.Add(new GraphError(ErrorCode.UnknownReference, index, reference.Argument, $"'{node.Name}' reads '{reference.Name}', but the network has no node of that name{hint}", reference.Position, suggestion));
                found = false;
            }
            else if (j >= index)
            {
                string where = j == index ? "itself" : "a node declared after it";
                errors.Add(new GraphError(ErrorCode.ForwardReference, index, reference.Argument, $"'{node.Name}' reads '{reference.Name}', which is {where}: a node can only read nodes declared above it", reference.Position));
                found = false;
            }
            else
            {
                resolved.Add(j);
            }
        }

        if (!found)
        {
            return null;
        }

        var descriptor = OperatorTable.For(node.Op);
        var (min, max) = descriptor.Arity(node.Params);
        if (resolved.Count < min || resolved.Count > max)
        {
            string expected = min == max ? $"{min}" : max == int.MaxValue ? $"at least {min}" : $"{min} to {max}";
            string? argument = node.Inputs.Count > 0 ? node.Inputs[0].Argument : null;
            errors.Add(new GraphError(ErrorCode.ParameterOutOfRange, index, argument, $"{node.Op} '{node.Name}' takes {expected} input(s), but {resolved.Count} {(resolved.Count == 1 ? "is" : "are")} given{descriptor.ArityHint(node.Params)}"));
            return null;
        }

        return resolved;
    }

    private static int IndexOf(NetworkSpec spec, string name)
    {
        for (int j = 0; j < spec.Nodes.Count; j++)
        {
            if (spec.Nodes[j].Name == name)
            {
                return j;
            }
        }

        return -1;
    }

    // A misspelling's likely target: the earlier node name within two edits, if there is one.
    private static string? ClosestName(string name, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = 3;
        foreach (string candidate in candidates)
        {
            int distance = EditDistance(name, candidate);
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        return best;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            previous = current;
        }

        return previous[b.Length];
    }

    // A network without a loss is an inference graph, whatever its last node; with several
    // losses (heads), each may be declared anywhere: only reading one is an error (above).
    private static void CheckNetwork(NetworkSpec spec, List<GraphError> errors, int inputCount)
    {
        if (inputCount == 0 && !errors.Any(e => e.Code == ErrorCode.MissingInput))
        {
            errors.Add(new GraphError(ErrorCode.MissingInput, -1, null, $"Network '{spec.ClassName}' has no [Input]: declare one as its first member, e.g. [Input(784)] Tensor data;"));
        }
    }

    // The primary output first (the labelled loss, else the first loss, else the inference head),
    // then the other losses and the [Output] nodes in declaration order.
    private static int[] ListOutputs(IReadOnlyList<InferredNode> nodes)
    {
        int primary = nodes.FirstOrDefault(n => n.HasLabel)?.Index ?? nodes.FirstOrDefault(n => n.IsLoss)?.Index ?? nodes.Count - 1;
        return new[] { primary }
            .Concat(nodes.Where(n => n.Index != primary && (n.IsLoss || n.Spec.IsOutput)).Select(n => n.Index))
            .ToArray();
    }

    // Parameters, labels and outputs take names derived from their node's; none may collide.
    private static void CheckNames(IReadOnlyList<InferredNode> nodes, IReadOnlyList<int> outputs, List<GraphError> errors)
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            owners[node.Name] = $"node '{node.Name}'";
        }

        foreach (var node in nodes)
        {
            // A [Variable]'s parameter is the node itself, under its own name.
            var derived = node.Parameters.Concat(node.AuxiliaryStates).Select(p => p.Name).Where(name => name != node.Name).ToList();
            if (node.HasLabel)
            {
                derived.Add(node.LabelName);
            }

            if (outputs.Contains(node.Index))
            {
                derived.Add(node.OutputName);
            }

            foreach (string name in derived)
            {
                if (owners.TryGetValue(name, out string? owner))
                {
                    errors.Add(new GraphError(ErrorCode.DuplicateName, node.Index, null, $"'{node.Name}' defines '{name}', which is already the name of {owner}"));
                }
                else
                {
                    owners[name] = $"'{node.Name}''s '{name}'";
                }
            }
        }
    }

    // MXNet order: each node's inputs, then its own parameters, then a loss layer's label.
    private static ArgumentInfo[] ListArguments(IReadOnlyList<InferredNode> nodes)
    {
        var arguments = new List<ArgumentInfo>();
        foreach (var node in nodes)
        {
            if (node.Op == OpKind.Input)
            {
                arguments.Add(new ArgumentInfo(node.Name, ArgumentRole.Data, node.Shape, Batched: true));
            }

            foreach (var p in node.Parameters)
            {
                arguments.Add(new ArgumentInfo(p.Name, ArgumentRole.Parameter, p.Shape, Batched: false));
            }

            if (node.Label is LabelInfo label)
            {
                arguments.Add(new ArgumentInfo(node.LabelName, ArgumentRole.Label, label.Shape, Batched: true, label.Classes, label.IgnoreLabel));
            }
        }

        return arguments.ToArray();
    }
}

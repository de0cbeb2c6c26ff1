using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

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
            errors.Add(new GraphError(problem.Code, problem.NodeIndex, problem.Argument, problem.Message));
        }

        var nodes = new InferredNode?[spec.Nodes.Count];
        int inputCount = 0;
        for (int i = 0; i < spec.Nodes.Count; i++)
        {
            var node = spec.Nodes[i];
            if (node.Op == OpKind.Input)
            {
                inputCount++;
                if (inputCount > 1)
                {
                    errors.Add(new GraphError(ErrorCode.UnsupportedMember, i, null, $"'{node.Name}' is a second [Input]; networks with several inputs are not supported yet"));
                    continue;
                }

                nodes[i] = InferInput(i, node, errors);
                continue;
            }

            bool argumentsValid = CheckArguments(i, node, errors);
            int input = ResolveInput(spec, i, errors);
            if (input < 0 || !argumentsValid)
            {
                continue;
            }

            var source = nodes[input];
            if (source is null)
            {
                continue; // its own error is already reported; do not cascade
            }

            if (source.IsLoss)
            {
                errors.Add(new GraphError(ErrorCode.LossNotLast, i, node.From is null ? null : "From", $"'{node.Name}' reads '{source.Name}', a loss layer: a loss layer must be the last node"));
                continue;
            }

            nodes[i] = InferLayer(i, node, source, errors);
        }

        CheckNetwork(spec, errors, inputCount);
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var inferred = nodes.Select(n => n!).ToArray();
        CheckNames(inferred, errors);
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var outputs = inferred.Where(n => n.IsLoss).Select(n => n.Index).ToArray();
        return (new InferredGraph(spec, inferred, ListArguments(inferred), outputs), errors);
    }

    private static InferredNode? InferInput(int index, NodeSpec node, List<GraphError> errors)
    {
        var shape = ((InputParams)node.Params).Shape;
        if (shape.Count == 0)
        {
            errors.Add(new GraphError(ErrorCode.ParameterOutOfRange, index, "shape", $"[Input] '{node.Name}' needs the shape of one sample, e.g. [Input(784)]"));
            return null;
        }

        if (shape.Any(d => d < 1))
        {
            errors.Add(new GraphError(ErrorCode.ParameterOutOfRange, index, "shape", $"[Input] '{node.Name}' has shape {Shapes.Fixed(shape)}: every dimension must be at least 1"));
            return null;
        }

        return new InferredNode(index, node, -1, shape, Array.Empty<ParameterInfo>());
    }

    private static int ResolveInput(NetworkSpec spec, int index, List<GraphError> errors)
    {
        var node = spec.Nodes[index];
        if (node.From is null)
        {
            if (index == 0)
            {
                errors.Add(new GraphError(ErrorCode.MissingInput, index, null, $"'{node.Name}' has no input: it is the first node, so declare an [Input] above it or name one with From"));
                return -1;
            }

            return index - 1;
        }

        for (int j = 0; j < spec.Nodes.Count; j++)
        {
            if (spec.Nodes[j].Name == node.From)
            {
                if (j >= index)
                {
                    string where = j == index ? "itself" : "a node declared after it";
                    errors.Add(new GraphError(ErrorCode.ForwardReference, index, "From", $"'{node.Name}' reads '{node.From}', which is {where}: a node can only read nodes declared above it"));
                    return -1;
                }

                return j;
            }
        }

        string? suggestion = ClosestName(node.From, spec.Nodes.Take(index).Select(n => n.Name));
        string hint = suggestion is null ? string.Empty : $"; did you mean '{suggestion}'?";
        errors.Add(new GraphError(ErrorCode.UnknownReference, index, "From", $"'{node.Name}' reads '{node.From}', but the network has no node of that name{hint}"));
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

    // Each operator's own arguments, checked whether or not its input's shape is known.
    private static bool CheckArguments(int index, NodeSpec node, List<GraphError> errors)
    {
        (string Argument, string Message)? problem = node.Params switch
        {
            FullyConnectedParams fc when fc.NumHidden < 1 => ("numHidden", $"FullyConnected '{node.Name}' has num_hidden {fc.NumHidden}: it must be at least 1"),
            ActivationParams act when !Enum.IsDefined(typeof(ActivationType), act.ActType) => ("actType", $"Activation '{node.Name}' has act_type {(int)act.ActType}, which is not a value of Act"),
            DropoutParams dropout when !(dropout.P >= 0 && dropout.P < 1) => ("p", $"Dropout '{node.Name}' has p = {dropout.P.ToString("R", CultureInfo.InvariantCulture)}: the drop probability must be in [0, 1)"),
            SoftmaxOutputParams softmax when double.IsNaN(softmax.GradScale) || double.IsInfinity(softmax.GradScale) => ("GradScale", $"SoftmaxOutput '{node.Name}' has grad_scale {softmax.GradScale}: it must be finite"),
            _ => null,
        };
        if (problem is null)
        {
            return true;
        }

        errors.Add(new GraphError(ErrorCode.ParameterOutOfRange, index, problem.Value.Argument, problem.Value.Message));
        return false;
    }

    // The shape rule of each operator, given a valid node and its input.
    private static InferredNode? InferLayer(int index, NodeSpec node, InferredNode source, List<GraphError> errors)
    {
        var x = source.Shape;
        switch (node.Params)
        {
            case FullyConnectedParams fc:
            {
                int inputs = fc.Flatten ? Shapes.Product(x) : x[x.Count - 1];
                var shape = fc.Flatten ? Shapes.Of(fc.NumHidden) : x.Take(x.Count - 1).Append(fc.NumHidden).ToEquatableArray();
                var parameters = new List<ParameterInfo> { new(node.Name + "_weight", Shapes.Of(fc.NumHidden, inputs)) };
                if (!fc.NoBias)
                {
                    parameters.Add(new ParameterInfo(node.Name + "_bias", Shapes.Of(fc.NumHidden)));
                }

                return new InferredNode(index, node, source.Index, shape, parameters);
            }

            case FlattenParams:
                return new InferredNode(index, node, source.Index, Shapes.Of(Shapes.Product(x)), Array.Empty<ParameterInfo>());

            case SoftmaxOutputParams when x.Count != 1:
                errors.Add(new GraphError(ErrorCode.ShapeMismatch, index, null, $"SoftmaxOutput '{node.Name}' expects class scores (N,C), but '{source.Name}' is {Shapes.Batched(x)}: add a [Flatten] or a [FullyConnected] before it"));
                return null;

            case ActivationParams or DropoutParams or SoftmaxOutputParams:
                return new InferredNode(index, node, source.Index, x, Array.Empty<ParameterInfo>());

            default:
                throw new InvalidOperationException($"No shape rule for {node.Op}.");
        }
    }

    private static void CheckNetwork(NetworkSpec spec, List<GraphError> errors, int inputCount)
    {
        if (inputCount == 0 && !errors.Any(e => e.Code == ErrorCode.MissingInput))
        {
            errors.Add(new GraphError(ErrorCode.MissingInput, -1, null, $"Network '{spec.ClassName}' has no [Input]: declare one as its first member, e.g. [Input(784)] Tensor data;"));
        }

        int lossCount = 0;
        for (int i = 0; i < spec.Nodes.Count; i++)
        {
            if (spec.Nodes[i].Op != OpKind.SoftmaxOutput)
            {
                continue;
            }

            lossCount++;
            if (i != spec.Nodes.Count - 1)
            {
                errors.Add(new GraphError(ErrorCode.LossNotLast, i, null, $"'{spec.Nodes[i].Name}' is a loss layer but '{spec.Nodes[spec.Nodes.Count - 1].Name}' is declared after it: the loss layer must be the last node"));
            }
        }

        if (lossCount == 0 && spec.Nodes.Count > 0)
        {
            errors.Add(new GraphError(ErrorCode.MissingLoss, -1, null, $"Network '{spec.ClassName}' has no loss layer: end it with a [SoftmaxOutput]"));
        }
    }

    // Parameters, labels and outputs take names derived from their node's; none may collide.
    private static void CheckNames(IReadOnlyList<InferredNode> nodes, List<GraphError> errors)
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            owners[node.Name] = $"node '{node.Name}'";
        }

        foreach (var node in nodes)
        {
            var derived = node.Parameters.Select(p => p.Name).ToList();
            if (node.IsLoss)
            {
                derived.Add(node.LabelName);
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

            if (node.IsLoss)
            {
                arguments.Add(new ArgumentInfo(node.LabelName, ArgumentRole.Label, EquatableArray<int>.Empty, Batched: true));
            }
        }

        return arguments.ToArray();
    }
}

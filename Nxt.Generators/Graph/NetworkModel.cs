namespace Nxt.Generators.Graph;

/// <summary>The operators a node can be. Names match the runtime attributes without "Attribute".</summary>
internal enum OpKind
{
    Input,
    FullyConnected,
    Activation,
    Flatten,
    Dropout,
    SoftmaxOutput,
}

/// <summary>Mirrors <c>Nxt.Act</c> by ordinal; the name is MXNet's <c>act_type</c>.</summary>
internal enum ActivationType
{
    Relu,
    Sigmoid,
    Tanh,
    SoftRelu,
}

/// <summary>An operator's arguments, as written in its attribute.</summary>
internal abstract record OpParams;

internal sealed record InputParams(EquatableArray<int> Shape) : OpParams;

internal sealed record FullyConnectedParams(int NumHidden, bool NoBias, bool Flatten) : OpParams;

internal sealed record ActivationParams(ActivationType ActType) : OpParams;

internal sealed record FlattenParams : OpParams;

internal sealed record DropoutParams(double P) : OpParams;

internal sealed record SoftmaxOutputParams(double GradScale) : OpParams;

/// <summary>One node as declared: the member's name, its operator, and where its input comes from.</summary>
/// <param name="From">The <c>From</c> argument, or null for "the node above".</param>
internal sealed record NodeSpec(string Name, OpKind Op, string? From, OpParams Params);

/// <summary>
/// A problem found while reading the declaration itself (not the graph): a member the
/// generator cannot use. <paramref name="NodeIndex"/> is -1 for the class.
/// </summary>
internal sealed record DeclarationProblem(ErrorCode Code, int NodeIndex, string? Argument, string Message);

/// <summary>
/// A network declaration reduced to values: no symbols, no syntax, no locations, so it compares
/// by value and the generator's cache works. The analyzer maps node indices back to syntax.
/// </summary>
internal sealed record NetworkSpec(
    string? Namespace,
    string ClassName,
    EquatableArray<string> ContainingTypes,
    bool IsPartial,
    string? ConflictingBaseType,
    EquatableArray<NodeSpec> Nodes,
    EquatableArray<DeclarationProblem> Problems)
{
    /// <summary>The name the generated file is given: namespace and nesting included.</summary>
    public string HintName
    {
        get
        {
            string prefix = Namespace is null ? string.Empty : Namespace + ".";
            foreach (string outer in ContainingTypes)
            {
                prefix += outer + ".";
            }

            return prefix + ClassName + ".g.cs";
        }
    }
}

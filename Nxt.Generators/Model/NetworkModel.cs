using Nxt.Generators.Graph;
namespace Nxt.Generators.Model;

/// <summary>
/// What operator a node is: a name, compared by value (so specs stay cacheable). The kinds of
/// the operators Nxt started with are here; a new operator declares its own next to its
/// descriptor (<c>ClipOperator.Kind</c>), so adding one touches no shared list but the table.
/// </summary>
internal readonly record struct OpKind(string Name)
{
    public static readonly OpKind Input = new("Input");

    public static readonly OpKind FullyConnected = new("FullyConnected");

    public static readonly OpKind Convolution = new("Convolution");

    public static readonly OpKind Pooling = new("Pooling");

    public static readonly OpKind BatchNorm = new("BatchNorm");

    public static readonly OpKind Activation = new("Activation");

    public static readonly OpKind LeakyReLU = new("LeakyReLU");

    public static readonly OpKind Flatten = new("Flatten");

    public static readonly OpKind Reshape = new("Reshape");

    public static readonly OpKind Dropout = new("Dropout");

    public static readonly OpKind Concat = new("Concat");

    public static readonly OpKind Elementwise = new("Elementwise");

    public static readonly OpKind ElementwiseSum = new("ElementwiseSum");

    public static readonly OpKind Identity = new("Identity");

    public static readonly OpKind Softmax = new("Softmax");

    public static readonly OpKind LogSoftmax = new("LogSoftmax");

    public static readonly OpKind BlockGrad = new("BlockGrad");

    public static readonly OpKind Custom = new("Custom");

    public static readonly OpKind SoftmaxOutput = new("SoftmaxOutput");

    public static readonly OpKind LinearRegressionOutput = new("LinearRegressionOutput");

    public static readonly OpKind LogisticRegressionOutput = new("LogisticRegressionOutput");

    public static readonly OpKind MakeLoss = new("MakeLoss");

    public override string ToString() => Name;
}

/// <summary><c>Nxt.Act</c>, read by member name (a test keeps the names equal); the lower-case name is MXNet's <c>act_type</c>.</summary>
internal enum ActivationType
{
    Relu,
    Sigmoid,
    Tanh,
    SoftRelu,
    SoftSign,
}

/// <summary><c>Nxt.LeakyAct</c>, read by member name.</summary>
internal enum LeakyType
{
    Leaky,
    Elu,
    PRelu,
    Gelu,
}

/// <summary><c>Nxt.Pool</c>, read by member name.</summary>
internal enum PoolType
{
    Max,
    Avg,
}

/// <summary><c>Nxt.PoolingConvention</c>, read by member name: output size rounded down (valid) or up (full).</summary>
internal enum PoolingConvention
{
    Valid,
    Full,
}

/// <summary>The element-wise binary operators; mirrors the attribute classes Add, Sub, Mul, Div.</summary>
internal enum BinaryOp
{
    Add,
    Sub,
    Mul,
    Div,
}

/// <summary>An operator's arguments, as written in its attribute.</summary>
internal abstract record OpParams;

internal sealed record InputParams(EquatableArray<int> Shape) : OpParams;

internal sealed record FullyConnectedParams(int NumHidden, bool NoBias, bool Flatten) : OpParams;

/// <summary>2-D convolution, NCHW. Each window argument has two entries, (height, width).</summary>
internal sealed record ConvolutionParams(int NumFilter, EquatableArray<int> Kernel, EquatableArray<int> Stride, EquatableArray<int> Pad, EquatableArray<int> Dilate, int NumGroup, bool NoBias) : OpParams;

internal sealed record PoolingParams(PoolType PoolType, EquatableArray<int> Kernel, EquatableArray<int> Stride, EquatableArray<int> Pad, bool GlobalPool, PoolingConvention Convention, bool CountIncludePad) : OpParams;

internal sealed record BatchNormParams(double Eps, double Momentum, bool FixGamma, bool UseGlobalStats) : OpParams;

internal sealed record ActivationParams(ActivationType ActType) : OpParams;

internal sealed record LeakyReLUParams(LeakyType ActType, double Slope) : OpParams;

internal sealed record FlattenParams : OpParams;

/// <summary>MXNet reshape codes, batch dimension included: 0 copies the input's dimension, -1 is inferred.</summary>
internal sealed record ReshapeParams(EquatableArray<int> Shape) : OpParams;

internal sealed record DropoutParams(double P) : OpParams;

/// <summary>Concatenation along <paramref name="Dim"/> (0 is the batch axis, so at least 1).</summary>
internal sealed record ConcatParams(int Dim) : OpParams;

/// <summary>A binary element-wise operator of two nodes, or of one node and <paramref name="Scalar"/>.</summary>
internal sealed record ElementwiseParams(BinaryOp Op, double? Scalar) : OpParams;

internal sealed record ElementwiseSumParams : OpParams;

/// <summary>The same value under another name (a block's output): a view, no compute.</summary>
internal sealed record IdentityParams : OpParams;

/// <summary><c>Nxt.LossNormalization</c>, read by member name: how a loss gradient is scaled down.</summary>
internal enum LossNormalization
{
    Null,
    Batch,
    Valid,
}

internal sealed record SoftmaxOutputParams(double GradScale, bool UseIgnore = false, int IgnoreLabel = -1, LossNormalization Normalization = LossNormalization.Null, bool PreserveShape = false) : OpParams;

/// <summary><c>LinearRegressionOutput</c> (identity) or <c>LogisticRegressionOutput</c> (sigmoid) with a label of the input's shape.</summary>
internal sealed record RegressionOutputParams(bool Logistic, double GradScale) : OpParams;

internal sealed record MakeLossParams(double GradScale, LossNormalization Normalization) : OpParams;

internal sealed record BlockGradParams : OpParams;

/// <summary>
/// A user operator: its type (<c>global::</c>-qualified), the input rank it accepts (0: any) and
/// its output shape codes (0 copies the first input's dimension; none: the first input's shape).
/// An <c>ICustomLayer</c> (<see cref="IsLayer"/>) also has several inputs, parameters and maybe a label.
/// </summary>
internal sealed record CustomParams(string TypeName, string ShortName, int InputRank, EquatableArray<int> OutputShape) : OpParams
{
    /// <summary>An <c>ICustomLayer</c>: spans of inputs and parameters; else an <c>ICustomOperator</c> of one input.</summary>
    public bool IsLayer { get; init; }

    public int InputCount { get; init; } = 1;

    public EquatableArray<CustomParameter> Parameters { get; init; } = EquatableArray<CustomParameter>.Empty;

    /// <summary>A loss with a label argument (MXNet's <c>need_top_grad=False</c>).</summary>
    public bool HasLabel { get; init; }

    public EquatableArray<int> LabelShape { get; init; } = EquatableArray<int>.Empty;

    /// <summary>What is wrong with the declared inputs or parameters, reported at the node; null when nothing.</summary>
    public string? Problem { get; init; }
}

/// <summary>A custom layer's learned parameter as its attribute declares it: <c>"weight:4x3"</c>.</summary>
internal sealed record CustomParameter(string Name, EquatableArray<int> Shape);

/// <summary>Softmax or log-softmax over the last axis.</summary>
internal sealed record SoftmaxParams(bool Log) : OpParams;

/// <summary>
/// Where a node's input was named: the attribute argument (a property such as <c>From</c> or a
/// constructor parameter), and the position within a <c>params</c> array, or -1.
/// </summary>
internal sealed record InputRef(string Name, string Argument, int Position);

/// <summary>
/// One node as declared: the member's name, its operator, and its inputs. No inputs means
/// "the node declared just above".
/// </summary>
internal sealed record NodeSpec(string Name, OpKind Op, EquatableArray<InputRef> Inputs, OpParams Params)
{
    /// <summary>False for the nodes a block inlines: they have no field in the network class.</summary>
    public bool IsMember { get; init; } = true;

    /// <summary>Marked <c>[Output]</c>: one of the network's outputs besides its loss layers (MXNet <c>Group</c>).</summary>
    public bool IsOutput { get; init; }

    /// <summary>For a node imported from an MXNet symbol file: where it is (<c>mnist-symbol.json line 12</c>), which errors name.</summary>
    public string? Origin { get; init; }

    /// <summary>For an imported node: the symbol's variables for its parameters, auxiliary states and label, in MXNet's order (checked against Nxt's names).</summary>
    public EquatableArray<string> ArgumentNames { get; init; } = EquatableArray<string>.Empty;
}

/// <summary>
/// A problem found while reading the declaration itself (not the graph): a member the
/// generator cannot use. <paramref name="NodeIndex"/> is -1 for the class.
/// </summary>
/// <param name="Member">A member of the class at fault that is not a node (a user method named like a generated one), or null.</param>
internal sealed record DeclarationProblem(ErrorCode Code, int NodeIndex, string? Argument, string Message, string? Member = null);

/// <summary>A type containing the network, as its declaration starts: <c>struct Outer</c>, <c>record Outer</c>.</summary>
internal sealed record ContainingType(string Keyword, string Name);

/// <summary>
/// A network declaration reduced to values: no symbols, no syntax, no locations, so it compares
/// by value and the generator's cache works. The analyzer maps node indices back to syntax.
/// </summary>
internal sealed record NetworkSpec(
    string? Namespace,
    string ClassName,
    EquatableArray<ContainingType> ContainingTypes,
    bool IsPartial,
    string? ConflictingBaseType,
    EquatableArray<NodeSpec> Nodes,
    EquatableArray<DeclarationProblem> Problems)
{
    /// <summary><c>[Network(Fuse = false)]</c> turns the fusion passes off.</summary>
    public bool Fuse { get; init; } = true;

    /// <summary><c>[Network(Symbol = "file.json")]</c>: the MXNet symbol file the nodes are imported from (an AdditionalFiles item).</summary>
    public string? SymbolFile { get; init; }

    /// <summary>The class can be created with <c>new NAME()</c> (not abstract, a parameterless constructor): it gets a static <c>Load</c>.</summary>
    public bool CanCreate { get; init; } = true;

    /// <summary>The name the generated file is given: namespace and nesting included.</summary>
    public string HintName
    {
        get
        {
            string prefix = Namespace is null ? string.Empty : Namespace + ".";
            foreach (var outer in ContainingTypes)
            {
                prefix += outer.Name + ".";
            }

            return prefix + ClassName + ".g.cs";
        }
    }
}

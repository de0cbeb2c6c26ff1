using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;

namespace Nxt.Generators.Operators;

/// <summary>
/// Every operator Nxt knows, one descriptor each: the only list. The parser finds a descriptor
/// by attribute name; every later stage by the node's kind.
/// </summary>
internal static class OperatorTable
{
    public static IReadOnlyList<Operator> All { get; } = new Operator[]
    {
        new InputOperator(),
        new VariableOperator(),
        new FullyConnectedOperator(),
        new EmbeddingOperator(),
        new RnnOperator(),
        new RnnStateOperator(),
        new SequenceLastOperator(),
        new SequenceMaskOperator(),
        new ExpandDimsOperator(),
        new SliceAxisOperator(),
        new SliceOperator(),
        new TransposeOperator(),
        new LayerNormOperator(),
        new InstanceNormOperator(),
        new ReduceOperator(),
        new ConvolutionOperator(),
        new DeconvolutionOperator(),
        new UpSamplingOperator(),
        new PadOperator(),
        new PoolingOperator(),
        new BatchNormOperator(),
        new ActivationOperator(),
        new LeakyReLUOperator(),
        new ClipOperator(),
        new FlattenOperator(),
        new ReshapeOperator(),
        new DropoutOperator(),
        new ConcatOperator(),
        new ElementwiseOperator(),
        new ElementwiseSumOperator(),
        new BroadcastOperator(),
        new BatchDotOperator(),
        new DotOperator(),
        new IdentityOperator(),
        new SoftmaxOperator(),
        new BlockGradOperator(),
        new CustomOperatorDescriptor(),
        new SoftmaxOutputOperator(),
        new RegressionOutputOperator(),
        new MakeLossOperator(),
    };

    private static readonly Dictionary<OpKind, Operator> s_byKind = All.SelectMany(op => op.Kinds.Select(kind => (kind, op))).ToDictionary(p => p.kind, p => p.op);

    private static readonly Dictionary<string, Operator> s_byAttribute = All.SelectMany(op => op.AttributeNames.Select(name => (name, op))).ToDictionary(p => p.name, p => p.op);

    private static readonly Dictionary<string, Operator> s_byMxnetOp = All.SelectMany(op => op.MxnetOps.Select(name => (name, op))).ToDictionary(p => p.name, p => p.op);

    /// <summary>The MXNet operator names Nxt reads from symbol files, sorted.</summary>
    public static IEnumerable<string> MxnetOps => s_byMxnetOp.Keys.OrderBy(k => k, System.StringComparer.Ordinal);

    /// <summary>The descriptor that reads an MXNet operator (<c>FullyConnected</c>, <c>_plus_scalar</c>), or null for one Nxt does not have.</summary>
    public static Operator? ForMxnetOp(string op) => s_byMxnetOp.TryGetValue(op, out var descriptor) ? descriptor : null;

    /// <summary>The descriptor of a node's kind.</summary>
    public static Operator For(OpKind kind) => s_byKind[kind];

    /// <summary>The descriptor that reads an attribute class (simple name), or null for one Nxt does not know.</summary>
    public static Operator? ForAttribute(string attributeClassName) => s_byAttribute.TryGetValue(attributeClassName, out var op) ? op : null;
}

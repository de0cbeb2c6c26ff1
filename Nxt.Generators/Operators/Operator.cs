using System.Collections.Generic;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Expressions;
using Nxt.Generators.Operators.Onnx;
using Nxt.Generators.Operators.Plans;

namespace Nxt.Generators.Operators;

/// <summary>What an operator is besides its shape rule, as flags the planning stages ask for.</summary>
[System.Flags]
internal enum OpTraits
{
    None = 0,

    /// <summary>The output is the input's buffer under another shape (or the same): no compute, no copy.</summary>
    View = 1,

    /// <summary>A loss layer: the backward pass starts here, and nothing may read it.</summary>
    Loss = 2,

    /// <summary>Element-wise on one input: may write over its input when it is that value's last reader.</summary>
    InPlace = 4,

    /// <summary>No gradient flows through it to its input (BlockGrad).</summary>
    StopsGradient = 8,

    /// <summary>Runs on the host only (user C#): a network with it has no device plan.</summary>
    HostOnly = 32,
}

/// <summary>A loss layer's label argument: the shape of one sample's label and what the runtime checks it against.</summary>
/// <param name="Classes">For a class-index label, the number of classes; 0 for real-valued labels.</param>
/// <param name="IgnoreLabel">A label value that marks a row to ignore, if the loss has one.</param>
internal sealed record LabelInfo(EquatableArray<int> Shape, int Classes = 0, int? IgnoreLabel = null);

/// <summary>
/// Everything the generator knows about one operator (or a family sharing one attribute
/// shape): how its attribute reads and its defaults, its argument checks and shape rule, its
/// traits, what its backward step reads, its MXNet name and attributes, its ONNX mapping, and
/// its forward and backward kernel calls as data. Every member is abstract: a descriptor that
/// forgets one does not compile. The stages ask <see cref="OperatorTable"/>; none of them
/// switches over operators. A descriptor that can carry a fused epilogue also implements
/// <see cref="IFusedProducer"/>; an activation that can be one implements
/// <see cref="IEpilogueActivation"/>.
/// </summary>
internal abstract class Operator
{
    /// <summary>The node kinds this descriptor covers.</summary>
    public abstract IReadOnlyList<OpKind> Kinds { get; }

    /// <summary>The attribute classes it reads (simple names, e.g. <c>FullyConnectedAttribute</c>).</summary>
    public abstract IReadOnlyList<string> AttributeNames { get; }

    /// <summary>The argument that sets the size of the output or the parameters, where a size past the runtime's limits is reported (null: the attribute).</summary>
    public abstract string? SizeArgument { get; }

    /// <summary>The node's kind and arguments from its attribute, defaults filled in; named inputs added to <paramref name="inputs"/>.</summary>
    public abstract (OpKind Kind, OpParams Params) Read(AttributeReader attribute, List<InputRef> inputs, DeclarationSink problems);

    /// <summary>The argument at fault and why, or null when the operator's own arguments are valid.</summary>
    public abstract (string? Argument, string Message)? CheckArguments(NodeSpec node);

    /// <summary>How many inputs it takes: (minimum, maximum).</summary>
    public abstract (int Min, int Max) Arity(OpParams parameters);

    /// <summary>Why the given number of inputs is wrong, beyond the counts (or empty).</summary>
    public abstract string ArityHint(OpParams parameters);

    /// <summary>The output shape, parameters, auxiliary states and scratch, or null after reporting why the inputs do not fit.</summary>
    public abstract InferredNode? Infer(InferenceContext context);

    public abstract OpTraits Traits(OpParams parameters);

    /// <summary>A loss layer's label, or null for an operator without one.</summary>
    public abstract LabelInfo? Label(InferredNode node);

    /// <summary>The values (node indices) its own backward step reads besides gradients: the memory plan keeps them.</summary>
    public abstract IReadOnlyList<int> BackwardReads(InferredNode node);

    /// <summary>MXNet's operator name: <c>FullyConnected</c>, <c>elemwise_add</c>, <c>_mul_scalar</c>.</summary>
    public abstract string MxnetName(OpParams parameters);

    /// <summary>Its attributes under MXNet's names and spelling, those at MXNet's default left out.</summary>
    public abstract void MxnetAttributes(OpParams parameters, MxnetAttributeList attributes);

    /// <summary>The MXNet operator names it reads back from symbol JSON (<c>FullyConnected</c>; <c>elemwise_add</c>, <c>_plus_scalar</c>, ...); none for an argument.</summary>
    public abstract IReadOnlyList<string> MxnetOps { get; }

    /// <summary>
    /// The node's kind and arguments from an MXNet node (its op, one of <see cref="MxnetOps"/>,
    /// and its attributes), MXNet's defaults for those left out; a value Nxt cannot compute
    /// throws <see cref="MxnetImportException"/>.
    /// </summary>
    public abstract (OpKind Kind, OpParams Params) FromMxnet(MxnetAttributeReader attributes);

    /// <summary>Its ONNX (opset 13) nodes and constants, or why it has none (<see cref="OnnxGraphBuilder.NotExportable"/>).</summary>
    public abstract void Onnx(OnnxContext onnx);

    /// <summary>Static fields its calls read (a convolution's geometry, a custom operator's instance).</summary>
    public abstract IEnumerable<string> ClassFields(InferredNode node, InferredGraph graph);

    /// <summary>Floats of scratch one CPU worker needs during its kernel calls (an im2col buffer).</summary>
    public abstract int CpuWorkspacePerThread(InferredNode node, InferredGraph graph);

    /// <summary>The forward calls.</summary>
    public abstract void Forward(PlanSteps steps, ForwardContext context);

    /// <summary>The backward calls, each under its Bind's flags.</summary>
    public abstract void Backward(PlanSteps steps, BackwardContext context);

    /// <summary>The parameters of a node as the descriptor built them.</summary>
    protected static T Params<T>(InferredNode node)
        where T : OpParams => (T)node.Spec.Params;
}

/// <summary>A producer that can store its result through a fused epilogue (residual add, activation).</summary>
internal interface IFusedProducer
{
    /// <summary>Whether this variant takes an epilogue at all, and whether it adds a residual.</summary>
    (bool Activation, bool Residual) Epilogue(OpParams parameters);

    /// <summary>The one fused call: the producer's result plus <paramref name="residual"/>, through <paramref name="epilogue"/>, into <paramref name="y"/>.</summary>
    void FusedForward(PlanSteps steps, ForwardContext context, Arg residual, Arg epilogue, Arg y);
}

/// <summary>
/// A producer whose kernel can run a generated element-wise region as its epilogue, on the output
/// it stores: a dense layer (<c>DenseKernels.Forward&lt;TEpilogue&gt;</c>) or a convolution
/// (<c>ConvolutionKernels.Forward&lt;TEpilogue&gt;</c>).
/// </summary>
internal interface IGeneratedEpilogueProducer
{
    /// <summary>The forward call, storing the output to <c>context.Y</c> and then running <paramref name="epilogue"/> on it.</summary>
    void ForwardWithEpilogue(PlanSteps steps, ForwardContext context, Arg epilogue);
}

/// <summary>An activation that can run as a producer's epilogue: its derivative is a function of its output.</summary>
internal interface IEpilogueActivation
{
    /// <summary>The epilogue value (<c>Epilogue.Relu</c>), or null for a variant whose derivative needs its input.</summary>
    Arg? Epilogue(OpParams parameters);
}

/// <summary>
/// An operator each of whose output elements is a function of the same element of its inputs
/// (and of its parameters, where one holds a value per element of a sample or per channel:
/// a <c>[Variable]</c>, PReLU's slopes), as an expression: the generator fuses chains and DAGs of
/// them into one generated kernel (<see cref="Planning.ElementwiseRegion"/>), forward and backward.
/// </summary>
/// <remarks>
/// The operands are the node's inputs followed by its parameters. A parameter's operand is its
/// value at the element's position within the sample (or the element's channel): the parameter
/// is broadcast over the batch, and its gradient is the sum of what <see cref="Gradients"/> gives
/// for it over the elements that read it.
/// </remarks>
internal interface IElementwiseOperator
{
    /// <summary>Whether this variant is element-wise.</summary>
    bool IsElementwise(OpParams parameters);

    /// <summary>The output element from the operands' elements (inputs, then parameters).</summary>
    Expr Forward(OpParams parameters, IReadOnlyList<Expr> operands);

    /// <summary>
    /// Each operand's gradient (<c>dy · ∂y/∂operand</c>, inputs then parameters) from the operands,
    /// the output <paramref name="y"/> and its gradient <paramref name="dy"/>: the same formulas as
    /// the operator's own backward kernels.
    /// </summary>
    IReadOnlyList<Expr> Gradients(OpParams parameters, IReadOnlyList<Expr> operands, Expr y, Expr dy);
}

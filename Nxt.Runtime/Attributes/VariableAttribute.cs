namespace Nxt;

/// <summary>
/// A learned free argument (MXNet's <c>mx.sym.Variable</c> that is not data): a tensor of the
/// given shape, listed in <c>ArgumentNames</c> under the field's name, initialised (as a weight),
/// saved, loaded and updated like any parameter. Every sample of the batch sees the same value,
/// so element-wise operators with a data node broadcast it over the batch: <c>[Variable(2)] a</c>
/// plus an <c>[Input(2)]</c> adds <c>a</c> to every row.
/// </summary>
public sealed class VariableAttribute : NodeAttribute
{
    /// <summary>Declares a variable of the given shape (no batch dimension), e.g. <c>[Variable(2)]</c>.</summary>
    public VariableAttribute(params int[] shape) => Shape = shape;

    /// <summary>The variable's shape.</summary>
    public int[] Shape { get; }
}

using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;

namespace Nxt.Generators.Planning;

/// <summary>
/// Nodes that run as one kernel: a <see cref="Producer"/> (any operator) and what its epilogue
/// absorbed, in data-flow order: a residual <c>Add</c> of <see cref="Residual"/> and an
/// activation. Only the last member's value is stored; the group runs where that member is
/// declared, when every input it reads exists.
/// </summary>
/// <param name="Producer">The node whose kernel runs.</param>
/// <param name="ResidualAdd">The <c>Add</c> fused into the epilogue, or -1.</param>
/// <param name="Residual">The Add's other operand, read by the epilogue, or -1.</param>
/// <param name="Activation">The activation fused into the epilogue, or -1.</param>
/// <param name="Folded">For a BatchNorm group, the convolution folded into it for inference, or -1.</param>
/// <param name="Region">For element-wise operators run as one generated kernel, the region (its first member is the producer); else null.</param>
internal sealed record FusedGroup(int Producer, int ResidualAdd = -1, int Residual = -1, int Activation = -1, int Folded = -1, ElementwiseRegion? Region = null)
{
    /// <summary>The member whose value the group stores.</summary>
    public int Output => Region?.Output ?? (Activation >= 0 ? Activation : ResidualAdd >= 0 ? ResidualAdd : Producer);

    public bool IsFused => Output != Producer;

    /// <summary>The members in data-flow order.</summary>
    public IEnumerable<int> Members => Region is null ? new[] { Producer, ResidualAdd, Activation }.Where(m => m >= 0)
        : Region.Producer >= 0 ? Region.Members.Prepend(Region.Producer) : Region.Members;

    /// <summary>True for a member whose value the group stores: its output, and a layer whose epilogue is the group's region.</summary>
    public bool Stores(int member) => member == Output || (Region is not null && Region.Producer == member);

    /// <summary>How the summary and the plans name the group: <c>conv1 + relu1</c>.</summary>
    public string Label(InferredGraph graph) => string.Join(" + ", Members.Select(m => graph.Nodes[m].Name));
}

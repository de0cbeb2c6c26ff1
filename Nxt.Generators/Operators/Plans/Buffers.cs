using Nxt.Generators.Graph;
using Nxt.Generators.Model;

namespace Nxt.Generators.Operators.Plans;

/// <summary>
/// The plan locals steps read, named after their MXNet values: <c>fc1_out</c>, <c>fc1_grad</c>,
/// <c>fc1_weight</c>, <c>fc1_weight_grad</c>, <c>bn1_moving_mean</c>; and the flags of a Bind
/// (<c>fc1_weight_wanted</c>, <c>fc1_weight_adds</c>, <c>relu1_wanted</c>).
/// </summary>
internal static class Buffers
{
    public static string OutName(InferredNode node) => node.Name + "_out";

    public static string GradName(InferredNode node) => node.Name + "_grad";

    public static string ScratchName(InferredNode node) => node.Name + node.Scratch.Suffix;

    public static string StateName(InferredNode node) => node.Name + "_state";

    public static string FoldedName(InferredNode conv) => conv.Name + "_folded";

    public static string WantedName(InferredNode node) => node.Name + "_wanted";

    /// <summary>
    /// A parameter's local: its MXNet name (<c>fc1_weight</c>), or for a <c>[Variable]</c>, whose
    /// parameter is named like its node, <c>NAME_value</c>, clear of the node's own locals.
    /// </summary>
    public static string ParamName(ParameterInfo parameter) => parameter.IsNodeValue ? parameter.Name + "_value" : parameter.Name;

    public static string ParamGradName(ParameterInfo parameter) => ParamName(parameter) + "_grad";

    public static string ParamWantedName(ParameterInfo parameter) => ParamName(parameter) + "_wanted";

    public static string ParamAddsName(ParameterInfo parameter) => ParamName(parameter) + "_adds";

    public static Arg Out(InferredNode node) => Arg.Local(OutName(node));

    public static Arg Grad(InferredNode node) => Arg.Local(GradName(node));

    /// <summary>Per-sample scratch kept from forward to backward (a dropout mask).</summary>
    public static Arg Scratch(InferredNode node) => Arg.Local(ScratchName(node));

    /// <summary>
    /// Floats <c>[offset, offset + length)</c> of each sample's share of the node's scratch, for an
    /// operator that keeps several regions there: the slice is <c>n</c> times those, as a kernel
    /// lays its regions out over the whole batch.
    /// </summary>
    public static Arg ScratchPart(InferredNode node, int offset, int length)
    {
        string start = offset == 0 ? "0" : Arg.Rows(offset).Text;
        return Arg.Expression($"{ScratchName(node)}.Slice({start}, {Arg.Rows(length).Text})", ScratchName(node), "n");
    }

    /// <summary>Fixed state kept from forward to backward (batch statistics).</summary>
    public static Arg State(InferredNode node) => Arg.Local(StateName(node));

    /// <summary>True in the plan when some parameter at or above the node wants a gradient in this Bind.</summary>
    public static Arg Wanted(InferredNode node) => Arg.Local(WantedName(node));

    public static Arg Param(ParameterInfo parameter) => Arg.Local(ParamName(parameter));

    public static Arg ParamGrad(ParameterInfo parameter) => Arg.Local(ParamGradName(parameter));

    public static Arg ParamWanted(ParameterInfo parameter) => Arg.Local(ParamWantedName(parameter));

    public static Arg ParamAdds(ParameterInfo parameter) => Arg.Local(ParamAddsName(parameter));

    /// <summary>A node's bias, or <c>default</c> without one.</summary>
    public static Arg Bias(InferredNode node, bool noBias) => noBias ? Arg.Default : Arg.Local(node.Name + "_bias");

    /// <summary>A CPU worker's scratch: the GPU kernels need none.</summary>
    public static Arg Workspace { get; } = Arg.Local("workspace").OnlyOnCpu();

    /// <summary>Whether this pass trains.</summary>
    public static Arg IsTrain { get; } = Arg.Raw("isTrain");

    public static string LabelName(InferredNode loss) => loss.LabelName;

    /// <summary>A labelled loss's labels for the batch: its region of the plan's label buffer (<c>softmax_label</c>).</summary>
    public static Arg Label(InferredNode loss) => Arg.Local(LabelName(loss));
}

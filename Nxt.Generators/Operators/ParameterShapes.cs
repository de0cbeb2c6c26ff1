using Nxt.Generators.Graph;
using Nxt.Generators.Model;

namespace Nxt.Generators.Operators;

/// <summary>Parameter lists several operators share.</summary>
internal static class ParameterShapes
{
    /// <summary><c>NAME_weight</c> and, unless <paramref name="noBias"/>, <c>NAME_bias</c> of <paramref name="units"/>.</summary>
    public static ParameterInfo[] WeightAndBias(string name, EquatableArray<int> weightShape, int units, bool noBias)
        => noBias
            ? [new(name + "_weight", weightShape)]
            : [new(name + "_weight", weightShape), new(name + "_bias", Shapes.Of(units))];

    /// <summary>Channels (axis 1) and the elements per channel of one sample, for per-channel operators.</summary>
    public static (int Channels, int Spatial) ChannelLayout(InferredNode node)
    {
        int spatial = 1;
        for (int i = 1; i < node.Shape.Count; i++)
        {
            spatial *= node.Shape[i];
        }

        return (node.Shape[0], spatial);
    }
}

using System.Linq;
using Nxt.Generators.Graph;

namespace Nxt.Generators.Emit;

/// <summary>The constant geometry a convolution or pooling passes to its kernel, as a named static field.</summary>
internal static class Geometry
{
    public static string FieldName(InferredNode node) => "s_" + node.Name + "Geometry";

    public static string? Declaration(InferredNode node, InferredGraph graph)
    {
        var x = node.Inputs.Count > 0 ? graph.Nodes[node.Input].Shape : default;
        var y = node.Shape;
        switch (node.Spec.Params)
        {
            case ConvolutionParams conv:
                return $"private static readonly global::Nxt.Cpu.ConvGeometry {FieldName(node)} = new(" +
                    $"Channels: {x[0]}, Height: {x[1]}, Width: {x[2]}, Filters: {conv.NumFilter}, KernelH: {conv.Kernel[0]}, KernelW: {conv.Kernel[1]}, " +
                    $"StrideH: {conv.Stride[0]}, StrideW: {conv.Stride[1]}, PadH: {conv.Pad[0]}, PadW: {conv.Pad[1]}, DilateH: {conv.Dilate[0]}, DilateW: {conv.Dilate[1]}, " +
                    $"Groups: {conv.NumGroup}, OutHeight: {y[1]}, OutWidth: {y[2]});";
            case PoolingParams pool:
                var (kernel, stride, pad) = pool.GlobalPool
                    ? (Shapes.Of(x[1], x[2]), Shapes.Of(1, 1), Shapes.Of(0, 0))
                    : (pool.Kernel, pool.Stride, pool.Pad);
                return $"private static readonly global::Nxt.Cpu.PoolGeometry {FieldName(node)} = new(" +
                    $"Channels: {x[0]}, Height: {x[1]}, Width: {x[2]}, KernelH: {kernel[0]}, KernelW: {kernel[1]}, StrideH: {stride[0]}, StrideW: {stride[1]}, " +
                    $"PadH: {pad[0]}, PadW: {pad[1]}, OutHeight: {y[1]}, OutWidth: {y[2]});";
            default:
                return null;
        }
    }

    /// <summary>Channels (axis 1) and the elements per channel of one sample, for per-channel operators.</summary>
    public static (int Channels, int Spatial) ChannelLayout(InferredNode node)
        => (node.Shape[0], node.Shape.Skip(1).Aggregate(1, (a, b) => a * b));
}

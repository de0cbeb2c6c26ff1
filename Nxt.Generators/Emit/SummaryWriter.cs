using System.Globalization;
using System.Linq;
using System.Text;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Planning;

namespace Nxt.Generators.Emit;

/// <summary>
/// The layer table <c>Summary()</c> returns: each layer's type, output shape, parameter count,
/// inputs and the kernel it runs in (fused groups named by their members), then the kernel count
/// and the memory plan against one buffer per value.
/// </summary>
internal static class SummaryWriter
{
    public static string Write(InferredGraph graph, MemoryPlan plan)
    {
        var rows = graph.Nodes.Select(n => (
            Layer: $"{n.Name} ({n.Op})",
            Shape: Shapes.Batched(n.Shape),
            Params: n.Parameters.Sum(p => p.Length),
            Input: string.Join(", ", n.Inputs.Select(i => graph.Nodes[i].Name)),
            Kernel: Kernel(graph, plan, n))).ToList();
        int layerWidth = System.Math.Max(14, rows.Max(r => r.Layer.Length) + 2);
        int shapeWidth = System.Math.Max(14, rows.Max(r => r.Shape.Length) + 2);
        int inputWidth = System.Math.Max(7, rows.Max(r => r.Input.Length) + 2);
        var text = new StringBuilder();
        text.Append("Network ").Append(graph.Spec.ClassName).Append('\n');
        string header = "Layer (type)".PadRight(layerWidth) + "Output shape".PadRight(shapeWidth) + "Param #".PadLeft(10) + "  " + "Input".PadRight(inputWidth) + "Kernel";
        int width = System.Math.Max(header.Length, rows.Max(r => layerWidth + shapeWidth + 12 + inputWidth + r.Kernel.Length));
        text.Append(header).Append('\n').Append(new string('=', width)).Append('\n');
        foreach (var row in rows)
        {
            text.Append(row.Layer.PadRight(layerWidth))
                .Append(row.Shape.PadRight(shapeWidth))
                .Append(Number(row.Params).PadLeft(10))
                .Append("  ").Append(row.Input.PadRight(inputWidth)).Append(row.Kernel).Append('\n');
        }

        text.Append(new string('=', width)).Append('\n');
        text.Append("Total params: ").Append(Number(plan.ParameterFloats)).Append('\n');
        int fused = plan.Fusion.Groups.Count(g => g.IsFused);
        text.Append("Forward kernels: ").Append(Number(KernelCount(graph, plan)))
            .Append(" for ").Append(Number(graph.Nodes.Count(n => n.Op != OpKind.Input && !n.IsView))).Append(" operators (")
            .Append(Number(fused)).Append(fused == 1 ? " fused group)" : " fused groups)").Append('\n');
        int regions = plan.Fusion.Groups.Count(g => g.Region is not null);
        if (regions > 0)
        {
            text.Append("Generated element-wise kernels: ").Append(Number(regions))
                .Append(regions == 1 ? " region" : " regions")
                .Append("; backward recomputes from the region's inputs the member values its derivatives need, so a region stores")
                .Append(" its output alone (and the layer it is the epilogue of, whose gradient it writes over the output's)").Append('\n');
        }

        text.Append("Memory plan per sample: ")
            .Append(Number(plan.ActivationFloatsPerSample)).Append(" forward + ")
            .Append(Number(plan.GradientFloatsPerSample)).Append(" backward floats = ")
            .Append(Number(plan.PlannedBytesPerSample)).Append(" bytes (")
            .Append(Number(plan.NaiveBytesPerSample)).Append(" bytes with one buffer per value)");
        return text.ToString();
    }

    /// <summary>The kernels a forward pass runs: one per group, none for a view.</summary>
    public static int KernelCount(InferredGraph graph, MemoryPlan plan)
        => plan.Fusion.Groups.Count(g => !graph.Nodes[g.Output].IsView);

    private static string Kernel(InferredGraph graph, MemoryPlan plan, InferredNode node)
    {
        var group = plan.Fusion.GroupOf(node.Index);
        if (group is null)
        {
            return "(input)";
        }

        var foldedInto = plan.Fusion.Groups.FirstOrDefault(g => g.Folded == node.Index);
        if (foldedInto is not null)
        {
            return $"{node.Name} (folded into {foldedInto.Label(graph)} when not training)";
        }

        return group.IsFused ? group.Label(graph) : node.IsView ? "(view)" : node.Name;
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}

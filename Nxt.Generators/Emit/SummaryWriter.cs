using System.Globalization;
using System.Linq;
using System.Text;
using Nxt.Generators.Graph;

namespace Nxt.Generators.Emit;

/// <summary>The layer table <c>Summary()</c> returns: each layer's type, output shape and parameter count, and the memory plan.</summary>
internal static class SummaryWriter
{
    public static string Write(InferredGraph graph, MemoryPlan plan)
    {
        var rows = graph.Nodes.Select(n => (
            Layer: $"{n.Name} ({n.Op})",
            Shape: Shapes.Batched(n.Shape),
            Params: n.Parameters.Sum(p => p.Length),
            Input: string.Join(", ", n.Inputs.Select(i => graph.Nodes[i].Name)))).ToList();
        int layerWidth = System.Math.Max(14, rows.Max(r => r.Layer.Length) + 2);
        int shapeWidth = System.Math.Max(14, rows.Max(r => r.Shape.Length) + 2);
        var text = new StringBuilder();
        text.Append("Network ").Append(graph.Spec.ClassName).Append('\n');
        string header = "Layer (type)".PadRight(layerWidth) + "Output shape".PadRight(shapeWidth) + "Param #".PadLeft(10) + "  Input";
        text.Append(header).Append('\n').Append(new string('=', header.Length)).Append('\n');
        foreach (var row in rows)
        {
            text.Append(row.Layer.PadRight(layerWidth))
                .Append(row.Shape.PadRight(shapeWidth))
                .Append(Number(row.Params).PadLeft(10))
                .Append("  ").Append(row.Input).Append('\n');
        }

        text.Append(new string('=', header.Length)).Append('\n');
        text.Append("Total params: ").Append(Number(plan.ParameterFloats)).Append('\n');
        text.Append("Memory plan per sample: ")
            .Append(Number(plan.ActivationFloatsPerSample)).Append(" forward + ")
            .Append(Number(plan.GradientFloatsPerSample)).Append(" backward floats = ")
            .Append(Number((plan.ActivationFloatsPerSample + plan.GradientFloatsPerSample) * 4)).Append(" bytes (")
            .Append(Number(plan.NaiveFloatsPerSample * 4)).Append(" bytes with one buffer per value)");
        return text.ToString();
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}

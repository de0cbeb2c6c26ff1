using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Expressions;

namespace Nxt.Generators.Emit;

/// <summary>The CPU's kernels: a loop per hardware vector width and a scalar tail.</summary>
internal static partial class ElementwiseKernelEmitter
{
    private static void WriteCpuKernel(SourceWriter writer, RegionKernel kernel, bool backward)
    {
        var region = kernel.Region;
        var wanted = WantedInputs(kernel, backward);
        var reads = Reads(kernel, backward);
        var parameterReads = ParameterReads(kernel, backward);
        var parameterGradients = backward ? region.Parameters : new List<ParameterInfo>();
        var parameters = reads.Select(i => $"{ReadOnlySpan} {kernel.Span(i)}").ToList();
        parameters.AddRange(parameterReads.Select(p => $"{ReadOnlySpan} {kernel.Span(p)}"));
        parameters.Add(backward ? $"{ReadOnlySpan} {kernel.GradientSpan(region.Output)}" : $"{Span} {kernel.Span(region.Output)}");
        parameters.AddRange(wanted.Select(i => $"{Span} {kernel.GradientSpan(i)}"));
        parameters.AddRange(parameterGradients.Select(p => $"{Span} {kernel.GradientSpan(p)}"));
        parameters.AddRange(parameterGradients.Select(p => $"bool {kernel.Adds(p)}"));
        WriteSummary(writer, kernel, backward, gpu: false);
        writer.Open($"public static void {kernel.Name}{(backward ? "Backward" : "Forward")}({string.Join(", ", parameters)})");
        string lengthOf = backward ? kernel.GradientSpan(region.Output) : kernel.Span(region.Output);
        writer.Line($"int length = {lengthOf}.Length;");
        foreach (int input in reads)
        {
            writer.Line($"{CpuMath}.CheckLength({kernel.Span(input)}, length, \"{kernel.Graph.Nodes[input].Name}\");");
        }

        foreach (var parameter in parameterReads)
        {
            writer.Line($"{CpuMath}.CheckLength({kernel.Span(parameter)}, {ParameterLength(kernel, parameter)}, \"{parameter.Name}\");");
        }

        if (kernel.Layout != RegionLayout.Flat)
        {
            writer.Line($"{CpuMath}.CheckSamples(length, {SourceWriter.Int(kernel.SampleLength)}, \"{kernel.Graph.Nodes[region.Output].Name}\");");
        }

        foreach (int input in wanted)
        {
            // An input whose gradient this Bind does not want is passed no buffer.
            writer.Line($"bool {Wants(kernel, input)} = !{kernel.GradientSpan(input)}.IsEmpty;");
            writer.Line($"{CpuMath}.CheckLength({kernel.GradientSpan(input)}, {Wants(kernel, input)} ? length : 0, \"{kernel.Graph.Nodes[input].Name}'s gradient\");");
        }

        foreach (var parameter in parameterGradients)
        {
            writer.Line($"bool {Wants(kernel, parameter)} = !{kernel.GradientSpan(parameter)}.IsEmpty;");
            writer.Line($"{CpuMath}.CheckLength({kernel.GradientSpan(parameter)}, {Wants(kernel, parameter)} ? {ParameterLength(kernel, parameter)} : 0, \"{parameter.Name}'s gradient\");");
        }

        // The batch's contributions are added into place, so a gradient that does not add to the last one starts at zero.
        foreach (var parameter in parameterGradients)
        {
            writer.Open($"if (!{kernel.Adds(parameter)})");
            writer.Line($"{kernel.GradientSpan(parameter)}.Clear();");
            writer.Close();
            writer.Line();
        }

        foreach (int input in reads)
        {
            writer.Line($"ref float {kernel.Ref(input)} = ref {Marshal}.GetReference({kernel.Span(input)});");
        }

        foreach (var parameter in parameterReads.Where(p => !kernel.IsPerChannel(p)))
        {
            writer.Line($"ref float {kernel.Ref(parameter)} = ref {Marshal}.GetReference({kernel.Span(parameter)});");
        }

        writer.Line(backward
            ? $"ref float {kernel.GradientRef(region.Output)} = ref {Marshal}.GetReference({kernel.GradientSpan(region.Output)});"
            : $"ref float {kernel.Ref(region.Output)} = ref {Marshal}.GetReference({kernel.Span(region.Output)});");
        foreach (int input in wanted)
        {
            writer.Line($"ref float {kernel.GradientRef(input)} = ref {Marshal}.GetReference({kernel.GradientSpan(input)});");
        }

        foreach (var parameter in parameterGradients.Where(p => !kernel.IsPerChannel(p)))
        {
            writer.Line($"ref float {kernel.GradientRef(parameter)} = ref {Marshal}.GetReference({kernel.GradientSpan(parameter)});");
        }

        WriteCpuLoops(writer, kernel, backward, wanted);
        writer.Close();
    }

    /// <summary>
    /// The loops: over every element at once when the region reads no parameter; else sample by
    /// sample (i the position in the sample, where per-element parameters are read), and where a
    /// parameter holds a value per channel, channel by channel within the sample (i the position
    /// in the channel's plane; the channel's values read, and its gradients summed, once per plane).
    /// </summary>
    private static void WriteCpuLoops(SourceWriter writer, RegionKernel kernel, bool backward, List<int> wanted)
    {
        var layout = kernel.Layout;
        var channelReads = ParameterReads(kernel, backward).Where(kernel.IsPerChannel).ToList();
        var channelGradients = backward ? kernel.ChannelParameters.ToList() : new List<ParameterInfo>();
        var indexing = layout switch
        {
            RegionLayout.Flat => Indexing.Flat,
            RegionLayout.Samples => Indexing.CpuSamples,
            _ => Indexing.CpuChannels,
        };
        string end = layout switch
        {
            RegionLayout.Flat => "length",
            RegionLayout.Samples => SourceWriter.Int(kernel.SampleLength),
            _ => SourceWriter.Int(kernel.PlaneLength),
        };
        if (layout != RegionLayout.Flat)
        {
            writer.Open($"for (int row = 0; row < length; row += {SourceWriter.Int(kernel.SampleLength)})");
        }

        if (layout == RegionLayout.Channels)
        {
            writer.Open($"for (int channel = 0; channel < {SourceWriter.Int(kernel.Channels)}; channel++)");
            writer.Line($"int plane = channel * {SourceWriter.Int(kernel.PlaneLength)};");
            foreach (var parameter in channelReads)
            {
                writer.Line($"float {kernel.ChannelValue(parameter)} = {kernel.Span(parameter)}[channel];");
            }

            foreach (var parameter in channelGradients)
            {
                writer.Line($"float {kernel.Total(parameter)} = 0f;");
            }
        }

        writer.Line("int i = 0;");
        var gradients = backward ? ParameterGradients.Cpu : ParameterGradients.None;
        for (int w = 0; w < ExprDialect.CpuVectors.Length; w++)
        {
            var dialect = ExprDialect.CpuVectors[w];
            writer.Open($"{(w == 0 ? "if" : "else if")} ({dialect.VectorClass}.IsHardwareAccelerated)");
            var body = Body(kernel, backward, dialect, wanted, indexing, gradients);
            foreach (string line in body.Constants)
            {
                writer.Line(line);
            }

            writer.Open($"for (; i <= {end} - {dialect.ValueType}.Count; i += {dialect.ValueType}.Count)");
            foreach (string line in body.Lines)
            {
                writer.Line(line);
            }

            writer.Close();
            foreach (string line in body.After)
            {
                writer.Line(line);
            }

            writer.Close();
        }

        writer.Line();
        writer.Open($"for (; i < {end}; i++)");
        foreach (string line in Body(kernel, backward, ExprDialect.CpuScalar, wanted, indexing, gradients).Lines)
        {
            writer.Line(line);
        }

        writer.Close();
        if (layout == RegionLayout.Channels)
        {
            foreach (var parameter in channelGradients)
            {
                writer.Line();
                writer.Open($"if ({Wants(kernel, parameter)})");
                writer.Line($"{kernel.GradientSpan(parameter)}[channel] += {kernel.Total(parameter)};");
                writer.Close();
            }

            writer.Close();
        }

        if (layout != RegionLayout.Flat)
        {
            writer.Close();
        }
    }
}

using System.Collections.Generic;
using System.Linq;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Expressions;

namespace Nxt.Generators.Emit;

/// <summary>
/// The device's kernels: one thread per element, and backward, for the parameters' gradients,
/// a thread per position in the sample (per-element parameters) or per channel (per-channel
/// ones), each summing its share over the batch in registers.
/// </summary>
internal static partial class ElementwiseKernelEmitter
{
    private static void WriteGpuKernel(SourceWriter writer, RegionKernel kernel, bool backward)
    {
        var region = kernel.Region;
        var wanted = WantedInputs(kernel, backward);
        string stem = kernel.Name + (backward ? "Backward" : "Forward");
        var reads = Reads(kernel, backward);
        var parameterReads = ParameterReads(kernel, backward);
        var parameterGradients = backward ? region.Parameters : new List<ParameterInfo>();
        var views = reads.Select(i => kernel.Span(i)).ToList();
        string extent = backward ? kernel.GradientSpan(region.Output) : kernel.Span(region.Output);
        views.Add(extent);
        views.AddRange(wanted.Select(kernel.GradientSpan));
        var parameterViews = parameterReads.Select(p => (p, View: kernel.Span(p), Name: p.Name))
            .Concat(parameterGradients.Select(p => (p, View: kernel.GradientSpan(p), Name: p.Name + "'s gradient")))
            .ToList();

        WriteSummary(writer, kernel, backward, gpu: true);
        var arguments = views.Take(reads.Count).Concat(parameterReads.Select(kernel.Span)).Append(extent).Concat(views.Skip(reads.Count + 1)).Concat(parameterGradients.Select(kernel.GradientSpan))
            .Select(v => $"{Names.DeviceSpan} {v}")
            .Concat(parameterGradients.Select(p => $"bool {kernel.Adds(p)}"));
        writer.Open($"public static void {stem}({string.Join(", ", arguments)})");
        var fields = views.Select(v => v == extent ? $"{v} = {v}.View" : $"{v} = {Launch}.View({v}, {extent}, \"{v}\")")
            .Concat(parameterViews.Select(v => $"{v.View} = {Launch}.Parameter({v.View}, {ParameterLength(kernel, v.p)}, {extent}, \"{v.Name}\")"))
            .Concat(wanted.Select(i => $"{Wants(kernel, i)} = {kernel.GradientSpan(i)}.IsEmpty ? 0 : 1"))
            .Concat(parameterGradients.Select(p => $"{Wants(kernel, p)} = {kernel.GradientSpan(p)}.IsEmpty ? 0 : 1"))
            .Concat(parameterGradients.Select(p => $"{kernel.Adds(p)} = {kernel.Adds(p)} ? 1 : 0"));
        writer.Line($"var views = new {stem}Views");
        writer.Line("{");
        foreach (string field in fields)
        {
            writer.Line("    " + field + ",");
        }

        writer.Line("};");

        // Backward, the parameters' kernels write their gradients and the element kernel the inputs'.
        // The parameters' go first: the producing layer's gradient is written over the output's, which they read.
        var bySample = backward ? kernel.SampleParameters.ToList() : new List<ParameterInfo>();
        var byChannel = backward ? kernel.ChannelParameters.ToList() : new List<ParameterInfo>();
        foreach (var (summed, suffix, threads) in new[] { (bySample, "Positions", kernel.SampleLength), (byChannel, "Channels", kernel.Channels) }.Where(k => k.Item1.Count > 0))
        {
            writer.Open($"if ({string.Join(" || ", summed.Select(p => $"!{kernel.GradientSpan(p)}.IsEmpty"))})");
            writer.Line($"{Launch}.Run({stem}{suffix}Kernel, {extent}, {SourceWriter.Int(threads)}, views);");
            writer.Close();
            writer.Line();
        }

        if (!backward || wanted.Count > 0)
        {
            writer.Line($"{Launch}.Run({stem}Kernel, {extent}, views);");
        }

        writer.Close();
        writer.Line();

        writer.Line($"/// <summary>The buffers of <see cref=\"{stem}\"/> on the device.</summary>");
        writer.Open($"internal struct {stem}Views");
        foreach (string view in views.Concat(parameterViews.Select(v => v.View)))
        {
            writer.Line($"public {View} {view};");
        }

        foreach (string flag in wanted.Select(i => Wants(kernel, i)).Concat(parameterGradients.Select(p => Wants(kernel, p))).Concat(parameterGradients.Select(kernel.Adds)))
        {
            writer.Line($"public int {flag};");
        }

        writer.Close();
        if (!backward || wanted.Count > 0)
        {
            writer.Line();
            writer.Open($"internal static void {stem}Kernel(global::ILGPU.Index1D i, {stem}Views views)");
            foreach (string line in Body(kernel, backward, ExprDialect.Gpu, wanted, Indexing.Gpu(kernel), ParameterGradients.None).Lines)
            {
                writer.Line(line);
            }

            writer.Close();
        }

        if (bySample.Count > 0)
        {
            writer.Line();
            writer.Line($"/// <summary>The per-element parameters' gradients of <see cref=\"{stem}\"/>: thread j sums position j of the samples over the batch.</summary>");
            writer.Open($"internal static void {stem}PositionsKernel(global::ILGPU.Index1D j, {stem}Views views)");
            WriteParameterSums(writer, kernel, extent, bySample, perChannel: false);
            writer.Close();
        }

        if (byChannel.Count > 0)
        {
            writer.Line();
            writer.Line($"/// <summary>The per-channel parameters' gradients of <see cref=\"{stem}\"/>: thread channel sums its planes over the batch.</summary>");
            writer.Open($"internal static void {stem}ChannelsKernel(global::ILGPU.Index1D channel, {stem}Views views)");
            WriteParameterSums(writer, kernel, extent, byChannel, perChannel: true);
            writer.Close();
        }
    }

    /// <summary>A parameters kernel's body: the batch walked sample by sample, the parameters' gradients summed in registers, then stored.</summary>
    private static void WriteParameterSums(SourceWriter writer, RegionKernel kernel, string extent, List<ParameterInfo> summed, bool perChannel)
    {
        writer.Line($"int length = views.{extent}.IntLength;");
        foreach (var parameter in summed)
        {
            writer.Line($"float {kernel.Total(parameter)} = 0f;");
        }

        writer.Open($"for (int row = 0; row < length; row += {SourceWriter.Int(kernel.SampleLength)})");
        if (perChannel)
        {
            string plane = SourceWriter.Int(kernel.PlaneLength);
            writer.Open($"for (int position = channel * {plane}; position < (channel + 1) * {plane}; position++)");
            writer.Line("int i = row + position;");
        }
        else
        {
            writer.Line("int i = row + j;");
        }

        var indexing = perChannel ? Indexing.GpuChannels : Indexing.GpuPositions(kernel);
        foreach (string line in Body(kernel, backward: true, ExprDialect.Gpu, new List<int>(), indexing, ParameterGradients.Sum, summed).Lines)
        {
            writer.Line(line);
        }

        if (perChannel)
        {
            writer.Close();
        }

        writer.Close();
        writer.Line();
        string at = perChannel ? "channel" : "j";
        foreach (var parameter in summed)
        {
            string gradient = $"views.{kernel.GradientSpan(parameter)}[{at}]";
            writer.Open($"if (views.{Wants(kernel, parameter)} != 0)");
            writer.Line($"{gradient} = views.{kernel.Adds(parameter)} != 0 ? {gradient} + {kernel.Total(parameter)} : {kernel.Total(parameter)};");
            writer.Close();
        }
    }
}

using System.Collections.Generic;
using Nxt.Generators.Model;

namespace Nxt.Generators.Graph;

/// <summary>
/// What the runtime can hold, checked at build time in 64-bit arithmetic so that nothing wraps:
/// one sample of a value at most 2^29 - 1 floats (2 GiB, so that per-sample byte counts fit an
/// <c>int</c>), and the whole per-sample plan (values, gradients and scratch, one buffer each)
/// as much; a parameter, and all of them together, at most one .NET array of floats.
/// </summary>
internal static class SizeLimits
{
    /// <summary>Floats per sample: their bytes fit an <c>int</c>.</summary>
    public const long MaxSampleFloats = int.MaxValue / 4;

    public const long MaxParameterFloats = 0x7FFFFFC7;

    /// <summary>The product of <paramref name="dims"/>, saturating instead of wrapping.</summary>
    public static long Product(IEnumerable<int> dims)
    {
        long product = 1;
        foreach (int d in dims)
        {
            product = d <= 0 ? 0 : product > long.MaxValue / d ? long.MaxValue : product * d;
        }

        return product;
    }

    /// <summary>Why <paramref name="node"/> is too large, or null; adds its sizes to the running totals.</summary>
    public static string? Check(InferredNode node, ref long parameterFloats, ref long planFloatsPerSample)
    {
        long sample = Product(node.Shape);
        if (sample > MaxSampleFloats)
        {
            return $"one sample of '{node.Name}' {Shapes.Batched(node.Shape)} holds {sample} values; Nxt holds at most {MaxSampleFloats} floats (2 GiB) per sample of a value";
        }

        foreach (var p in node.Parameters)
        {
            long length = Product(p.Shape);
            if (length > MaxParameterFloats)
            {
                return $"'{p.Name}' {Shapes.Fixed(p.Shape)} holds {length} values; a parameter holds at most {MaxParameterFloats} floats (one .NET array)";
            }

            parameterFloats += length;
        }

        if (parameterFloats > MaxParameterFloats)
        {
            return $"with '{node.Name}' the network has {parameterFloats} parameters; Nxt holds at most {MaxParameterFloats} floats of parameters (one .NET array)";
        }

        // Its value, its gradient and its scratch: a bound on what the memory plan can need.
        planFloatsPerSample += (2 * sample) + node.Scratch.PerSample;
        return planFloatsPerSample > MaxSampleFloats
            ? $"with '{node.Name}' one sample needs up to {planFloatsPerSample} floats of values and gradients; Nxt plans at most {MaxSampleFloats} (2 GiB) per sample"
            : null;
    }
}

using System;
using System.Collections.Generic;
using System.IO;

namespace Nxt;

/// <summary>
/// MXNet's fused RNN saves its weights as one flat <c>NAME_parameters</c>: for one layer and one
/// direction, <c>i2h_weight</c>, <c>h2h_weight</c>, <c>i2h_bias</c>, <c>h2h_bias</c> one after
/// the other. A module holds them under MXNet's unfused names <c>NAME_l0_i2h_weight</c> and so on,
/// in that order: a flat entry a module does not know splits into those four.
/// </summary>
internal static class FusedRnnParameters
{
    private static readonly string[] s_parts = ["_l0_i2h_weight", "_l0_h2h_weight", "_l0_i2h_bias", "_l0_h2h_bias"];

    /// <summary>Replaces each flat <c>NAME_parameters</c> in <paramref name="args"/> that <paramref name="layout"/> lacks by its four parts; a length that does not fit is an error naming both.</summary>
    public static void Split(Dictionary<string, Tensor> args, NetworkLayout layout, string path)
    {
        var known = new Dictionary<string, BufferSpec>(StringComparer.Ordinal);
        foreach (var spec in layout.Parameters)
        {
            known[spec.Name] = spec;
        }

        foreach (string key in new List<string>(args.Keys))
        {
            if (!key.EndsWith("_parameters", StringComparison.Ordinal) || known.ContainsKey(key))
            {
                continue;
            }

            string node = key[..^"_parameters".Length];
            var parts = new BufferSpec[s_parts.Length];
            int total = 0;
            for (int i = 0; i < parts.Length; i++)
            {
                if (!known.TryGetValue(node + s_parts[i], out var part))
                {
                    parts = [];
                    break;
                }

                parts[i] = part;
                total += part.SampleLength;
            }

            if (parts.Length == 0)
            {
                continue; // not an RNN of this network: left for the usual unknown-name check
            }

            var flat = args[key].Span;
            if (flat.Length != total)
            {
                throw new InvalidDataException($"Checkpoint '{path}': '{key}' holds {flat.Length} floats, but RNN '{node}' of {layout.NetworkName} (one layer, one direction) takes {total} ({string.Join(" + ", Array.ConvertAll(parts, p => $"{p.Name} {p.SampleLength}"))}).");
            }

            int offset = 0;
            foreach (var part in parts)
            {
                args[part.Name] = new Tensor(flat.Slice(offset, part.SampleLength).ToArray(), part.ShapeFor(0));
                offset += part.SampleLength;
            }

            args.Remove(key);
        }
    }
}

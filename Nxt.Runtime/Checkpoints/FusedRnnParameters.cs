using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace Nxt;

/// <summary>
/// MXNet's fused RNN saves its weights as one flat <c>NAME_parameters</c>: every layer's and
/// direction's <c>i2h_weight</c> and <c>h2h_weight</c>, then all their <c>i2h_bias</c> and
/// <c>h2h_bias</c>. A module holds them under MXNet's unfused names (<c>NAME_l0_i2h_weight</c>,
/// <c>NAME_r1_h2h_bias</c>) in that same order: a flat entry a module does not know splits into those.
/// </summary>
internal static class FusedRnnParameters
{
    private static readonly Regex s_part = new(@"^[lr][0-9]+_(i2h|h2h)_(weight|bias)$", RegexOptions.CultureInvariant);

    /// <summary>Replaces each flat <c>NAME_parameters</c> in <paramref name="args"/> that <paramref name="layout"/> lacks by its parts; a length that does not fit is an error naming both.</summary>
    public static void Split(Dictionary<string, Tensor> args, NetworkLayout layout, string path)
    {
        var known = new HashSet<string>(layout.Parameters.Select(p => p.Name), StringComparer.Ordinal);
        foreach (string key in new List<string>(args.Keys))
        {
            if (!key.EndsWith("_parameters", StringComparison.Ordinal) || known.Contains(key))
            {
                continue;
            }

            string node = key[..^"_parameters".Length];
            var parts = layout.Parameters.Where(p => p.Name.StartsWith(node + "_", StringComparison.Ordinal) && s_part.IsMatch(p.Name[(node.Length + 1)..])).ToArray();
            int total = parts.Sum(p => p.SampleLength);
            if (parts.Length == 0)
            {
                continue; // not an RNN of this network: left for the usual unknown-name check
            }

            var flat = args[key].Span;
            if (flat.Length != total)
            {
                throw new InvalidDataException($"Checkpoint '{path}': '{key}' holds {flat.Length} floats, but RNN '{node}' of {layout.NetworkName} takes {total} ({string.Join(" + ", Array.ConvertAll(parts, p => $"{p.Name} {p.SampleLength}"))}).");
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

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Nxt.Generators.Model;

namespace Nxt.Generators.Operators;

/// <summary>An MXNet node Nxt cannot take as written: the message names the attribute or op at fault.</summary>
internal sealed class MxnetImportException : Exception
{
    public MxnetImportException(string message)
        : base(message)
    {
    }
}

/// <summary>
/// An MXNet node's attributes as a descriptor reads them back from symbol JSON: MXNet's names
/// and spellings (<c>"(3, 3)"</c>, <c>"True"</c>, <c>"relu"</c>), MXNet's defaults for those
/// left out. It remembers what was read, so an attribute no descriptor understands is an
/// error instead of being dropped (a silently different network).
/// </summary>
internal sealed class MxnetAttributeReader
{
    // Attributes that choose how MXNet runs an operator, not what it computes.
    private static readonly HashSet<string> s_runtimeOnly = new(StringComparer.Ordinal)
    {
        "workspace", "cudnn_tune", "cudnn_off", "cudnn_algo_verbose", "cudnn_algo_fwd", "cudnn_algo_bwd_data", "cudnn_algo_bwd_filter",
        "cudnn_tensor_core", "cudnn_tensor_core_only", "ctx_group", "lr_mult", "wd_mult", "force_mirroring", "mirror_stage",
        "num_args", "key_var_num_args", "output_mean_var", "storage_type",
    };

    private readonly IReadOnlyDictionary<string, string> _values;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public MxnetAttributeReader(string op, IReadOnlyDictionary<string, string> values)
    {
        Op = op;
        _values = values;
    }

    /// <summary>The MXNet operator name: <c>Convolution</c>, <c>_plus_scalar</c>.</summary>
    public string Op { get; }

    public bool Has(string key) => _values.ContainsKey(key);

    public int Int(string key, int fallback) => Text(key) is string text ? ParseInt(key, text) : fallback;

    public int RequiredInt(string key) => ParseInt(key, Required(key));

    public double Double(string key, double fallback) => Text(key) is string text ? ParseDouble(key, text) : fallback;

    public double RequiredDouble(string key) => ParseDouble(key, Required(key));

    /// <summary>MXNet's booleans: <c>True</c>/<c>False</c> as Python writes them, <c>1</c>/<c>0</c>, any case.</summary>
    public bool Bool(string key, bool fallback)
    {
        if (Text(key) is not string text)
        {
            return fallback;
        }

        switch (text.Trim().ToLowerInvariant())
        {
            case "true":
            case "1":
                return true;
            case "false":
            case "0":
                return false;
            default:
                throw Bad(key, text, "True or False");
        }
    }

    /// <summary>An enum by MXNet's lower-case name (<c>relu</c>, <c>max</c>, <c>batch</c>); <paramref name="names"/> maps other spellings.</summary>
    public TEnum Enum<TEnum>(string key, TEnum fallback, params (string Name, TEnum Value)[] names)
        where TEnum : struct
    {
        if (Text(key) is not string text)
        {
            return fallback;
        }

        string wanted = text.Trim().ToLowerInvariant();
        foreach (var (name, value) in names)
        {
            if (name == wanted)
            {
                return value;
            }
        }

        foreach (TEnum value in System.Enum.GetValues(typeof(TEnum)).Cast<TEnum>())
        {
            if (value.ToString()!.ToLowerInvariant() == wanted)
            {
                return value;
            }
        }

        var accepted = names.Select(n => n.Name).Concat(System.Enum.GetValues(typeof(TEnum)).Cast<TEnum>().Select(v => v.ToString()!.ToLowerInvariant())).Distinct();
        throw Bad(key, text, "one of " + string.Join(", ", accepted) + " (the values Nxt has)");
    }

    /// <summary>A tuple, <c>(3, 3)</c>, <c>[3,3]</c> or <c>3</c>; null when left out.</summary>
    public int[]? Tuple(string key)
    {
        if (Text(key) is not string text)
        {
            return null;
        }

        string inner = text.Trim().TrimStart('(', '[').TrimEnd(')', ']');
        if (inner.Trim().Length == 0)
        {
            return Array.Empty<int>();
        }

        var parts = inner.Split(',').Select(p => p.Trim()).Where(p => p.Length > 0 && p != "None").ToArray();
        return parts.Select(p => ParseInt(key, p)).ToArray();
    }

    /// <summary>A tuple whose entries may be <c>None</c> (MXNet <c>slice</c>'s begin and end), as nulls; null when left out.</summary>
    public int?[]? TupleWithNones(string key)
    {
        if (Text(key) is not string text)
        {
            return null;
        }

        string inner = text.Trim().TrimStart('(', '[').TrimEnd(')', ']');
        return inner.Trim().Length == 0
            ? Array.Empty<int?>()
            : inner.Split(',').Select(p => p.Trim()).Where(p => p.Length > 0).Select(p => p == "None" ? (int?)null : ParseInt(key, p)).ToArray();
    }

    /// <summary>A 2-D window (<c>(kh, kw)</c>, or one value for both), or <paramref name="fallback"/> on both axes.</summary>
    public EquatableArray<int> Window(string key, int fallback)
    {
        var values = Tuple(key);
        if (values is null || values.Length == 0)
        {
            return new[] { fallback, fallback }.ToEquatableArray();
        }

        return values.Length switch
        {
            1 => new[] { values[0], values[0] }.ToEquatableArray(),
            2 => values.ToEquatableArray(),
            _ => throw new MxnetImportException($"attribute '{key}' is '{_values[key]}', a {values.Length}-D window: Nxt's {Op} is 2-D (NCHW)"),
        };
    }

    /// <summary>Fails when an attribute is present with any value but <paramref name="accepted"/> (e.g. <c>layout</c> other than NCHW).</summary>
    public void OnlyValue(string key, params string[] accepted)
    {
        if (Text(key) is string text && !accepted.Contains(text.Trim()))
        {
            throw Bad(key, text, string.Join(" or ", accepted) + " (the only value Nxt has)");
        }
    }

    /// <summary>The attributes no descriptor read and that change what the node computes: errors.</summary>
    public IEnumerable<string> Unread()
        => _values.Keys.Where(k => !_read.Contains(k) && !s_runtimeOnly.Contains(k) && !(k.StartsWith("__", StringComparison.Ordinal) && k.EndsWith("__", StringComparison.Ordinal)));

    private string? Text(string key)
    {
        _read.Add(key);
        return _values.TryGetValue(key, out string? text) && text is not null && text != "None" ? text : null;
    }

    private string Required(string key)
        => Text(key) ?? throw new MxnetImportException($"attribute '{key}' is missing, and {Op} has no default for it");

    private int ParseInt(string key, string text)
        => int.TryParse(text.Trim().TrimEnd('L'), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : throw Bad(key, text, "an integer");

    private double ParseDouble(string key, string text)
    {
        string t = text.Trim();
        if (t is "inf" or "+inf")
        {
            return double.PositiveInfinity;
        }

        if (t == "-inf")
        {
            return double.NegativeInfinity;
        }

        return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : throw Bad(key, text, "a number");
    }

    private MxnetImportException Bad(string key, string text, string expected)
        => new($"attribute '{key}' is '{text}', but {Op} takes {expected} there");
}

using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace Nxt;

/// <summary>
/// MXNet <c>Mixed</c>: the first initializer whose pattern (a regular expression) matches the
/// parameter's name, e.g. <c>(".*fc.*_weight", new Xavier()), (".*", new Uniform(0.01f))</c>.
/// </summary>
public sealed class Mixed : Initializer
{
    private readonly List<(Regex Pattern, Initializer Initializer)> _rules = [];

    /// <summary>Rules tried in order.</summary>
    public Mixed(params (string Pattern, Initializer Initializer)[] rules)
    {
        foreach (var (pattern, initializer) in rules)
        {
            _rules.Add((new Regex("^(?:" + pattern + ")$", RegexOptions.CultureInvariant), initializer));
        }
    }

    /// <inheritdoc/>
    public override void Initialize(string name, Span<float> values, ReadOnlySpan<int> shape, RandomSource random)
    {
        foreach (var (pattern, initializer) in _rules)
        {
            if (pattern.IsMatch(name))
            {
                initializer.Initialize(name, values, shape, random);
                return;
            }
        }

        throw new ArgumentException($"Mixed: no pattern matches parameter '{name}'; add a catch-all rule such as (\".*\", new Uniform(0.01f)).", nameof(name));
    }

    /// <inheritdoc/>
    protected override void InitWeight(Span<float> values, ReadOnlySpan<int> shape, RandomSource random)
        => throw new InvalidOperationException("Mixed initialises whole parameters by name.");
}

using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace Nxt;

/// <summary>Every weight set to one value (MXNet <c>Constant</c>).</summary>
public sealed class Constant(float value) : Initializer
{
    /// <inheritdoc/>
    protected override void InitWeight(Span<float> values, ReadOnlySpan<int> shape, RandomSource random) => values.Fill(value);
}

/// <summary>
/// MXNet <c>MSRAPrelu</c> (He et al.): Gaussian with <c>σ = √(2 / ((1 + slope²)·factor))</c>, the
/// Xavier rule with magnitude <c>2/(1+slope²)</c>; the right scale for ReLU networks (slope 0).
/// </summary>
public sealed class MsraPrelu(XavierFactorType factorType = XavierFactorType.Avg, float slope = 0.25f) : Initializer
{
    private readonly Xavier _xavier = new(XavierRandomType.Gaussian, factorType, 2f / (1f + (slope * slope)));

    /// <inheritdoc/>
    protected override void InitWeight(Span<float> values, ReadOnlySpan<int> shape, RandomSource random)
        => _xavier.Initialize("w_weight", values, shape, random);
}

/// <summary>
/// MXNet <c>Orthogonal</c> (Saxe et al.): the weight, seen as a <c>(rows, rest)</c> matrix, gets
/// orthonormal rows (or columns, whichever are fewer) from a random matrix, times <c>scale</c>.
/// </summary>
public sealed class Orthogonal(float scale = 1.414f) : Initializer
{
    /// <inheritdoc/>
    protected override void InitWeight(Span<float> values, ReadOnlySpan<int> shape, RandomSource random)
    {
        int rows = shape.Length > 0 ? shape[0] : 1;
        int columns = values.Length / Math.Max(rows, 1);
        bool byRows = rows <= columns;
        int count = byRows ? rows : columns, length = byRows ? columns : rows;
        var vectors = new double[count][];
        for (int v = 0; v < count; v++)
        {
            // Modified Gram-Schmidt on Gaussian vectors: orthonormal with probability 1.
            var vector = new double[length];
            for (int i = 0; i < length; i++)
            {
                vector[i] = random.NextGaussian();
            }

            for (int u = 0; u < v; u++)
            {
                double dot = 0;
                for (int i = 0; i < length; i++)
                {
                    dot += vector[i] * vectors[u][i];
                }

                for (int i = 0; i < length; i++)
                {
                    vector[i] -= dot * vectors[u][i];
                }
            }

            double norm = 0;
            foreach (double x in vector)
            {
                norm += x * x;
            }

            norm = Math.Sqrt(norm);
            for (int i = 0; i < length; i++)
            {
                vector[i] /= norm;
            }

            vectors[v] = vector;
        }

        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                values[(r * columns) + c] = (float)(scale * (byRows ? vectors[r][c] : vectors[c][r]));
            }
        }
    }
}

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

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

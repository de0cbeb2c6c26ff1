using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace Nxt;

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

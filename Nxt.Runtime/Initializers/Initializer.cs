using System;

namespace Nxt;

/// <summary>
/// Initialises parameters by their MXNet names: <c>_weight</c> through <see cref="InitWeight"/>,
/// <c>_bias</c> and <c>_beta</c> to zero, <c>_gamma</c> to one, <c>_moving_mean</c> to zero,
/// <c>_moving_var</c> to one; a free variable (<c>[Variable]</c>, named without a suffix) as a weight.
/// </summary>
public abstract class Initializer
{
    /// <summary>Initialises one parameter of shape <paramref name="shape"/>.</summary>
    public virtual void Initialize(string name, Span<float> values, ReadOnlySpan<int> shape, RandomSource random)
    {
        if (name.EndsWith("_weight", StringComparison.Ordinal))
        {
            InitWeight(values, shape, random);
        }
        else if (name.EndsWith("_gamma", StringComparison.Ordinal) || name.EndsWith("_moving_var", StringComparison.Ordinal))
        {
            values.Fill(1f);
        }
        else if (name.EndsWith("_bias", StringComparison.Ordinal) || name.EndsWith("_beta", StringComparison.Ordinal) || name.EndsWith("_moving_mean", StringComparison.Ordinal))
        {
            values.Clear();
        }
        else
        {
            // A name without a layer's suffix is a [Variable] (a free argument): a weight.
            InitWeight(values, shape, random);
        }
    }

    /// <summary>Fills a weight.</summary>
    protected abstract void InitWeight(Span<float> values, ReadOnlySpan<int> shape, RandomSource random);
}

/// <summary>Weights uniform in [-scale, scale] (MXNet <c>Uniform</c>, default scale 0.07).</summary>
public sealed class Uniform(float scale = 0.07f) : Initializer
{
    /// <inheritdoc/>
    protected override void InitWeight(Span<float> values, ReadOnlySpan<int> shape, RandomSource random)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = ((2f * random.NextFloat()) - 1f) * scale;
        }
    }
}

/// <summary>Weights normal with mean 0 and standard deviation sigma (MXNet <c>Normal</c>, default 0.01).</summary>
public sealed class Normal(float sigma = 0.01f) : Initializer
{
    /// <inheritdoc/>
    protected override void InitWeight(Span<float> values, ReadOnlySpan<int> shape, RandomSource random)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = random.NextGaussian() * sigma;
        }
    }
}

/// <summary>How <see cref="Xavier"/> draws.</summary>
public enum XavierRandomType
{
    /// <summary>Uniform in [-s, s].</summary>
    Uniform,
    /// <summary>Normal with standard deviation s.</summary>
    Gaussian,
}

/// <summary>Which fan <see cref="Xavier"/> scales by.</summary>
public enum XavierFactorType
{
    /// <summary>(fan_in + fan_out) / 2.</summary>
    Avg,
    /// <summary>fan_in.</summary>
    In,
    /// <summary>fan_out.</summary>
    Out,
}

/// <summary>
/// MXNet <c>Xavier</c>: <c>s = sqrt(magnitude / factor)</c> with fan_in = shape[1]·receptive
/// field, fan_out = shape[0]·receptive field (defaults: uniform, avg, magnitude 3).
/// </summary>
public sealed class Xavier(XavierRandomType randomType = XavierRandomType.Uniform, XavierFactorType factorType = XavierFactorType.Avg, float magnitude = 3f) : Initializer
{
    /// <inheritdoc/>
    protected override void InitWeight(Span<float> values, ReadOnlySpan<int> shape, RandomSource random)
    {
        if (shape.Length < 2)
        {
            throw new ArgumentException($"Xavier needs a weight of at least 2 dimensions, got {Tensor.FormatShape(shape)}.", nameof(shape));
        }

        float receptive = 1;
        for (int i = 2; i < shape.Length; i++)
        {
            receptive *= shape[i];
        }

        float fanIn = shape[1] * receptive, fanOut = shape[0] * receptive;
        float factor = factorType switch
        {
            XavierFactorType.In => fanIn,
            XavierFactorType.Out => fanOut,
            _ => (fanIn + fanOut) / 2f,
        };
        float scale = MathF.Sqrt(magnitude / factor);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = randomType == XavierRandomType.Uniform
                ? ((2f * random.NextFloat()) - 1f) * scale
                : random.NextGaussian() * scale;
        }
    }
}

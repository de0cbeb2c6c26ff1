using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Nxt.Cpu;

/// <summary>An epilogue's activation, one value or one vector at a time.</summary>
internal interface IEpilogueFunction
{
    Vector<float> Apply(Vector<float> v);

    float Apply(float v);
}

/// <summary>
/// The loops behind <see cref="Epilogue"/>, generic over the activation: the JIT compiles one
/// copy per activation with the function inlined.
/// </summary>
internal static class EpilogueLoops
{
    /// <summary><c>y = f(x · scale + shift + residual)</c>; an empty residual adds nothing.</summary>
    public static void Scaled<TFunction>(ReadOnlySpan<float> x, Span<float> y, float scale, float shift, ReadOnlySpan<float> residual, TFunction f)
        where TFunction : struct, IEpilogueFunction
    {
        var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
        var vy = MemoryMarshal.Cast<float, Vector<float>>(y[..x.Length]);
        var (vscale, vshift) = (new Vector<float>(scale), new Vector<float>(shift));
        if (residual.IsEmpty)
        {
            for (int i = 0; i < vx.Length; i++)
            {
                vy[i] = f.Apply((vx[i] * vscale) + vshift);
            }

            for (int i = vx.Length * Vector<float>.Count; i < x.Length; i++)
            {
                y[i] = f.Apply((x[i] * scale) + shift);
            }

            return;
        }

        var vr = MemoryMarshal.Cast<float, Vector<float>>(residual[..x.Length]);
        for (int i = 0; i < vx.Length; i++)
        {
            vy[i] = f.Apply((vx[i] * vscale) + vshift + vr[i]);
        }

        for (int i = vx.Length * Vector<float>.Count; i < x.Length; i++)
        {
            y[i] = f.Apply((x[i] * scale) + shift + residual[i]);
        }
    }

    /// <summary><c>row = f(row + bias + residual)</c>, one bias per element; an empty residual adds nothing.</summary>
    public static void WithBias<TFunction>(Span<float> row, ReadOnlySpan<float> bias, ReadOnlySpan<float> residual, TFunction f)
        where TFunction : struct, IEpilogueFunction
    {
        var vy = MemoryMarshal.Cast<float, Vector<float>>(row);
        var vb = MemoryMarshal.Cast<float, Vector<float>>(bias[..row.Length]);
        var vr = MemoryMarshal.Cast<float, Vector<float>>(residual);
        bool hasResidual = !residual.IsEmpty;
        for (int i = 0; i < vy.Length; i++)
        {
            var v = vy[i] + vb[i];
            vy[i] = f.Apply(hasResidual ? v + vr[i] : v);
        }

        for (int i = vy.Length * Vector<float>.Count; i < row.Length; i++)
        {
            float v = row[i] + bias[i];
            row[i] = f.Apply(hasResidual ? v + residual[i] : v);
        }
    }
}

internal readonly struct Identity : IEpilogueFunction
{
    public Vector<float> Apply(Vector<float> v) => v;

    public float Apply(float v) => v;
}

internal readonly struct Rectifier : IEpilogueFunction
{
    public Vector<float> Apply(Vector<float> v) => Vector.Max(v, Vector<float>.Zero);

    public float Apply(float v) => MathF.Max(v, 0f);
}

internal readonly struct Logistic : IEpilogueFunction
{
    public Vector<float> Apply(Vector<float> v) => Vector<float>.One / (Vector<float>.One + Vector.Exp(-v));

    public float Apply(float v) => 1f / (1f + MathF.Exp(-v));
}

internal readonly struct HyperbolicTangent : IEpilogueFunction
{
    // tanh(v) = 1 - 2 / (exp(2v) + 1): saturates to ±1 without overflow (exp → ∞ gives 1, exp → 0 gives -1).
    public Vector<float> Apply(Vector<float> v) => Vector<float>.One - (new Vector<float>(2f) / (Vector.Exp(v + v) + Vector<float>.One));

    public float Apply(float v) => MathF.Tanh(v);
}

internal readonly struct LeakyRectifier(float slope) : IEpilogueFunction
{
    public Vector<float> Apply(Vector<float> v) => Vector.ConditionalSelect(Vector.GreaterThan(v, Vector<float>.Zero), v, v * slope);

    public float Apply(float v) => v > 0f ? v : v * slope;
}

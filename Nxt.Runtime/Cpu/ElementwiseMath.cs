using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Nxt.Cpu;

/// <summary>
/// The functions the generator's element-wise kernels call, one overload per loop type (a
/// scalar and each hardware vector width), so a kernel writes one formula for every loop:
/// <c>ElementwiseMath.Exp(x)</c> is <c>MathF.Exp</c> in the scalar tail and <c>Vector256.Exp</c>
/// in a 256-bit loop. The formulas are those of the operators' own kernels.
/// </summary>
public static class ElementwiseMath
{
    /// <summary>Throws unless <paramref name="values"/> holds <paramref name="length"/> floats: a generated kernel's buffers all have the output's length.</summary>
    public static void CheckLength(ReadOnlySpan<float> values, int length, string name)
    {
        if (values.Length != length)
        {
            throw new ArgumentException($"A generated element-wise kernel expected {length} floats of {name}, and got {values.Length}.", name);
        }
    }

    /// <summary>
    /// Throws unless <paramref name="length"/> is whole samples of <paramref name="sample"/> floats:
    /// a kernel that reads parameters broadcast over the batch goes sample by sample.
    /// </summary>
    public static void CheckSamples(int length, int sample, string name)
    {
        if (length % sample != 0)
        {
            throw new ArgumentException($"A generated element-wise kernel expected whole samples of {sample} floats of {name}, and got {length} floats.", name);
        }
    }

    /// <summary><c>eˣ</c>, per element.</summary>
    public static float Exp(float x) => MathF.Exp(x);

    /// <summary>The natural logarithm, per element.</summary>
    public static float Log(float x) => MathF.Log(x);

    /// <summary><c>|x|</c>, per element.</summary>
    public static float Abs(float x) => MathF.Abs(x);

    /// <summary>The hyperbolic tangent, per element.</summary>
    public static float Tanh(float x) => MathF.Tanh(x);

    /// <summary>The larger of two, per element.</summary>
    public static float Max(float a, float b) => MathF.Max(a, b);

    /// <summary>The smaller of two, per element.</summary>
    public static float Min(float a, float b) => MathF.Min(a, b);

    /// <summary>The error function, per element.</summary>
    public static float Erf(float x) => LeakyReLUKernels.Erf(x);

    /// <summary><c>eˣ</c>, per element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Exp(Vector128<float> x) => Vector128.Exp(x);

    /// <summary><c>eˣ</c>, per element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x) => Vector256.Exp(x);

    /// <summary><c>eˣ</c>, per element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x) => Vector512.Exp(x);

    /// <summary>The natural logarithm, per element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Log(Vector128<float> x) => Vector128.Log(x);

    /// <summary>The natural logarithm, per element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Log(Vector256<float> x) => Vector256.Log(x);

    /// <summary>The natural logarithm, per element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Log(Vector512<float> x) => Vector512.Log(x);

    /// <summary><c>|x|</c>, per element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Abs(Vector128<float> x) => Vector128.Abs(x);

    /// <summary><c>|x|</c>, per element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Abs(Vector256<float> x) => Vector256.Abs(x);

    /// <summary><c>|x|</c>, per element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Abs(Vector512<float> x) => Vector512.Abs(x);

    /// <summary>The larger of two, per element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Max(Vector128<float> a, Vector128<float> b) => Vector128.Max(a, b);

    /// <summary>The larger of two, per element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Max(Vector256<float> a, Vector256<float> b) => Vector256.Max(a, b);

    /// <summary>The larger of two, per element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Max(Vector512<float> a, Vector512<float> b) => Vector512.Max(a, b);

    /// <summary>The smaller of two, per element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Min(Vector128<float> a, Vector128<float> b) => Vector128.Min(a, b);

    /// <summary>The smaller of two, per element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Min(Vector256<float> a, Vector256<float> b) => Vector256.Min(a, b);

    /// <summary>The smaller of two, per element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Min(Vector512<float> a, Vector512<float> b) => Vector512.Min(a, b);

    /// <summary>tanh(x) = 1 - 2 / (exp(2x) + 1): saturates to ±1 without overflow, as the fused epilogue's.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Tanh(Vector128<float> x) => Vector128<float>.One - (Vector128.Create(2f) / (Vector128.Exp(x + x) + Vector128<float>.One));

    /// <summary>The hyperbolic tangent, per element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> x) => Vector256<float>.One - (Vector256.Create(2f) / (Vector256.Exp(x + x) + Vector256<float>.One));

    /// <summary>The hyperbolic tangent, per element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Tanh(Vector512<float> x) => Vector512<float>.One - (Vector512.Create(2f) / (Vector512.Exp(x + x) + Vector512<float>.One));

    /// <summary>Abramowitz and Stegun 7.1.26, as LeakyReLUKernels.Erf: erf(|x|) by a polynomial, the sign put back.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Erf(Vector128<float> x)
    {
        var a = Vector128.Abs(x);
        var t = Vector128<float>.One / (Vector128<float>.One + (Vector128.Create(0.3275911f) * a));
        var poly = t * (Vector128.Create(0.254829592f) + (t * (Vector128.Create(-0.284496736f) + (t * (Vector128.Create(1.421413741f) + (t * (Vector128.Create(-1.453152027f) + (t * Vector128.Create(1.061405429f)))))))));
        var result = Vector128<float>.One - (poly * Vector128.Exp(-(a * a)));
        return Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(x, Vector128<float>.Zero), result, -result);
    }

    /// <summary>The error function, per element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Erf(Vector256<float> x)
    {
        var a = Vector256.Abs(x);
        var t = Vector256<float>.One / (Vector256<float>.One + (Vector256.Create(0.3275911f) * a));
        var poly = t * (Vector256.Create(0.254829592f) + (t * (Vector256.Create(-0.284496736f) + (t * (Vector256.Create(1.421413741f) + (t * (Vector256.Create(-1.453152027f) + (t * Vector256.Create(1.061405429f)))))))));
        var result = Vector256<float>.One - (poly * Vector256.Exp(-(a * a)));
        return Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256<float>.Zero), result, -result);
    }

    /// <summary>The error function, per element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Erf(Vector512<float> x)
    {
        var a = Vector512.Abs(x);
        var t = Vector512<float>.One / (Vector512<float>.One + (Vector512.Create(0.3275911f) * a));
        var poly = t * (Vector512.Create(0.254829592f) + (t * (Vector512.Create(-0.284496736f) + (t * (Vector512.Create(1.421413741f) + (t * (Vector512.Create(-1.453152027f) + (t * Vector512.Create(1.061405429f)))))))));
        var result = Vector512<float>.One - (poly * Vector512.Exp(-(a * a)));
        return Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, Vector512<float>.Zero), result, -result);
    }
}

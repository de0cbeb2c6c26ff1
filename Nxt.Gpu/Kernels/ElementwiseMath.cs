using ILGPU.Algorithms;

namespace Nxt.Gpu;

/// <summary>
/// The functions the generator's element-wise GPU kernels call (<see cref="Nxt.Cpu.ElementwiseMath"/>
/// on the device): ILGPU's math, and the same erf as the CPU's.
/// </summary>
public static class ElementwiseMath
{
    /// <summary><c>eˣ</c>, per element.</summary>
    public static float Exp(float x) => XMath.Exp(x);

    /// <summary>The natural logarithm, per element.</summary>
    public static float Log(float x) => XMath.Log(x);

    /// <summary><c>|x|</c>, per element.</summary>
    public static float Abs(float x) => XMath.Abs(x);

    /// <summary>The hyperbolic tangent, per element.</summary>
    public static float Tanh(float x) => XMath.Tanh(x);

    /// <summary>The larger of two, per element.</summary>
    public static float Max(float a, float b) => XMath.Max(a, b);

    /// <summary>The smaller of two, per element.</summary>
    public static float Min(float a, float b) => XMath.Min(a, b);

    /// <summary>Abramowitz and Stegun 7.1.26, as the CPU's.</summary>
    public static float Erf(float x)
    {
        float t = 1f / (1f + (0.3275911f * XMath.Abs(x)));
        float poly = t * (0.254829592f + (t * (-0.284496736f + (t * (1.421413741f + (t * (-1.453152027f + (t * 1.061405429f))))))));
        float result = 1f - (poly * XMath.Exp(-x * x));
        return x >= 0 ? result : -result;
    }
}

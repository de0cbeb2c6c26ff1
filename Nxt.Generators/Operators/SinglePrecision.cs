namespace Nxt.Generators.Operators;

/// <summary>
/// The kernels compute in single precision, and the plan passes arguments as <c>float</c>
/// literals: a value must survive that conversion (1e-300 becomes 0, 1e300 infinity).
/// </summary>
internal static class SinglePrecision
{
    public static bool IsFinite(double value)
    {
        float single = (float)value;
        return !float.IsNaN(single) && !float.IsInfinity(single);
    }

    public static bool IsZero(double value) => (float)value == 0f;
}

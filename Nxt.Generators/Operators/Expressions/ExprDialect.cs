namespace Nxt.Generators.Operators.Expressions;

/// <summary>
/// How an <see cref="Expr"/> is written for one kind of loop: a CPU vector loop of one width
/// (<c>Vector512</c>, <c>Vector256</c>, <c>Vector128</c>), the CPU's scalar tail, or a GPU
/// kernel (scalar, over ILGPU's math). Functions go through the backend's
/// <c>ElementwiseMath</c>, which has an overload for each of those types, so an expression's
/// text differs between loops only in its constants and selects.
/// </summary>
internal sealed class ExprDialect
{
    private ExprDialect(string? vector, string math, string valueType)
    {
        Vector = vector;
        Math = math;
        ValueType = valueType;
    }

    public static ExprDialect Vector512 { get; } = new("Vector512", CpuMath, "global::System.Runtime.Intrinsics.Vector512<float>");

    public static ExprDialect Vector256 { get; } = new("Vector256", CpuMath, "global::System.Runtime.Intrinsics.Vector256<float>");

    public static ExprDialect Vector128 { get; } = new("Vector128", CpuMath, "global::System.Runtime.Intrinsics.Vector128<float>");

    public static ExprDialect CpuScalar { get; } = new(null, CpuMath, "float");

    public static ExprDialect Gpu { get; } = new(null, "global::Nxt.Gpu.ElementwiseMath", "float");

    /// <summary>The CPU vector widths, widest first.</summary>
    public static ExprDialect[] CpuVectors { get; } = { Vector512, Vector256, Vector128 };

    private const string CpuMath = "global::Nxt.Cpu.ElementwiseMath";

    /// <summary>The vector class (<c>Vector256</c>), or null for a scalar loop.</summary>
    public string? Vector { get; }

    public bool IsVector => Vector is not null;

    /// <summary>The qualified vector class.</summary>
    public string VectorClass => "global::System.Runtime.Intrinsics." + Vector;

    public string Math { get; }

    /// <summary>The type of one value in the loop.</summary>
    public string ValueType { get; }

    public string Constant(float value)
    {
        string literal = Operators.Plans.Arg.FloatText(value);
        return IsVector ? $"{VectorClass}.Create({literal})" : literal;
    }

    public string Call(string function, string[] args) => $"{Math}.{function}({string.Join(", ", args)})";

    public string Select(string a, Comparison comparison, string b, string ifTrue, string ifFalse)
    {
        if (IsVector)
        {
            string compare = comparison switch
            {
                Comparison.Greater => "GreaterThan",
                Comparison.GreaterOrEqual => "GreaterThanOrEqual",
                _ => "LessThanOrEqual",
            };
            return $"{VectorClass}.ConditionalSelect({VectorClass}.{compare}({a}, {b}), {ifTrue}, {ifFalse})";
        }

        string op = comparison switch
        {
            Comparison.Greater => ">",
            Comparison.GreaterOrEqual => ">=",
            _ => "<=",
        };
        return $"{a} {op} {b} ? {ifTrue} : {ifFalse}";
    }
}

using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Nxt.Cpu;

/// <summary>
/// MXNet's element-wise arithmetic: <c>elemwise_add/sub/mul/div</c> of two equal shapes, the
/// <c>_plus/_minus/_mul/_div_scalar</c> forms, and <c>add_n</c> (ElementwiseSum); with the
/// gradient of each operand as its own call, so a plan computes only the gradients it needs.
/// </summary>
public static class BinaryKernels
{
    /// <summary><c>y = a + b</c>.</summary>
    public static void Add(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) => Apply<AddOp>(a, b, y);

    /// <summary>
    /// The fused form <c>y = act(a + b)</c> (an add and its activation as one element-wise
    /// loop), chunk by chunk so the activation reads what the add wrote from L1.
    /// </summary>
    public static void Add(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y, Epilogue epilogue)
    {
        const int ChunkFloats = 2048;
        for (int start = 0; start < a.Length; start += ChunkFloats)
        {
            int length = Math.Min(ChunkFloats, a.Length - start);
            var chunk = y.Slice(start, length);
            Apply<AddOp>(a.Slice(start, length), b.Slice(start, length), chunk);
            epilogue.Apply(chunk, 0f, default);
        }
    }

    /// <summary><c>y = a - b</c>.</summary>
    public static void Sub(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) => Apply<SubOp>(a, b, y);

    /// <summary><c>y = a · b</c>.</summary>
    public static void Mul(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) => Apply<MulOp>(a, b, y);

    /// <summary><c>y = a / b</c>.</summary>
    public static void Div(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) => Apply<DivOp>(a, b, y);

    /// <summary><c>y = x + s</c>, <c>x - s</c>, <c>x · s</c> or <c>x / s</c> as <paramref name="op"/> is 0..3 (Add, Sub, Mul, Div).</summary>
    public static void Scalar(ReadOnlySpan<float> x, float scalar, Span<float> y, int op)
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = op switch
            {
                0 => x[i] + scalar,
                1 => x[i] - scalar,
                2 => x[i] * scalar,
                _ => x[i] / scalar,
            };
        }
    }

    /// <summary><c>dx (+)= dy · factor</c>: the gradient of a sum (1), a subtrahend (-1) or a scaled operand.</summary>
    public static void ScaledGradient(ReadOnlySpan<float> dy, float factor, Span<float> dx, bool accumulate)
    {
        var vdy = MemoryMarshal.Cast<float, Vector<float>>(dy);
        var vdx = MemoryMarshal.Cast<float, Vector<float>>(dx[..dy.Length]);
        var f = new Vector<float>(factor);
        for (int i = 0; i < vdy.Length; i++)
        {
            vdx[i] = accumulate ? vdx[i] + (vdy[i] * f) : vdy[i] * f;
        }

        for (int i = vdy.Length * Vector<float>.Count; i < dy.Length; i++)
        {
            dx[i] = accumulate ? dx[i] + (dy[i] * factor) : dy[i] * factor;
        }
    }

    /// <summary>Gradient of one factor of a product: <c>da (+)= dy · b</c>.</summary>
    public static void MulGradient(ReadOnlySpan<float> dy, ReadOnlySpan<float> other, Span<float> dx, bool accumulate)
        => ElementwiseKernels.Multiply(dy, other, dx, accumulate);

    /// <summary>Gradient of a dividend: <c>da (+)= dy / b</c>.</summary>
    public static void DivNumeratorGradient(ReadOnlySpan<float> dy, ReadOnlySpan<float> b, Span<float> da, bool accumulate)
    {
        for (int i = 0; i < dy.Length; i++)
        {
            float g = dy[i] / b[i];
            da[i] = accumulate ? da[i] + g : g;
        }
    }

    /// <summary>Gradient of a divisor: <c>db (+)= -dy · a / b²</c>.</summary>
    public static void DivDenominatorGradient(ReadOnlySpan<float> dy, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> db, bool accumulate)
    {
        for (int i = 0; i < dy.Length; i++)
        {
            float g = -dy[i] * a[i] / (b[i] * b[i]);
            db[i] = accumulate ? db[i] + g : g;
        }
    }

    /// <summary><c>y (+)= x</c>: one term of an ElementwiseSum, the first written, the rest added.</summary>
    public static void SumTerm(ReadOnlySpan<float> x, Span<float> y, bool first) => ElementwiseKernels.CopyOrAdd(x, y, accumulate: !first);

    // The operator is a type argument, so the JIT specialises and inlines each loop.
    private static void Apply<TOp>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
        where TOp : struct, IBinaryOp
    {
        if (a.Length != b.Length || y.Length < a.Length)
        {
            throw new ArgumentException($"Element-wise operands of {a.Length} and {b.Length} elements into {y.Length}.");
        }

        var va = MemoryMarshal.Cast<float, Vector<float>>(a);
        var vb = MemoryMarshal.Cast<float, Vector<float>>(b);
        var vy = MemoryMarshal.Cast<float, Vector<float>>(y[..a.Length]);
        for (int i = 0; i < va.Length; i++)
        {
            vy[i] = TOp.Apply(va[i], vb[i]);
        }

        for (int i = va.Length * Vector<float>.Count; i < a.Length; i++)
        {
            y[i] = TOp.Apply(a[i], b[i]);
        }
    }

    private interface IBinaryOp
    {
        static abstract Vector<float> Apply(Vector<float> a, Vector<float> b);

        static abstract float Apply(float a, float b);
    }

    private readonly struct AddOp : IBinaryOp
    {
        public static Vector<float> Apply(Vector<float> a, Vector<float> b) => a + b;

        public static float Apply(float a, float b) => a + b;
    }

    private readonly struct SubOp : IBinaryOp
    {
        public static Vector<float> Apply(Vector<float> a, Vector<float> b) => a - b;

        public static float Apply(float a, float b) => a - b;
    }

    private readonly struct MulOp : IBinaryOp
    {
        public static Vector<float> Apply(Vector<float> a, Vector<float> b) => a * b;

        public static float Apply(float a, float b) => a * b;
    }

    private readonly struct DivOp : IBinaryOp
    {
        public static Vector<float> Apply(Vector<float> a, Vector<float> b) => a / b;

        public static float Apply(float a, float b) => a / b;
    }
}

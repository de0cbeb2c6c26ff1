using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;

namespace Nxt.Gpu;

/// <summary>
/// Every element-wise operator as one kernel specialised by an operation code: <c>y (+)= f(a, b, c)</c>
/// per element. The code and the accumulate flag are <see cref="SpecializedValue{T}"/>s, so each
/// use compiles to a straight kernel with no branch on them. The formulas are the CPU kernels'.
/// </summary>
internal static class Pointwise
{
    // Forward activations of a = x.
    public const int Relu = 0, Sigmoid = 1, Tanh = 2, SoftRelu = 3, SoftSign = 4, Leaky = 5, Elu = 6, Gelu = 7, Copy = 8;

    // Scalar operations of a = x with p = the scalar, and binary ones of a and b.
    public const int ScalarAdd = 9, ScalarSub = 10, ScalarMul = 11, ScalarDiv = 12, Add = 13, Sub = 14, Mul = 15, Div = 16;

    // Gradients: a = the activation's output (relu, sigmoid, tanh) or input (the rest), b = dy.
    public const int ReluGrad = 17, SigmoidGrad = 18, TanhGrad = 19, SoftReluGrad = 20, SoftSignGrad = 21, LeakyGrad = 22, EluGrad = 23, GeluGrad = 24;

    // a = dy times p; dy · (-a / b²) with b = a's numerator and c = the denominator; the constant p;
    // a regression head's (y - label) · p.
    public const int Scale = 25, DivDenominatorGrad = 26, Constant = 27, RegressionGrad = 28;

    public static void Kernel(Index1D i, ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, ArrayView<float> y, SpecializedValue<PointwiseOp> op, float p)
    {
        var o = op.Value;
        float v = Epilogue.Apply(o.Activation, Apply(o.Code, a, b, c, i, p), p);
        y[i] = o.Accumulate != 0 ? y[i] + v : v;
    }

    /// <summary><c>y (+)= f(a, b, c)</c> over <paramref name="y"/>'s length.</summary>
    public static void Run(int op, DeviceSpan a, DeviceSpan b, DeviceSpan c, DeviceSpan y, float p = 0f, bool accumulate = false)
        => Run(new PointwiseOp(op, accumulate ? 1 : 0, 0), a, b, c, y, p);

    /// <summary>
    /// <c>y = act(f(a, b, c))</c>: an element-wise operator with a fused activation, one kernel
    /// (the operator must not read the scalar, which carries the activation's slope).
    /// </summary>
    public static void Run(int op, DeviceSpan a, DeviceSpan b, DeviceSpan c, DeviceSpan y, Epilogue epilogue)
        => Run(new PointwiseOp(op, 0, epilogue.Code), a, b, c, y, epilogue.Slope);

    private static void Run(PointwiseOp op, DeviceSpan a, DeviceSpan b, DeviceSpan c, DeviceSpan y, float p)
    {
        var device = y.Owner;
        Launcher.Run(
            device,
            Kernel,
            y.Length,
            device.ViewOrPlaceholder(a),
            device.ViewOrPlaceholder(b),
            device.ViewOrPlaceholder(c),
            y.View,
            SpecializedValue.New(op),
            p);
    }

    private static float Apply(int op, ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, Index1D i, float p)
    {
        switch (op)
        {
            case Relu: return XMath.Max(a[i], 0f);
            case Sigmoid: return 1f / (1f + XMath.Exp(-a[i]));
            case Tanh: return XMath.Tanh(a[i]);
            case SoftRelu: return a[i] > 20f ? a[i] : XMath.Log(1f + XMath.Exp(a[i]));
            case SoftSign: return a[i] / (1f + XMath.Abs(a[i]));
            case Leaky: return a[i] > 0 ? a[i] : p * a[i];
            case Elu: return a[i] > 0 ? a[i] : p * (XMath.Exp(a[i]) - 1f);
            case Gelu: return a[i] * 0.5f * (1f + ElementwiseMath.Erf(a[i] * 0.70710678f));
            case Copy: return a[i];
            case ScalarAdd: return a[i] + p;
            case ScalarSub: return a[i] - p;
            case ScalarMul: return a[i] * p;
            case ScalarDiv: return a[i] / p;
            case Add: return a[i] + b[i];
            case Sub: return a[i] - b[i];
            case Mul: return a[i] * b[i];
            case Div: return a[i] / b[i];
            case ReluGrad: return a[i] > 0 ? b[i] : 0f;
            case SigmoidGrad: return b[i] * a[i] * (1f - a[i]);
            case TanhGrad: return b[i] * (1f - (a[i] * a[i]));
            case SoftReluGrad: return b[i] / (1f + XMath.Exp(-a[i]));
            case SoftSignGrad:
                float d = 1f + XMath.Abs(a[i]);
                return b[i] / (d * d);
            case LeakyGrad: return b[i] * (a[i] > 0 ? 1f : p);
            case EluGrad: return b[i] * (a[i] > 0 ? 1f : p * XMath.Exp(a[i]));
            case GeluGrad:
                float x = a[i];
                float cdf = 0.5f * (1f + ElementwiseMath.Erf(x * 0.70710678f));
                float pdf = 0.39894228f * XMath.Exp(-0.5f * x * x);
                return b[i] * (cdf + (x * pdf));
            case Scale: return a[i] * p;
            case DivDenominatorGrad: return -a[i] * b[i] / (c[i] * c[i]);
            case RegressionGrad: return (a[i] - b[i]) * p;
            default: return p;
        }
    }

    /// <summary>The operation, whether it adds to <c>y</c>, and the activation applied after it: one specialisation constant.</summary>
    internal readonly record struct PointwiseOp(int Code, int Accumulate, int Activation);
}

namespace Nxt.Gpu;

/// <summary>Element-wise arithmetic of two nodes or a node and a scalar, and their gradients (<see cref="Nxt.Cpu.BinaryKernels"/>).</summary>
public static class BinaryKernels
{
    /// <summary><c>y = a + b</c>.</summary>
    public static void Add(DeviceSpan a, DeviceSpan b, DeviceSpan y) => Pointwise.Run(Pointwise.Add, a, b, default, y);

    /// <summary><c>y = act(a + b)</c>: an add with its activation fused, one kernel.</summary>
    public static void Add(DeviceSpan a, DeviceSpan b, DeviceSpan y, Epilogue epilogue) => Pointwise.Run(Pointwise.Add, a, b, default, y, epilogue);

    /// <summary><c>y = a - b</c>.</summary>
    public static void Sub(DeviceSpan a, DeviceSpan b, DeviceSpan y) => Pointwise.Run(Pointwise.Sub, a, b, default, y);

    /// <summary><c>y = a · b</c>.</summary>
    public static void Mul(DeviceSpan a, DeviceSpan b, DeviceSpan y) => Pointwise.Run(Pointwise.Mul, a, b, default, y);

    /// <summary><c>y = a / b</c>.</summary>
    public static void Div(DeviceSpan a, DeviceSpan b, DeviceSpan y) => Pointwise.Run(Pointwise.Div, a, b, default, y);

    /// <summary><c>y = x + s</c>, <c>x - s</c>, <c>x · s</c> or <c>x / s</c> as <paramref name="op"/> is 0..3.</summary>
    public static void Scalar(DeviceSpan x, float scalar, DeviceSpan y, int op) => Pointwise.Run(Pointwise.ScalarAdd + op, x, default, default, y, scalar);

    /// <summary><c>dx (+)= dy · factor</c>.</summary>
    public static void ScaledGradient(DeviceSpan dy, float factor, DeviceSpan dx, bool accumulate) => Pointwise.Run(Pointwise.Scale, dy, default, default, dx, factor, accumulate);

    /// <summary><c>dx (+)= dy · other</c>.</summary>
    public static void MulGradient(DeviceSpan dy, DeviceSpan other, DeviceSpan dx, bool accumulate) => Pointwise.Run(Pointwise.Mul, dy, other, default, dx, 0f, accumulate);

    /// <summary><c>da (+)= dy / b</c>.</summary>
    public static void DivNumeratorGradient(DeviceSpan dy, DeviceSpan b, DeviceSpan da, bool accumulate) => Pointwise.Run(Pointwise.Div, dy, b, default, da, 0f, accumulate);

    /// <summary><c>db (+)= -dy · a / b²</c>.</summary>
    public static void DivDenominatorGradient(DeviceSpan dy, DeviceSpan a, DeviceSpan b, DeviceSpan db, bool accumulate) => Pointwise.Run(Pointwise.DivDenominatorGrad, dy, a, b, db, 0f, accumulate);

    /// <summary>One term of an ElementwiseSum: the first writes, the others add.</summary>
    public static void SumTerm(DeviceSpan x, DeviceSpan y, bool first) => Pointwise.Run(Pointwise.Copy, x, default, default, y, 0f, accumulate: !first);
}

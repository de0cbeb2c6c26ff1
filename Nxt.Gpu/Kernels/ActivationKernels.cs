namespace Nxt.Gpu;

/// <summary>The activations on the device, with the CPU kernels' signatures (<see cref="Nxt.Cpu.ActivationKernels"/>).</summary>
public static class ActivationKernels
{
    /// <summary><c>y = max(x, 0)</c>.</summary>
    public static void ReluForward(DeviceSpan x, DeviceSpan y) => Pointwise.Run(Pointwise.Relu, x, default, default, y);

    /// <summary><c>dx (+)= dy · (y &gt; 0)</c>.</summary>
    public static void ReluBackward(DeviceSpan y, DeviceSpan dy, DeviceSpan dx, bool accumulate) => Pointwise.Run(Pointwise.ReluGrad, y, dy, default, dx, 0f, accumulate);

    /// <summary><c>y = 1 / (1 + exp(-x))</c>.</summary>
    public static void SigmoidForward(DeviceSpan x, DeviceSpan y) => Pointwise.Run(Pointwise.Sigmoid, x, default, default, y);

    /// <summary><c>dx (+)= dy · y(1 - y)</c>.</summary>
    public static void SigmoidBackward(DeviceSpan y, DeviceSpan dy, DeviceSpan dx, bool accumulate) => Pointwise.Run(Pointwise.SigmoidGrad, y, dy, default, dx, 0f, accumulate);

    /// <summary><c>y = tanh(x)</c>.</summary>
    public static void TanhForward(DeviceSpan x, DeviceSpan y) => Pointwise.Run(Pointwise.Tanh, x, default, default, y);

    /// <summary><c>dx (+)= dy · (1 - y²)</c>.</summary>
    public static void TanhBackward(DeviceSpan y, DeviceSpan dy, DeviceSpan dx, bool accumulate) => Pointwise.Run(Pointwise.TanhGrad, y, dy, default, dx, 0f, accumulate);

    /// <summary><c>y = log(1 + exp(x))</c>.</summary>
    public static void SoftReluForward(DeviceSpan x, DeviceSpan y) => Pointwise.Run(Pointwise.SoftRelu, x, default, default, y);

    /// <summary><c>dx (+)= dy · sigmoid(x)</c>.</summary>
    public static void SoftReluBackward(DeviceSpan x, DeviceSpan dy, DeviceSpan dx, bool accumulate) => Pointwise.Run(Pointwise.SoftReluGrad, x, dy, default, dx, 0f, accumulate);

    /// <summary><c>y = x / (1 + |x|)</c>.</summary>
    public static void SoftSignForward(DeviceSpan x, DeviceSpan y) => Pointwise.Run(Pointwise.SoftSign, x, default, default, y);

    /// <summary><c>dx (+)= dy / (1 + |x|)²</c>.</summary>
    public static void SoftSignBackward(DeviceSpan x, DeviceSpan dy, DeviceSpan dx, bool accumulate) => Pointwise.Run(Pointwise.SoftSignGrad, x, dy, default, dx, 0f, accumulate);
}

namespace Nxt.Gpu;

/// <summary>The regression heads and MakeLoss on the device (<see cref="Nxt.Cpu.RegressionKernels"/>).</summary>
public static class RegressionKernels
{
    /// <summary><c>y = sigmoid(x)</c> for the logistic output.</summary>
    public static void LogisticForward(DeviceSpan x, DeviceSpan y) => ActivationKernels.SigmoidForward(x, y);

    /// <summary><c>dx (+)= (y - label) · gradScale / perSample</c>.</summary>
    public static void Backward(DeviceSpan y, DeviceSpan label, DeviceSpan dx, int perSample, float gradScale, bool accumulate)
        => Pointwise.Run(Pointwise.RegressionGrad, y, label, default, dx, gradScale / perSample, accumulate);

    /// <summary>MakeLoss: <c>dx (+)= gradient</c> for every element.</summary>
    public static void ConstantGradient(DeviceSpan dx, float gradient, bool accumulate) => Pointwise.Run(Pointwise.Constant, default, default, default, dx, gradient, accumulate);
}

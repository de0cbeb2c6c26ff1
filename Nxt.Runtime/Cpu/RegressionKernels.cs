using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Nxt.Cpu;

/// <summary>
/// MXNet <c>LinearRegressionOutput</c> and <c>LogisticRegressionOutput</c>: the gradient is
/// <c>(out - label) · gradScale / outputs-per-sample</c>; and <c>MakeLoss</c>'s constant gradient.
/// </summary>
public static class RegressionKernels
{
    /// <summary><c>y = sigmoid(x)</c> for the logistic output (the linear one is a view).</summary>
    public static void LogisticForward(ReadOnlySpan<float> x, Span<float> y) => ActivationKernels.SigmoidForward(x, y);

    /// <summary><c>dx (+)= (y - label) · gradScale / perSample</c>.</summary>
    public static void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> label, Span<float> dx, int perSample, float gradScale, bool accumulate)
    {
        float scale = gradScale / perSample;
        for (int i = 0; i < y.Length; i++)
        {
            float g = (y[i] - label[i]) * scale;
            dx[i] = accumulate ? dx[i] + g : g;
        }
    }

    /// <summary>MakeLoss: <c>dx (+)= gradient</c> for every element.</summary>
    public static void ConstantGradient(Span<float> dx, float gradient, bool accumulate)
    {
        if (accumulate)
        {
            dx.Add(gradient);
        }
        else
        {
            dx.Fill(gradient);
        }
    }
}

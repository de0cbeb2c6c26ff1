using System;

using Nxt.Kernels;

namespace Nxt.Cpu;

/// <summary>
/// What a fused GEMM, convolution, BatchNorm or add does to each output element before it
/// stores it: <c>y = act(v + bias + residual)</c>. Only activations whose derivative is a
/// function of their output are fused (relu, sigmoid, tanh, leaky with a positive slope), so
/// the pre-activation value never has to be stored: the backward pass rebuilds
/// <c>dv = dy · act'(y)</c> from the output alone (<see cref="Backward"/>).
/// </summary>
public readonly record struct Epilogue(EpilogueActivation Activation, float Slope = 0f)
{
    /// <summary>No activation.</summary>
    public static Epilogue None => default;

    /// <summary>The rectifier.</summary>
    public static Epilogue Relu => new(EpilogueActivation.Relu);

    /// <summary>The logistic function.</summary>
    public static Epilogue Sigmoid => new(EpilogueActivation.Sigmoid);

    /// <summary>The hyperbolic tangent.</summary>
    public static Epilogue Tanh => new(EpilogueActivation.Tanh);

    /// <summary>The leaky rectifier with a positive <paramref name="slope"/>.</summary>
    public static Epilogue Leaky(float slope) => new(EpilogueActivation.Leaky, slope);

    /// <summary><c>y = act(y + shift + residual)</c> in place; an empty <paramref name="residual"/> adds nothing.</summary>
    public void Apply(Span<float> y, float shift, ReadOnlySpan<float> residual) => ApplyScaled(y, y, 1f, shift, residual);

    /// <summary>
    /// <c>y = act(x · scale + shift + residual)</c>: a per-channel affine map (BatchNorm's
    /// normalisation) and the epilogue in one pass; an empty <paramref name="residual"/> adds nothing.
    /// Each value is what <c>x · scale</c>, then <see cref="Apply"/>, would have written.
    /// </summary>
    public void ApplyScaled(ReadOnlySpan<float> x, Span<float> y, float scale, float shift, ReadOnlySpan<float> residual)
    {
        // The activation is chosen once per call, so the loop inlines it rather than calling
        // through a switch for every vector.
        switch (Activation)
        {
            case EpilogueActivation.Relu:
                EpilogueLoops.Scaled(x, y, scale, shift, residual, default(Rectifier));
                break;
            case EpilogueActivation.Sigmoid:
                EpilogueLoops.Scaled(x, y, scale, shift, residual, default(Logistic));
                break;
            case EpilogueActivation.Tanh:
                EpilogueLoops.Scaled(x, y, scale, shift, residual, default(HyperbolicTangent));
                break;
            case EpilogueActivation.Leaky:
                EpilogueLoops.Scaled(x, y, scale, shift, residual, new LeakyRectifier(Slope));
                break;
            default:
                EpilogueLoops.Scaled(x, y, scale, shift, residual, default(Identity));
                break;
        }
    }

    /// <summary>
    /// <c>y = act(y + bias + residual)</c> over rows of <c>bias.Length</c> (a GEMM's output with
    /// one bias per column); an empty bias or residual adds nothing.
    /// </summary>
    public void ApplyRows(Span<float> y, ReadOnlySpan<float> bias, ReadOnlySpan<float> residual, int rows, int columns)
    {
        if (bias.IsEmpty && residual.IsEmpty && Activation == EpilogueActivation.None)
        {
            return;
        }

        for (int r = 0; r < rows; r++)
        {
            var row = y.Slice(r * columns, columns);
            var residualRow = residual.IsEmpty ? default : residual.Slice(r * columns, columns);
            if (bias.IsEmpty)
            {
                Apply(row, 0f, residualRow);
            }
            else
            {
                ApplyWithBias(row, bias[..columns], residualRow);
            }
        }
    }

    /// <summary>
    /// The backward half, in place: <c>dy = dy · act'(y)</c>, where <c>y</c> is the fused
    /// kernel's output. What remains in <paramref name="dy"/> is the gradient of the kernel's
    /// own output (and of the residual, which adds with slope 1).
    /// </summary>
    public void Backward(ReadOnlySpan<float> y, Span<float> dy)
    {
        switch (Activation)
        {
            case EpilogueActivation.Relu:
                ActivationKernels.ReluBackward(y, dy, dy, accumulate: false);
                break;
            case EpilogueActivation.Sigmoid:
                ActivationKernels.SigmoidBackward(y, dy, dy, accumulate: false);
                break;
            case EpilogueActivation.Tanh:
                ActivationKernels.TanhBackward(y, dy, dy, accumulate: false);
                break;
            case EpilogueActivation.Leaky:
                // With a positive slope, y > 0 exactly where the input was.
                for (int i = 0; i < y.Length; i++)
                {
                    dy[i] = y[i] > 0f ? dy[i] : dy[i] * Slope;
                }

                break;
        }
    }

    private void ApplyWithBias(Span<float> row, ReadOnlySpan<float> bias, ReadOnlySpan<float> residual)
    {
        switch (Activation)
        {
            case EpilogueActivation.Relu:
                EpilogueLoops.WithBias(row, bias, residual, default(Rectifier));
                break;
            case EpilogueActivation.Sigmoid:
                EpilogueLoops.WithBias(row, bias, residual, default(Logistic));
                break;
            case EpilogueActivation.Tanh:
                EpilogueLoops.WithBias(row, bias, residual, default(HyperbolicTangent));
                break;
            case EpilogueActivation.Leaky:
                EpilogueLoops.WithBias(row, bias, residual, new LeakyRectifier(Slope));
                break;
            default:
                EpilogueLoops.WithBias(row, bias, residual, default(Identity));
                break;
        }
    }
}

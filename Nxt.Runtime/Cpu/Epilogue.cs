using System;
using System.Numerics;
using System.Runtime.InteropServices;

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
    public void Apply(Span<float> y, float shift, ReadOnlySpan<float> residual)
    {
        var vy = MemoryMarshal.Cast<float, Vector<float>>(y);
        var vr = MemoryMarshal.Cast<float, Vector<float>>(residual.IsEmpty ? default : residual[..y.Length]);
        var vshift = new Vector<float>(shift);
        bool hasResidual = !residual.IsEmpty;
        for (int i = 0; i < vy.Length; i++)
        {
            var v = vy[i] + vshift;
            vy[i] = Activate(hasResidual ? v + vr[i] : v);
        }

        for (int i = vy.Length * Vector<float>.Count; i < y.Length; i++)
        {
            float v = y[i] + shift;
            y[i] = Activate(hasResidual ? v + residual[i] : v);
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
        var vy = MemoryMarshal.Cast<float, Vector<float>>(row);
        var vb = MemoryMarshal.Cast<float, Vector<float>>(bias);
        var vr = MemoryMarshal.Cast<float, Vector<float>>(residual);
        bool hasResidual = !residual.IsEmpty;
        for (int i = 0; i < vy.Length; i++)
        {
            var v = vy[i] + vb[i];
            vy[i] = Activate(hasResidual ? v + vr[i] : v);
        }

        for (int i = vy.Length * Vector<float>.Count; i < row.Length; i++)
        {
            float v = row[i] + bias[i];
            row[i] = Activate(hasResidual ? v + residual[i] : v);
        }
    }

    private Vector<float> Activate(Vector<float> v) => Activation switch
    {
        EpilogueActivation.Relu => Vector.Max(v, Vector<float>.Zero),
        EpilogueActivation.Sigmoid => Vector<float>.One / (Vector<float>.One + Vector.Exp(-v)),
        EpilogueActivation.Tanh => VectorTanh(v),
        EpilogueActivation.Leaky => Vector.ConditionalSelect(Vector.GreaterThan(v, Vector<float>.Zero), v, v * Slope),
        _ => v,
    };

    private float Activate(float v) => Activation switch
    {
        EpilogueActivation.Relu => MathF.Max(v, 0f),
        EpilogueActivation.Sigmoid => 1f / (1f + MathF.Exp(-v)),
        EpilogueActivation.Tanh => MathF.Tanh(v),
        EpilogueActivation.Leaky => v > 0f ? v : v * Slope,
        _ => v,
    };

    // tanh(v) = 1 - 2 / (exp(2v) + 1): saturates to ±1 without overflow (exp → ∞ gives 1, exp → 0 gives -1).
    private static Vector<float> VectorTanh(Vector<float> v)
        => Vector<float>.One - (new Vector<float>(2f) / (Vector.Exp(v + v) + Vector<float>.One));
}

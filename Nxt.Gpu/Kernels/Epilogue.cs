using ILGPU.Algorithms;
using Nxt.Cpu;
using Nxt.Kernels;

namespace Nxt.Gpu;

/// <summary>
/// The GPU twin of <see cref="Nxt.Cpu.Epilogue"/>: what a fused GEMM, convolution, BatchNorm or add
/// does to each output element before storing it, <c>y = act(v + bias + residual)</c>, and the
/// in-place <c>dv = dy · act'(y)</c> of the backward pass.
/// </summary>
public readonly record struct Epilogue(EpilogueActivation Activation, float Slope = 0f)
{
    /// <summary>No activation.</summary>
    public static Epilogue None => default;

    /// <summary><c>max(v, 0)</c>.</summary>
    public static Epilogue Relu => new(EpilogueActivation.Relu);

    /// <summary><c>1 / (1 + exp(-v))</c>.</summary>
    public static Epilogue Sigmoid => new(EpilogueActivation.Sigmoid);

    /// <summary><c>tanh(v)</c>.</summary>
    public static Epilogue Tanh => new(EpilogueActivation.Tanh);

    /// <summary><c>v &gt; 0 ? v : slope·v</c>.</summary>
    public static Epilogue Leaky(float slope) => new(EpilogueActivation.Leaky, slope);

    /// <summary>The activation as a kernel argument.</summary>
    internal int Code => (int)Activation;

    /// <summary><c>dy = dy · act'(y)</c> in place, from the stored output.</summary>
    public void Backward(DeviceSpan y, DeviceSpan dy)
    {
        int op = Activation switch
        {
            EpilogueActivation.Relu => Pointwise.ReluGrad,
            EpilogueActivation.Sigmoid => Pointwise.SigmoidGrad,
            EpilogueActivation.Tanh => Pointwise.TanhGrad,
            EpilogueActivation.Leaky => Pointwise.LeakyGrad, // a positive slope keeps y > 0 exactly where the input was
            _ => -1,
        };
        if (op >= 0)
        {
            Pointwise.Run(op, y, dy, default, dy, Slope);
        }
    }

    /// <summary>The activation in a kernel: <paramref name="code"/> is <see cref="Code"/>.</summary>
    internal static float Apply(int code, float v, float slope) => code switch
    {
        1 => XMath.Max(v, 0f),
        2 => 1f / (1f + XMath.Exp(-v)),
        3 => XMath.Tanh(v),
        4 => v > 0 ? v : slope * v,
        _ => v,
    };
}

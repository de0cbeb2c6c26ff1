namespace Nxt.Kernels;

/// <summary>The activation a fused kernel applies to its output before storing it.</summary>
public enum EpilogueActivation
{
    /// <summary>No activation: the kernel's output (plus bias and residual) as it is.</summary>
    None,
    /// <summary><c>max(v, 0)</c>.</summary>
    Relu,
    /// <summary><c>1 / (1 + exp(-v))</c>.</summary>
    Sigmoid,
    /// <summary><c>tanh(v)</c>.</summary>
    Tanh,
    /// <summary><c>v &gt; 0 ? v : slope·v</c> with a positive slope.</summary>
    Leaky,
}

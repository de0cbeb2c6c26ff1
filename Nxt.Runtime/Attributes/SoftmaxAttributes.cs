namespace Nxt;

/// <summary>Softmax over the last axis: an inference head, or a layer in its own right.</summary>
public sealed class SoftmaxAttribute : LayerAttribute
{
}

/// <summary>Log-softmax over the last axis: an inference head, or a layer in its own right.</summary>
public sealed class LogSoftmaxAttribute : LayerAttribute
{
}

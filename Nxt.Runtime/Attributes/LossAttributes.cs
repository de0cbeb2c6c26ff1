namespace Nxt;

/// <summary>How a loss layer scales its gradient down (MXNet <c>normalization</c>).</summary>
public enum LossNormalization
{
    /// <summary>Not at all (MXNet default); the optimizer's 1/batch rescale makes it a mean.</summary>
    Null,
    /// <summary>Divided by the batch size.</summary>
    Batch,
    /// <summary>Divided by the number of labels that are not ignored.</summary>
    Valid,
}

/// <summary>
/// MXNet <c>SoftmaxOutput</c>: softmax over the last axis in the forward pass; in the backward
/// pass the gradient of cross-entropy, <c>softmax - one_hot(label)</c>, times
/// <see cref="GradScale"/>. Adds the label argument <c>&lt;name&gt;_label</c> (class indices).
/// </summary>
public sealed class SoftmaxOutputAttribute : LayerAttribute
{
    /// <summary>Scales the gradient (MXNet <c>grad_scale</c>, default 1).</summary>
    public double GradScale { get; set; } = 1.0;

    /// <summary>Rows labelled <see cref="IgnoreLabel"/> get no gradient (MXNet <c>use_ignore</c>).</summary>
    public bool UseIgnore { get; set; }

    /// <summary>The label to ignore when <see cref="UseIgnore"/> (MXNet default -1).</summary>
    public int IgnoreLabel { get; set; } = -1;

    /// <summary>How the gradient is normalised (MXNet default null).</summary>
    public LossNormalization Normalization { get; set; }

    /// <summary>
    /// Softmax over the last axis of any shape (MXNet <c>preserve_shape</c>), each position a
    /// class scores row: a sequence's <c>(N, T, V)</c> takes labels <c>(N, T)</c>, one per step.
    /// </summary>
    public bool PreserveShape { get; set; }
}

/// <summary>
/// MXNet <c>LinearRegressionOutput</c>: the identity forward; the gradient of half the squared
/// error, <c>(out - label) · GradScale / outputs-per-sample</c>. The label has the input's shape.
/// </summary>
public sealed class LinearRegressionOutputAttribute : LayerAttribute
{
    /// <summary>Scales the gradient (default 1).</summary>
    public double GradScale { get; set; } = 1.0;
}

/// <summary>
/// MXNet <c>LogisticRegressionOutput</c>: a sigmoid forward; the gradient of binary
/// cross-entropy, <c>(sigmoid(x) - label) · GradScale / outputs-per-sample</c>; labels in [0, 1].
/// </summary>
public sealed class LogisticRegressionOutputAttribute : LayerAttribute
{
    /// <summary>Scales the gradient (default 1).</summary>
    public double GradScale { get; set; } = 1.0;
}

/// <summary>
/// MXNet <c>MakeLoss</c>: turns any node into a loss to minimise; the forward pass passes it
/// through; the gradient is <see cref="GradScale"/> for every element. No label.
/// </summary>
public sealed class MakeLossAttribute : LayerAttribute
{
    /// <summary>The gradient of each element (default 1).</summary>
    public double GradScale { get; set; } = 1.0;

    /// <summary>Null (default) or Batch: divide the gradient by the batch size.</summary>
    public LossNormalization Normalization { get; set; }
}

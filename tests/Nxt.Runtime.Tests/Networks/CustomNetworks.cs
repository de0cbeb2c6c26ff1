namespace Nxt.Runtime.Tests.Networks;

/// <summary>y = x², any shape.</summary>
[CustomOperator]
public sealed class Square : ICustomOperator
{
    public void Forward(ReadOnlySpan<float> input, Span<float> output, int batchSize, bool isTrain)
    {
        for (int i = 0; i < input.Length; i++)
        {
            output[i] = input[i] * input[i];
        }
    }

    public void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batchSize)
    {
        for (int i = 0; i < input.Length; i++)
        {
            inputGradient[i] = 2 * input[i] * outputGradient[i];
        }
    }
}

/// <summary>Sums each row of a (rows, columns) sample: (N,R,C) to (N,R,1).</summary>
[CustomOperator(InputRank = 2, OutputShape = new[] { 0, 1 })]
public sealed class RowSum : ICustomOperator
{
    public void Forward(ReadOnlySpan<float> input, Span<float> output, int batchSize, bool isTrain)
    {
        int columns = input.Length / output.Length;
        for (int r = 0; r < output.Length; r++)
        {
            float sum = 0;
            for (int c = 0; c < columns; c++)
            {
                sum += input[(r * columns) + c];
            }

            output[r] = sum;
        }
    }

    public void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int batchSize)
    {
        int columns = input.Length / output.Length;
        for (int i = 0; i < input.Length; i++)
        {
            inputGradient[i] = outputGradient[i / columns];
        }
    }
}

/// <summary>Custom operators in a plan; <c>square</c>'s input is also read by <c>skip</c>, so its gradient must be added.</summary>
[Network]
public partial class CustomNet
{
    [Input(3, 4)]                                   Tensor data;
    [FullyConnected(4, Flatten = false)]            Tensor proj;
    [Custom<Square>]                                Tensor square;
    [Add(nameof(square), nameof(proj))]             Tensor skip;
    [Custom<RowSum>]                                Tensor rows;
    [FullyConnected(3)]                             Tensor fc;
    [SoftmaxOutput]                                 Tensor softmax;
}

/// <summary>y = scale ⊙ a ⊙ b + bias: a custom layer of two inputs and two learned parameters.</summary>
[CustomOperator(Inputs = 2, Parameters = new[] { "scale:4", "bias:4" })]
public sealed class ScaledProduct : ICustomLayer
{
    public void Forward(SpanList inputs, SpanList parameters, Span<float> output, int batchSize, bool isTrain)
    {
        Span<float> a = inputs[0], b = inputs[1], scale = parameters[0], bias = parameters[1];
        for (int i = 0; i < output.Length; i++)
        {
            output[i] = (scale[i % 4] * a[i] * b[i]) + bias[i % 4];
        }
    }

    public void Backward(SpanList inputs, SpanList parameters, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> label, SpanList inputGradients, SpanList parameterGradients, int batchSize)
    {
        Span<float> a = inputs[0], b = inputs[1], scale = parameters[0];
        Span<float> dScale = parameterGradients[0], dBias = parameterGradients[1];
        dScale.Clear();
        dBias.Clear();
        for (int i = 0; i < outputGradient.Length; i++)
        {
            float dy = outputGradient[i];
            inputGradients[0][i] = scale[i % 4] * b[i] * dy;
            inputGradients[1][i] = scale[i % 4] * a[i] * dy;
            dScale[i % 4] += a[i] * b[i] * dy;
            dBias[i % 4] += dy;
        }
    }
}

/// <summary>
/// The Symbol tutorial's custom softmax loss (arguments data and label, need_top_grad=False):
/// forward, a softmax per row; backward, the probabilities minus the one-hot label.
/// </summary>
[CustomOperator(InputRank = 1, Label = true)]
public sealed class TutorialSoftmax : ICustomLayer
{
    public void Forward(SpanList inputs, SpanList parameters, Span<float> output, int batchSize, bool isTrain)
    {
        var x = inputs[0];
        int classes = x.Length / batchSize;
        for (int r = 0; r < batchSize; r++)
        {
            var row = x.Slice(r * classes, classes);
            var y = output.Slice(r * classes, classes);
            float max = float.NegativeInfinity;
            foreach (float v in row)
            {
                max = Math.Max(max, v);
            }

            float sum = 0;
            for (int c = 0; c < classes; c++)
            {
                y[c] = MathF.Exp(row[c] - max);
                sum += y[c];
            }

            for (int c = 0; c < classes; c++)
            {
                y[c] /= sum;
            }
        }
    }

    public void Backward(SpanList inputs, SpanList parameters, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> label, SpanList inputGradients, SpanList parameterGradients, int batchSize)
    {
        var dx = inputGradients[0];
        output.CopyTo(dx);
        int classes = output.Length / batchSize;
        for (int r = 0; r < batchSize; r++)
        {
            dx[(r * classes) + (int)label[r]] -= 1f;
        }
    }
}

/// <summary>Two inputs into one custom layer with parameters, both reading the same node.</summary>
[Network]
public partial class CustomLayerNet
{
    [Input(5)]                                              Tensor data;
    [FullyConnected(4)]                                     Tensor left;
    [FullyConnected(4, From = nameof(data))]                Tensor right;
    [Custom<ScaledProduct>(nameof(left), nameof(right))]    Tensor product;
    [Activation(Act.Tanh)]                                  Tensor t;
    [FullyConnected(3)]                                     Tensor fc;
    [SoftmaxOutput]                                         Tensor softmax;
}

/// <summary>A small network ending in the custom softmax loss, for the gradient check.</summary>
[Network]
public partial class CustomSoftmaxNet
{
    [Input(6)]                      Tensor data;
    [FullyConnected(5)]             Tensor fc1;
    [Activation(Act.Tanh)]          Tensor t;
    [FullyConnected(3)]             Tensor fc2;
    [Custom<TutorialSoftmax>]       Tensor softmax;
}

/// <summary>The tutorial MLP (784-128-64-10) with the custom softmax loss.</summary>
[Network]
public partial class CustomSoftmaxMlp
{
    [Input(784)]                    Tensor data;
    [FullyConnected(128)]           Tensor fc1;
    [Activation(Act.Relu)]          Tensor relu1;
    [FullyConnected(64)]            Tensor fc2;
    [Activation(Act.Relu)]          Tensor relu2;
    [FullyConnected(10)]            Tensor fc3;
    [Custom<TutorialSoftmax>]       Tensor softmax;
}

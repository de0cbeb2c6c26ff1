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

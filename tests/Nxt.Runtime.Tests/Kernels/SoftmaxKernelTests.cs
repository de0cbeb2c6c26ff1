using Nxt.Cpu;

namespace Nxt.Runtime.Tests.Kernels;

public class SoftmaxKernelTests
{
    private const int Rows = 4, Classes = 6;

    [Theory]
    [InlineData(Classes)]
    [InlineData(37)] // vectorised, with a scalar tail
    public void Forward_is_a_stable_row_wise_softmax(int classes)
    {
        var x = TestData.Random(Rows * classes, 30, 4f);
        x[0] = 1000f; // would overflow exp without the max shift
        var y = new float[x.Length];
        SoftmaxKernels.Forward(x, y, Rows, classes);
        for (int r = 0; r < Rows; r++)
        {
            var row = x.AsSpan(r * classes, classes).ToArray();
            double max = row.Max();
            double sum = row.Sum(v => Math.Exp(v - max));
            var expected = row.Select(v => (float)(Math.Exp(v - max) / sum)).ToArray();
            TestData.AssertClose(expected, y.AsSpan(r * classes, classes), 1e-6, 1e-5, $"softmax row {r}");
        }
    }

    [Fact]
    public void Output_gradient_is_the_cross_entropy_gradient_times_grad_scale()
    {
        var x = TestData.Random(Rows * Classes, 31, 2f);
        float[] labels = [0, 5, 2, 3];
        const float gradScale = 0.5f;
        double Loss()
        {
            var p = new float[x.Length];
            SoftmaxKernels.Forward(x, p, Rows, Classes);
            double loss = 0;
            for (int r = 0; r < Rows; r++)
            {
                loss -= gradScale * Math.Log(p[(r * Classes) + (int)labels[r]]);
            }

            return loss;
        }

        var y = new float[x.Length];
        SoftmaxKernels.Forward(x, y, Rows, Classes);
        var dx = new float[x.Length];
        SoftmaxKernels.OutputBackward(y, labels, dx, Rows, Classes, gradScale, accumulate: false);
        TestData.AssertClose(TestData.NumericGradient(x, Loss, 1e-2f), dx, 2e-3, 1e-2, "d(cross-entropy)/dx");
    }
}

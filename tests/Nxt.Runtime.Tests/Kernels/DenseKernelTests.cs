using Nxt.Cpu;

namespace Nxt.Runtime.Tests.Kernels;

public class DenseKernelTests
{
    private const int Rows = 3, Inputs = 5, Units = 4;

    [Fact]
    public void Forward_is_x_times_W_transposed_plus_b()
    {
        var (x, w, b) = Inputs3();
        var y = new float[Rows * Units];
        DenseKernels.Forward(x, w, b, y, Rows, Inputs, Units);
        var expected = new float[Rows * Units];
        for (int r = 0; r < Rows; r++)
        {
            for (int u = 0; u < Units; u++)
            {
                double sum = b[u];
                for (int i = 0; i < Inputs; i++)
                {
                    sum += x[(r * Inputs) + i] * w[(u * Inputs) + i];
                }

                expected[(r * Units) + u] = (float)sum;
            }
        }

        TestData.AssertClose(expected, y, 1e-5, 1e-5, "FullyConnected forward");
    }

    [Fact]
    public void Backward_matches_finite_differences_for_data_weight_and_bias()
    {
        var (x, w, b) = Inputs3();
        var dy = TestData.Random(Rows * Units, 13); // L = Σ y·dy, so dL/dy = dy
        double Loss()
        {
            var y = new float[Rows * Units];
            DenseKernels.Forward(x, w, b, y, Rows, Inputs, Units);
            return TestData.Dot(y, dy);
        }

        var dx = new float[x.Length];
        var dw = new float[w.Length];
        var db = new float[b.Length];
        DenseKernels.BackwardData(dy, w, dx, Rows, Inputs, Units, accumulate: false);
        DenseKernels.BackwardWeight(dy, x, dw, Rows, Inputs, Units, accumulate: false);
        DenseKernels.BackwardBias(dy, db, Rows, Units, accumulate: false);
        TestData.AssertClose(TestData.NumericGradient(x, Loss), dx, 2e-3, 1e-2, "dL/dx");
        TestData.AssertClose(TestData.NumericGradient(w, Loss), dw, 2e-3, 1e-2, "dL/dW");
        TestData.AssertClose(TestData.NumericGradient(b, Loss), db, 2e-3, 1e-2, "dL/db");
    }

    [Fact]
    public void Accumulating_backward_adds_to_the_existing_gradient()
    {
        var (x, w, _) = Inputs3();
        var dy = TestData.Random(Rows * Units, 14);
        var once = new float[w.Length];
        DenseKernels.BackwardWeight(dy, x, once, Rows, Inputs, Units, accumulate: false);
        var twice = (float[])once.Clone();
        DenseKernels.BackwardWeight(dy, x, twice, Rows, Inputs, Units, accumulate: true);
        TestData.AssertClose(once.Select(v => 2 * v).ToArray(), twice, 1e-6, 1e-6, "dW accumulated twice");
    }

    private static (float[] X, float[] W, float[] B) Inputs3()
        => (TestData.Random(Rows * Inputs, 10), TestData.Random(Units * Inputs, 11), TestData.Random(Units, 12));
}

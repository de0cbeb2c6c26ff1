using Nxt.Cpu;

namespace Nxt.Runtime.Tests.Kernels;

/// <summary>Binary arithmetic, sums, concat and the LeakyReLU family against formulas and finite differences.</summary>
public class ElementwiseOpTests
{
    private const int Length = 37;

    public static TheoryData<string> BinaryOps() => new() { "Add", "Sub", "Mul", "Div" };

    [Theory]
    [MemberData(nameof(BinaryOps))]
    public void Binary_operators_and_both_operand_gradients(string op)
    {
        var a = TestData.Random(Length, 1, 2f);
        var b = TestData.Random(Length, 2, 2f).Select(v => v + (v >= 0 ? 0.5f : -0.5f)).ToArray(); // away from 0 for Div
        var dy = TestData.Random(Length, 3);
        float[] Forward()
        {
            var y = new float[Length];
            switch (op)
            {
                case "Add": BinaryKernels.Add(a, b, y); break;
                case "Sub": BinaryKernels.Sub(a, b, y); break;
                case "Mul": BinaryKernels.Mul(a, b, y); break;
                default: BinaryKernels.Div(a, b, y); break;
            }

            return y;
        }

        Func<float, float, double> reference = op switch
        {
            "Add" => (p, q) => p + q,
            "Sub" => (p, q) => p - q,
            "Mul" => (p, q) => p * q,
            _ => (p, q) => p / q,
        };
        TestData.AssertClose(a.Select((v, i) => (float)reference(v, b[i])).ToArray(), Forward(), 1e-6, 1e-6, op);

        var da = new float[Length];
        var db = new float[Length];
        switch (op)
        {
            case "Add": BinaryKernels.ScaledGradient(dy, 1f, da, false); BinaryKernels.ScaledGradient(dy, 1f, db, false); break;
            case "Sub": BinaryKernels.ScaledGradient(dy, 1f, da, false); BinaryKernels.ScaledGradient(dy, -1f, db, false); break;
            case "Mul": BinaryKernels.MulGradient(dy, b, da, false); BinaryKernels.MulGradient(dy, a, db, false); break;
            default: BinaryKernels.DivNumeratorGradient(dy, b, da, false); BinaryKernels.DivDenominatorGradient(dy, a, b, db, false); break;
        }

        TestData.AssertClose(TestData.NumericGradient(a, () => TestData.Dot(Forward(), dy)), da, 2e-3, 1e-2, op + " d/da");
        TestData.AssertClose(TestData.NumericGradient(b, () => TestData.Dot(Forward(), dy)), db, 2e-3, 1e-2, op + " d/db");
    }

    [Theory]
    [InlineData(0, 2.5f)]
    [InlineData(1, 2.5f)]
    [InlineData(2, -1.5f)]
    [InlineData(3, 4f)]
    public void Scalar_forms(int op, float scalar)
    {
        var x = TestData.Random(Length, 4);
        var y = new float[Length];
        BinaryKernels.Scalar(x, scalar, y, op);
        var expected = x.Select(v => op switch { 0 => v + scalar, 1 => v - scalar, 2 => v * scalar, _ => v / scalar }).ToArray();
        TestData.AssertClose(expected, y, 1e-6, 1e-6, $"scalar op {op}");
    }

    [Fact]
    public void Concat_places_blocks_and_splits_gradients_back()
    {
        // Two samples; inputs (2,3) and (1,3) joined on the channel axis into (3,3).
        float[] a = [1, 2, 3, 4, 5, 6, 11, 12, 13, 14, 15, 16];
        float[] b = [7, 8, 9, 17, 18, 19];
        var y = new float[18];
        ConcatKernels.ForwardPart(a, y, 2, outer: 1, inner: 6, offset: 0, outputInner: 9);
        ConcatKernels.ForwardPart(b, y, 2, outer: 1, inner: 3, offset: 6, outputInner: 9);
        Assert.Equal([1f, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19], y);
        var db = new float[6];
        ConcatKernels.BackwardPart(y, db, 2, outer: 1, inner: 3, offset: 6, outputInner: 9, accumulate: false);
        Assert.Equal(b, db);
    }

    public static TheoryData<string> LeakyKinds() => new() { "leaky", "elu", "gelu", "softsign" };

    [Theory]
    [MemberData(nameof(LeakyKinds))]
    public void LeakyReLU_family_gradients_match_finite_differences(string kind)
    {
        var x = TestData.Random(Length, 5, 3f).Select(v => MathF.Abs(v) < 0.05f ? v + 0.1f : v).ToArray();
        var dy = TestData.Random(Length, 6);
        float[] Forward()
        {
            var y = new float[Length];
            switch (kind)
            {
                case "leaky": LeakyReLUKernels.Forward(x, y, 0.1f, elu: false); break;
                case "elu": LeakyReLUKernels.Forward(x, y, 0.7f, elu: true); break;
                case "gelu": LeakyReLUKernels.GeluForward(x, y); break;
                default: ActivationKernels.SoftSignForward(x, y); break;
            }

            return y;
        }

        var dx = new float[Length];
        switch (kind)
        {
            case "leaky": LeakyReLUKernels.Backward(x, dy, dx, 0.1f, elu: false, accumulate: false); break;
            case "elu": LeakyReLUKernels.Backward(x, dy, dx, 0.7f, elu: true, accumulate: false); break;
            case "gelu": LeakyReLUKernels.GeluBackward(x, dy, dx, accumulate: false); break;
            default: ActivationKernels.SoftSignBackward(x, dy, dx, accumulate: false); break;
        }

        TestData.AssertClose(TestData.NumericGradient(x, () => TestData.Dot(Forward(), dy)), dx, 2e-3, 1e-2, kind);
    }

    [Fact]
    public void Gelu_matches_the_erf_definition()
    {
        float[] x = [-3f, -1f, -0.25f, 0f, 0.5f, 2f];
        var y = new float[x.Length];
        LeakyReLUKernels.GeluForward(x, y);
        // x·Φ(x) with Φ from a high-precision reference.
        double[] phi = [0.0013498980, 0.1586552539, 0.4012936743, 0.5, 0.6914624613, 0.9772498681];
        TestData.AssertClose(x.Select((v, i) => (float)(v * phi[i])).ToArray(), y, 2e-6, 1e-5, "gelu");
    }

    [Fact]
    public void PRelu_gradients_for_input_and_slope_match_finite_differences()
    {
        const int batch = 2, channels = 3, spatial = 4;
        var x = TestData.Random(batch * channels * spatial, 7, 2f).Select(v => MathF.Abs(v) < 0.05f ? v + 0.1f : v).ToArray();
        float[] gamma = [0.1f, 0.3f, -0.2f];
        var dy = TestData.Random(x.Length, 8);
        double Loss()
        {
            var y = new float[x.Length];
            LeakyReLUKernels.PReluForward(x, gamma, y, batch, channels, spatial);
            return TestData.Dot(y, dy);
        }

        var dx = new float[x.Length];
        var dGamma = new float[channels];
        LeakyReLUKernels.PReluBackward(x, gamma, dy, dx, dGamma, batch, channels, spatial, true, false, true, false);
        TestData.AssertClose(TestData.NumericGradient(x, Loss), dx, 2e-3, 1e-2, "prelu dx");
        TestData.AssertClose(TestData.NumericGradient(gamma, Loss), dGamma, 2e-3, 1e-2, "prelu dgamma");
    }
}

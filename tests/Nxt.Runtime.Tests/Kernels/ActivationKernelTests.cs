using Nxt.Cpu;

namespace Nxt.Runtime.Tests.Kernels;

public class ActivationKernelTests
{
    public delegate void Forward(ReadOnlySpan<float> x, Span<float> y);

    public delegate void Backward(ReadOnlySpan<float> source, ReadOnlySpan<float> dy, Span<float> dx, bool accumulate);

    public static TheoryData<string> Activations() => new() { "relu", "sigmoid", "tanh", "softrelu" };

    [Theory]
    [MemberData(nameof(Activations))]
    public void Forward_matches_the_formula(string name)
    {
        var (forward, _, reference, _) = Kernel(name);
        var x = Inputs();
        var y = new float[x.Length];
        forward(x, y);
        TestData.AssertClose(x.Select(v => (float)reference(v)).ToArray(), y, 1e-6, 1e-5, name);
    }

    [Theory]
    [MemberData(nameof(Activations))]
    public void Backward_matches_finite_differences(string name)
    {
        var (forward, backward, _, needsInput) = Kernel(name);
        var x = Inputs();
        var dy = TestData.Random(x.Length, 21);
        double Loss()
        {
            var y = new float[x.Length];
            forward(x, y);
            return TestData.Dot(y, dy);
        }

        var yOut = new float[x.Length];
        forward(x, yOut);
        var dx = new float[x.Length];
        backward(needsInput ? x : yOut, dy, dx, accumulate: false);
        TestData.AssertClose(TestData.NumericGradient(x, Loss, 1e-3f), dx, 2e-3, 1e-2, name + " gradient");
    }

    // 37 values (more than one vector and a scalar tail), kept away from relu's kink at 0.
    private static float[] Inputs()
        => TestData.Random(37, 20, 3f).Select(v => MathF.Abs(v) < 0.05f ? v + 0.1f : v).ToArray();

    private static (Forward, Backward, Func<double, double>, bool NeedsInput) Kernel(string name) => name switch
    {
        "relu" => (ActivationKernels.ReluForward, ActivationKernels.ReluBackward, v => Math.Max(v, 0), false),
        "sigmoid" => (ActivationKernels.SigmoidForward, ActivationKernels.SigmoidBackward, v => 1 / (1 + Math.Exp(-v)), false),
        "tanh" => (ActivationKernels.TanhForward, ActivationKernels.TanhBackward, Math.Tanh, false),
        "softrelu" => (ActivationKernels.SoftReluForward, ActivationKernels.SoftReluBackward, v => Math.Log(1 + Math.Exp(v)), true),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}

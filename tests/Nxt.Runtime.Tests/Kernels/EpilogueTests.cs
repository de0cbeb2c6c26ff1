using Nxt.Cpu;

namespace Nxt.Runtime.Tests.Kernels;

/// <summary>
/// The epilogue's loops against its definition, <c>act(x · scale + shift + bias + residual)</c>,
/// for every activation, on lengths with a vector tail.
/// </summary>
public class EpilogueTests
{
    public static TheoryData<string> Activations => ["none", "relu", "sigmoid", "tanh", "leaky"];

    [Theory]
    [MemberData(nameof(Activations))]
    public void Scaled_applies_the_affine_map_then_the_activation(string activation)
    {
        var epilogue = Named(activation);
        var x = TestData.Random(37, 1, 3f);
        var residual = TestData.Random(37, 2);
        foreach (bool withResidual in new[] { false, true })
        {
            var y = new float[x.Length];
            epilogue.ApplyScaled(x, y, 0.7f, -0.3f, withResidual ? residual : default);
            var expected = x.Select((v, i) => Reference(activation, (v * 0.7f) + -0.3f + (withResidual ? residual[i] : 0f))).ToArray();
            AssertMatches(activation, expected, y, $"{activation}, residual {withResidual}");
        }
    }

    [Theory]
    [MemberData(nameof(Activations))]
    public void Scaled_equals_scaling_then_applying_in_place_bit_for_bit(string activation)
    {
        var epilogue = Named(activation);
        var x = TestData.Random(45, 3, 2f);
        var residual = TestData.Random(45, 4);
        var fused = new float[x.Length];
        epilogue.ApplyScaled(x, fused, 1.9f, 0.25f, residual);
        var twoPasses = x.Select(v => v * 1.9f).ToArray();
        epilogue.Apply(twoPasses, 0.25f, residual);
        Assert.Equal(twoPasses, fused);
    }

    [Theory]
    [MemberData(nameof(Activations))]
    public void Rows_add_one_bias_per_column_and_the_residual(string activation)
    {
        var epilogue = Named(activation);
        const int rows = 3, columns = 21;
        var y = TestData.Random(rows * columns, 5, 2f);
        var bias = TestData.Random(columns, 6);
        var residual = TestData.Random(rows * columns, 7);
        var expected = y.Select((v, i) => Reference(activation, v + bias[i % columns] + residual[i])).ToArray();
        epilogue.ApplyRows(y, bias, residual, rows, columns);
        AssertMatches(activation, expected, y, activation);
    }

    private static Epilogue Named(string activation) => activation switch
    {
        "relu" => Epilogue.Relu,
        "sigmoid" => Epilogue.Sigmoid,
        "tanh" => Epilogue.Tanh,
        "leaky" => Epilogue.Leaky(0.1f),
        _ => Epilogue.None,
    };

    private static float Reference(string activation, float v) => activation switch
    {
        "relu" => Math.Max(v, 0f),
        "sigmoid" => (float)(1 / (1 + Math.Exp(-v))),
        "tanh" => (float)Math.Tanh(v),
        "leaky" => v > 0f ? v : v * 0.1f,
        _ => v,
    };

    // The piecewise-linear activations are exact; the vector exponential is within a few ulps.
    private static void AssertMatches(string activation, float[] expected, float[] actual, string what)
    {
        if (activation is "sigmoid" or "tanh")
        {
            TestData.AssertClose(expected, actual, 1e-6, 1e-5, what);
        }
        else
        {
            Assert.Equal(expected, actual);
        }
    }
}

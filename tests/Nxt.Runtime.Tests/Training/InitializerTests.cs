namespace Nxt.Runtime.Tests.Training;

public class InitializerTests
{
    [Fact]
    public void Msra_has_the_He_standard_deviation()
    {
        var values = new float[200 * 300];
        new MsraPrelu(XavierFactorType.In, slope: 0f).Initialize("w_weight", values, [200, 300], new RandomSource(1));
        double std = Math.Sqrt(values.Select(v => (double)v * v).Average());
        Assert.Equal(Math.Sqrt(2.0 / 300), std, 3);
    }

    [Theory]
    [InlineData(4, 9)]  // orthonormal rows
    [InlineData(9, 4)]  // orthonormal columns
    public void Orthogonal_rows_or_columns_are_orthonormal_times_the_scale(int rows, int columns)
    {
        var values = new float[rows * columns];
        new Orthogonal(scale: 2f).Initialize("w_weight", values, [rows, columns], new RandomSource(3));
        bool byRows = rows <= columns;
        int count = byRows ? rows : columns, length = byRows ? columns : rows;
        float At(int v, int i) => byRows ? values[(v * columns) + i] : values[(i * columns) + v];
        for (int a = 0; a < count; a++)
        {
            for (int b = 0; b < count; b++)
            {
                double dot = 0;
                for (int i = 0; i < length; i++)
                {
                    dot += At(a, i) * At(b, i);
                }

                Assert.Equal(a == b ? 4.0 : 0.0, dot, 4);
            }
        }
    }

    [Fact]
    public void Mixed_uses_the_first_matching_pattern_and_names_a_parameter_none_match()
    {
        var mixed = new Mixed((".*fc.*_weight", new Constant(3f)), (".*_weight", new Constant(5f)));
        var fc = new float[4];
        var conv = new float[4];
        mixed.Initialize("fc1_weight", fc, [2, 2], new RandomSource(1));
        mixed.Initialize("conv1_weight", conv, [2, 2], new RandomSource(1));
        Assert.All(fc, v => Assert.Equal(3f, v));
        Assert.All(conv, v => Assert.Equal(5f, v));
        var ex = Assert.Throws<ArgumentException>(() => mixed.Initialize("fc1_bias", new float[2], [2], new RandomSource(1)));
        Assert.Contains("fc1_bias", ex.Message);
    }
}

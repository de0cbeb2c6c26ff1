namespace Nxt.Runtime.Tests.Interop;

/// <summary>Tensor.ToString prints values as MXNet prints an NDArray (NumPy's layout).</summary>
public class TensorTextTests
{
    [Fact]
    public void Whole_numbers_print_with_a_trailing_point_row_by_row()
    {
        var tensor = new Tensor([0f, 1f, 2f, 3f, 4f, 5f], 2, 3);
        Assert.Equal("[[0. 1. 2.]\n [3. 4. 5.]]\n<Tensor 2x3 @cpu(0)>", tensor.ToString());
    }

    [Fact]
    public void Fractions_align_on_the_point_padded_with_spaces()
    {
        var tensor = new Tensor([1.5f, -2.25f, 3f, 0.125f, 4f, 5f], 2, 3);
        Assert.Equal("[[ 1.5   -2.25   3.   ]\n [ 0.125  4.     5.   ]]\n<Tensor 2x3 @cpu(0)>", tensor.ToString());
    }

    [Fact]
    public void Float32_values_print_to_at_most_eight_decimals()
    {
        var tensor = new Tensor([0.1f, 1f / 7f], 2);
        Assert.Equal("[0.1        0.14285715]\n<Tensor 2 @cpu(0)>", tensor.ToString());
    }

    [Fact]
    public void Magnitudes_far_apart_print_in_scientific_notation()
    {
        var tensor = new Tensor([1e-5f, 1f, 2.5f], 3);
        Assert.Equal("[1.0e-05 1.0e+00 2.5e+00]\n<Tensor 3 @cpu(0)>", tensor.ToString());
    }

    [Fact]
    public void Blocks_of_a_rank_three_tensor_are_separated_by_a_blank_line()
    {
        var tensor = new Tensor(Enumerable.Range(0, 24).Select(i => (float)i).ToArray(), 2, 3, 4);
        Assert.Equal(
            "[[[ 0.  1.  2.  3.]\n  [ 4.  5.  6.  7.]\n  [ 8.  9. 10. 11.]]\n\n [[12. 13. 14. 15.]\n  [16. 17. 18. 19.]\n  [20. 21. 22. 23.]]]\n<Tensor 2x3x4 @cpu(0)>",
            tensor.ToString());
    }

    [Fact]
    public void Above_a_thousand_elements_only_the_first_and_last_three_of_each_axis_print()
    {
        var tensor = new Tensor(Enumerable.Range(1000, 2000).Select(i => (float)i).ToArray(), 40, 50);
        string expected = string.Join('\n',
            "[[1000. 1001. 1002. ... 1047. 1048. 1049.]",
            " [1050. 1051. 1052. ... 1097. 1098. 1099.]",
            " [1100. 1101. 1102. ... 1147. 1148. 1149.]",
            " ...",
            " [2850. 2851. 2852. ... 2897. 2898. 2899.]",
            " [2900. 2901. 2902. ... 2947. 2948. 2949.]",
            " [2950. 2951. 2952. ... 2997. 2998. 2999.]]",
            "<Tensor 40x50 @cpu(0)>");
        Assert.Equal(expected, tensor.ToString());
    }

    [Fact]
    public void Long_rows_wrap_at_75_characters()
    {
        var tensor = new Tensor(Enumerable.Range(0, 30).Select(i => i + 0.5f).ToArray(), 30);
        string[] lines = tensor.ToString().Split('\n');
        Assert.True(lines.Length > 2, tensor.ToString());
        Assert.All(lines, line => Assert.True(line.Length <= 75, line));
        Assert.StartsWith("[ 0.5  1.5  2.5", lines[0]);
        Assert.StartsWith(" ", lines[1]);
    }

    [Fact]
    public void A_range_over_three_orders_of_magnitude_prints_in_scientific_notation_as_NumPy_does()
    {
        var tensor = new Tensor(Enumerable.Range(0, 2000).Select(i => (float)i).ToArray(), 2000);
        Assert.Equal("[0.000e+00 1.000e+00 2.000e+00 ... 1.997e+03 1.998e+03 1.999e+03]\n<Tensor 2000 @cpu(0)>", tensor.ToString());
    }

    [Fact]
    public void Nan_and_infinity_print_by_name()
    {
        var tensor = new Tensor([float.NaN, 1f, float.NegativeInfinity], 3);
        Assert.Equal("[ nan   1. -inf]\n<Tensor 3 @cpu(0)>", tensor.ToString());
    }
}

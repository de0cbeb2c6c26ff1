namespace Nxt.Runtime.Tests.Networks;

/// <summary>MXNet's bilinear UpSampling: a depthwise deconvolution that the Bilinear initializer starts as interpolation.</summary>
public class BilinearUpSamplingTests
{
    [Fact]
    public void The_bilinear_initializer_writes_MXNet_s_kernel()
    {
        var weight = new float[16];
        new Bilinear().Initialize("up_weight", weight, [1, 1, 4, 4], new RandomSource(1));
        // MXNet's _init_bilinear for k = 4: f = 2, c = 0.75, so each axis weighs 0.25, 0.75, 0.75, 0.25.
        float[] axis = [0.25f, 0.75f, 0.75f, 0.25f];
        for (int i = 0; i < 16; i++)
        {
            Assert.Equal(axis[i / 4] * axis[i % 4], weight[i], 6);
        }
    }

    [Fact]
    public void Initialised_as_bilinear_it_interpolates_a_ramp_at_half_pixels()
    {
        using var net = new BilinearUpOnly();
        net.InitParams(new Mixed(("up_weight", new Bilinear())));
        // x[i, j] = i + 10 j: a plane, which bilinear interpolation reproduces exactly away from the border.
        var image = new float[16];
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                image[(i * 4) + j] = i + (10 * j);
            }
        }

        var y = net.Predict(new Tensor(image, 1, 1, 4, 4));
        Assert.Equal([1, 1, 8, 8], y.Shape.ToArray());
        var values = y.ToArray();
        for (int p = 1; p < 7; p++)
        {
            for (int q = 1; q < 7; q++)
            {
                // Output pixel p sits at input coordinate (p + 0.5) / 2 - 0.5.
                double expected = (((p + 0.5) / 2) - 0.5) + (10 * (((q + 0.5) / 2) - 0.5));
                Assert.Equal(expected, values[(p * 8) + q], 4);
            }
        }
    }
}

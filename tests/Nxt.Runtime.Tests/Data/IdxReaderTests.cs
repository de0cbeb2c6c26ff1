using System.Buffers.Binary;
using System.IO.Compression;

namespace Nxt.Runtime.Tests.Data;

public class IdxReaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("nxt-idx-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Reads_images_scaled_to_unit_range_plain_or_gzip(bool gzip)
    {
        byte[] pixels = [0, 255, 51, 102, 153, 204];
        string path = Write("images", Header(0x803, 3, 1, 2), pixels, gzip);
        var images = IdxReader.ReadImages(path);
        Assert.Equal([3, 1, 2], images.Shape.ToArray());
        TestData.AssertClose(pixels.Select(p => p / 255f).ToArray(), images.Span, 1e-7, 0, "pixels");
    }

    [Fact]
    public void Reads_labels()
    {
        var labels = IdxReader.ReadLabels(Write("labels", Header(0x801, 4), [3, 1, 4, 1], gzip: true));
        Assert.Equal([3f, 1, 4, 1], labels.ToArray());
    }

    [Fact]
    public void Wrong_magic_names_the_file_and_what_it_holds()
    {
        string path = Write("labels-as-images", Header(0x801, 2), [1, 2], gzip: false);
        var ex = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains("0x00000801", ex.Message);
    }

    [Fact]
    public void Truncated_pixels_are_reported_with_both_counts()
    {
        string path = Write("short", Header(0x803, 2, 2, 2), [1, 2, 3], gzip: true);
        var ex = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));
        Assert.Contains("8 bytes of pixels", ex.Message);
        Assert.Contains("holds 3", ex.Message);
    }

    [Fact]
    public void Missing_dataset_says_how_to_install_it()
    {
        var ex = Assert.Throws<DatasetNotFoundException>(() => FashionMnist.Load(_folder));
        Assert.Contains("apt-get install dataset-fashion-mnist", ex.Message);
        Assert.Contains("NXT_FASHION_MNIST", ex.Message);
    }

    private static byte[] Header(int magic, params int[] dims)
    {
        var header = new byte[4 + (4 * dims.Length)];
        BinaryPrimitives.WriteInt32BigEndian(header, magic);
        for (int i = 0; i < dims.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + (4 * i)), dims[i]);
        }

        return header;
    }

    private string Write(string name, byte[] header, byte[] body, bool gzip)
    {
        string path = Path.Combine(_folder, name + (gzip ? ".gz" : string.Empty));
        using var file = File.Create(path);
        using Stream target = gzip ? new GZipStream(file, CompressionLevel.Fastest) : file;
        target.Write(header);
        target.Write(body);
        return path;
    }
}

public class MnistIterTests
{
    [Fact]
    public void Batches_come_straight_from_the_IDX_files_flat_or_as_images()
    {
        Assert.True(FashionMnist.IsAvailable(), "Fashion-MNIST is missing: apt-get install dataset-fashion-mnist");
        string folder = FashionMnist.DefaultDirectory;
        var images = new MnistIter(Path.Combine(folder, "t10k-images-idx3-ubyte.gz"), Path.Combine(folder, "t10k-labels-idx1-ubyte.gz"), 64);
        var flat = new MnistIter(Path.Combine(folder, "t10k-images-idx3-ubyte.gz"), Path.Combine(folder, "t10k-labels-idx1-ubyte.gz"), 64, flat: true);
        Assert.Equal(10000, images.SampleCount);
        Assert.True(images.MoveNext() && flat.MoveNext());
        Assert.Equal([64, 1, 28, 28], images.Current.Data.Shape.ToArray());
        Assert.Equal([64, 784], flat.Current.Data.Shape.ToArray());
        Assert.Equal(images.Current.Data.ToArray(), flat.Current.Data.ToArray());
        Assert.Equal(FashionMnist.Load().TestLabels.Span[..64].ToArray(), images.Current.Label!.ToArray());
    }
}

using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

namespace Nxt;

/// <summary>
/// Reads the IDX files of MNIST and Fashion-MNIST, plain or gzip-compressed (detected by
/// content, not by name): images as floats scaled to [0, 1], labels as class indices.
/// </summary>
public static class IdxReader
{
    private const int UnsignedByteImages = 0x00000803;
    private const int UnsignedByteLabels = 0x00000801;

    /// <summary>Images <c>(N, rows, cols)</c>, pixel values divided by 255.</summary>
    public static Tensor ReadImages(string path)
    {
        byte[] bytes = ReadAll(path);
        CheckMagic(bytes, UnsignedByteImages, path, "images (magic 0x00000803: unsigned bytes, 3 dimensions)");
        int count = Dimension(bytes, 0, path);
        int rows = Dimension(bytes, 1, path);
        int cols = Dimension(bytes, 2, path);
        const int header = 16;
        long pixels = (long)count * rows * cols;
        if (bytes.Length - header != pixels)
        {
            throw new InvalidDataException($"IDX file '{path}' declares {count} images of {rows}x{cols} ({pixels} bytes of pixels) but holds {bytes.Length - header}.");
        }

        var data = new float[pixels];
        for (long i = 0; i < pixels; i++)
        {
            data[i] = bytes[header + i] * (1f / 255f);
        }

        return new Tensor(data, count, rows, cols);
    }

    /// <summary>Labels <c>(N)</c>, each a class index stored as a float.</summary>
    public static Tensor ReadLabels(string path)
    {
        byte[] bytes = ReadAll(path);
        CheckMagic(bytes, UnsignedByteLabels, path, "labels (magic 0x00000801: unsigned bytes, 1 dimension)");
        int count = Dimension(bytes, 0, path);
        const int header = 8;
        if (bytes.Length - header != count)
        {
            throw new InvalidDataException($"IDX file '{path}' declares {count} labels but holds {bytes.Length - header}.");
        }

        var data = new float[count];
        for (int i = 0; i < count; i++)
        {
            data[i] = bytes[header + i];
        }

        return new Tensor(data, count);
    }

    private static byte[] ReadAll(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"IDX file '{path}' does not exist.", path);
        }

        using var file = File.OpenRead(path);
        Span<byte> head = stackalloc byte[2];
        int read = file.Read(head);
        file.Position = 0;
        bool gzip = read == 2 && head[0] == 0x1f && head[1] == 0x8b;
        using var content = new MemoryStream();
        try
        {
            if (gzip)
            {
                using var unzip = new GZipStream(file, CompressionMode.Decompress);
                unzip.CopyTo(content);
            }
            else
            {
                file.CopyTo(content);
            }
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"IDX file '{path}' is not valid gzip: {ex.Message}", ex);
        }

        return content.ToArray();
    }

    private static void CheckMagic(byte[] bytes, int expected, string path, string what)
    {
        if (bytes.Length < 4 || BinaryPrimitives.ReadInt32BigEndian(bytes) != expected)
        {
            string found = bytes.Length < 4 ? $"only {bytes.Length} bytes" : $"magic 0x{BinaryPrimitives.ReadInt32BigEndian(bytes):X8}";
            throw new InvalidDataException($"IDX file '{path}' should hold {what}, but it has {found}.");
        }
    }

    private static int Dimension(byte[] bytes, int index, string path)
    {
        int offset = 4 + (4 * index);
        if (bytes.Length < offset + 4)
        {
            throw new InvalidDataException($"IDX file '{path}' ends inside its header.");
        }

        int value = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(offset));
        if (value < 0)
        {
            throw new InvalidDataException($"IDX file '{path}' has a negative dimension {value}.");
        }

        return value;
    }
}

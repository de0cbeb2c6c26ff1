using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Nxt.Checkpoints;

/// <summary>
/// The safetensors format (what Hugging Face's <c>safetensors</c> reads from Python): an 8-byte
/// little-endian header length, a JSON header naming each tensor's dtype, shape and byte range,
/// an optional <c>__metadata__</c> map of strings, then the raw little-endian data. Only F32.
/// Reading checks the header size, every shape, range and overlap against the file's bytes.
/// </summary>
public static class SafeTensorsFile
{
    private const string MetadataKey = "__metadata__";
    private const long MaxHeaderBytes = 100_000_000; // the safetensors reference limit

    /// <summary>Writes the tensors (and string metadata) to <paramref name="path"/> atomically.</summary>
    public static void Save(string path, IReadOnlyList<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var header = new Dictionary<string, object>(StringComparer.Ordinal);
        if (metadata is { Count: > 0 })
        {
            header[MetadataKey] = metadata;
        }

        long offset = 0;
        foreach (var (name, tensor) in tensors)
        {
            long bytes = (long)tensor.Length * sizeof(float);
            header[name] = new { dtype = "F32", shape = tensor.Shape.ToArray(), data_offsets = new[] { offset, offset + bytes } };
            offset += bytes;
        }

        byte[] json = JsonSerializer.SerializeToUtf8Bytes(header);
        int padding = (8 - (json.Length % 8)) % 8; // the reference pads the header to 8 bytes with spaces
        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)(json.Length + padding));
            stream.Write(length);
            stream.Write(json);
            for (int i = 0; i < padding; i++)
            {
                stream.WriteByte((byte)' ');
            }

            foreach (var (_, tensor) in tensors)
            {
                stream.Write(MemoryMarshal.AsBytes(tensor.Span));
            }
        });
    }

    /// <summary>True when the file starts like a safetensors file (a plausible header length, then '{').</summary>
    public static bool Looks(ReadOnlySpan<byte> start)
        => start.Length >= 9 && BinaryPrimitives.ReadUInt64LittleEndian(start) is > 1 and < (ulong)MaxHeaderBytes && start[8] == (byte)'{';

    /// <summary>Reads every tensor and the metadata; throws <see cref="InvalidDataException"/> naming the problem.</summary>
    public static (List<KeyValuePair<string, Tensor>> Tensors, Dictionary<string, string> Metadata) Load(string path, byte[] bytes)
    {
        InvalidDataException Corrupt(string why) => new($"Checkpoint '{path}' is corrupt or not a safetensors file: {why}.");
        if (bytes.Length < 8)
        {
            throw Corrupt($"it has {bytes.Length} bytes, fewer than the 8-byte header length");
        }

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > MaxHeaderBytes || headerLength > (ulong)(bytes.Length - 8))
        {
            throw Corrupt($"its header claims {headerLength} bytes, but the file has {bytes.Length - 8} after the length");
        }

        var data = bytes.AsSpan(8 + (int)headerLength);
        var tensors = new List<KeyValuePair<string, Tensor>>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var ranges = new List<(long Begin, long End, string Name)>();
        try
        {
            using var document = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
            foreach (var entry in document.RootElement.EnumerateObject())
            {
                if (entry.Name == MetadataKey)
                {
                    foreach (var item in entry.Value.EnumerateObject())
                    {
                        metadata[item.Name] = item.Value.GetString() ?? string.Empty;
                    }

                    continue;
                }

                string dtype = entry.Value.GetProperty("dtype").GetString() ?? string.Empty;
                if (dtype != "F32")
                {
                    throw Corrupt($"tensor '{entry.Name}' has dtype {dtype}; only F32 is supported");
                }

                var shape = new List<int>();
                long elements = 1;
                foreach (var dim in entry.Value.GetProperty("shape").EnumerateArray())
                {
                    long d = dim.GetInt64();
                    if (d < 0 || d > int.MaxValue)
                    {
                        throw Corrupt($"tensor '{entry.Name}' has dimension {d}");
                    }

                    shape.Add((int)d);
                    elements *= d;
                    if (elements > data.Length)
                    {
                        throw Corrupt($"tensor '{entry.Name}' claims more elements than the file holds");
                    }
                }

                var offsets = entry.Value.GetProperty("data_offsets");
                long begin = offsets[0].GetInt64(), end = offsets[1].GetInt64();
                if (begin < 0 || end < begin || end > data.Length || end - begin != elements * sizeof(float))
                {
                    throw Corrupt($"tensor '{entry.Name}' has byte range [{begin}, {end}) for {elements} floats in {data.Length} bytes of data");
                }

                ranges.Add((begin, end, entry.Name));
                var values = new float[elements];
                data[(int)begin..(int)end].CopyTo(MemoryMarshal.AsBytes(values.AsSpan()));
                tensors.Add(new(entry.Name, new Tensor(values, shape.ToArray())));
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or IndexOutOfRangeException)
        {
            throw Corrupt($"its header is not valid safetensors JSON ({ex.Message})");
        }

        ranges.Sort((a, b) => a.Begin.CompareTo(b.Begin));
        for (int i = 1; i < ranges.Count; i++)
        {
            if (ranges[i].Begin < ranges[i - 1].End)
            {
                throw Corrupt($"tensors '{ranges[i - 1].Name}' and '{ranges[i].Name}' overlap");
            }
        }

        return (tensors, metadata);
    }
}

/// <summary>Writes a file so that a crash leaves the old one: a temporary file beside it, flushed to disk, renamed over it.</summary>
internal static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        string fullPath = Path.GetFullPath(path);
        string temporary = fullPath + $".{Environment.ProcessId}.tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    public static void WriteText(string path, string text) => Write(path, stream => stream.Write(Encoding.UTF8.GetBytes(text)));
}

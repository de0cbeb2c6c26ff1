using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Nxt.Checkpoints;

/// <summary>
/// The safetensors format (what Hugging Face's <c>safetensors</c> reads from Python): an 8-byte
/// little-endian header length, a JSON header naming each tensor's dtype, shape and byte range,
/// an optional <c>__metadata__</c> map of strings, then the raw little-endian data. Only F32.
/// Nxt writes a CRC-32 of each tensor's bytes into the metadata (<c>nxt.crc32.NAME</c>) and checks
/// it when present. Reading takes the header first and checks every entry (dtype, shape, byte
/// range, duplicates, overlaps, gaps and trailing bytes, each against the file's length) before
/// it allocates anything, then streams the tensors in chunks: no tensor or file size is limited
/// to 2 GiB.
/// </summary>
public static class SafeTensorsFile
{
    private const string MetadataKey = "__metadata__";
    private const string ChecksumPrefix = "nxt.crc32.";
    private const long MaxHeaderBytes = 100_000_000; // the safetensors reference limit
    private const int ChunkFloats = 1 << 24;          // 64 MiB a read or write

    /// <summary>Writes the tensors (and string metadata) to <paramref name="path"/> atomically.</summary>
    public static void Save(string path, IReadOnlyList<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var meta = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
        {
            meta[key] = value;
        }

        foreach (var (name, tensor) in tensors)
        {
            meta[ChecksumPrefix + name] = Checksum.Of(tensor.Span).ToString("x8", CultureInfo.InvariantCulture);
        }

        byte[] json = Header(tensors, meta);
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
                var span = tensor.Span;
                for (int start = 0; start < span.Length; start += ChunkFloats)
                {
                    stream.Write(MemoryMarshal.AsBytes(span.Slice(start, Math.Min(ChunkFloats, span.Length - start))));
                }
            }
        });
    }

    /// <summary>True when the file starts like a safetensors file: a header length, then its opening brace.</summary>
    public static bool Looks(ReadOnlySpan<byte> start) => start.Length >= 9 && start[8] == (byte)'{';

    /// <summary>Reads every tensor and the metadata from a seekable stream; throws <see cref="InvalidDataException"/> naming the file, the tensor and the field.</summary>
    public static (List<KeyValuePair<string, Tensor>> Tensors, Dictionary<string, string> Metadata) Load(string path, Stream stream)
    {
        InvalidDataException Corrupt(string why) => new($"Checkpoint '{path}' is corrupt or not a safetensors file: {why}.");
        long fileLength = stream.Length;
        if (fileLength < 8)
        {
            throw Corrupt($"it has {fileLength} bytes, fewer than the 8-byte header length");
        }

        Span<byte> lengthBytes = stackalloc byte[8];
        stream.Position = 0;
        stream.ReadExactly(lengthBytes);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > MaxHeaderBytes)
        {
            throw Corrupt($"its header claims {headerLength} bytes, more than the {MaxHeaderBytes} bytes the safetensors format allows");
        }

        if ((long)headerLength > fileLength - 8)
        {
            throw Corrupt($"its header claims {headerLength} bytes, but the file has {fileLength - 8} after the length");
        }

        var header = new byte[headerLength];
        stream.ReadExactly(header);
        long dataLength = fileLength - 8 - (long)headerLength;
        var entries = ReadHeader(header, dataLength, Corrupt, out var metadata);
        CheckLayout(entries, dataLength, Corrupt);

        // Only now that every range is known to lie in the file, in order and without gaps, allocate and read.
        var tensors = new List<KeyValuePair<string, Tensor>>(entries.Count);
        var byOffset = new List<Entry>(entries);
        byOffset.Sort((a, b) => a.Begin.CompareTo(b.Begin));
        var values = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var entry in byOffset)
        {
            var data = new float[entry.Elements];
            for (long start = 0; start < data.Length; start += ChunkFloats)
            {
                int count = (int)Math.Min(ChunkFloats, data.Length - start);
                stream.ReadExactly(MemoryMarshal.AsBytes(data.AsSpan((int)start, count)));
            }

            if (metadata.Remove(ChecksumPrefix + entry.Name, out string? expected)
                && Checksum.Of(data).ToString("x8", CultureInfo.InvariantCulture) != expected)
            {
                throw Corrupt($"tensor '{entry.Name}' fails its CRC-32 ({expected} written): its bytes changed after it was saved");
            }

            values[entry.Name] = data;
        }

        foreach (var entry in entries)
        {
            tensors.Add(new(entry.Name, new Tensor(values[entry.Name], entry.Shape)));
        }

        return (tensors, metadata);
    }

    private sealed record Entry(string Name, int[] Shape, long Elements, long Begin, long End);

    private static List<Entry> ReadHeader(byte[] header, long dataLength, Func<string, InvalidDataException> corrupt, out Dictionary<string, string> metadata)
    {
        metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var entries = new List<Entry>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header);
        }
        catch (JsonException ex)
        {
            throw corrupt($"its header is not JSON ({ex.Message})");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw corrupt("its header is not a JSON object");
            }

            foreach (var entry in document.RootElement.EnumerateObject())
            {
                if (!names.Add(entry.Name))
                {
                    throw corrupt($"the header names '{entry.Name}' twice");
                }

                if (entry.Name == MetadataKey)
                {
                    if (entry.Value.ValueKind != JsonValueKind.Object)
                    {
                        throw corrupt("its __metadata__ is not an object of strings");
                    }

                    foreach (var item in entry.Value.EnumerateObject())
                    {
                        metadata[item.Name] = item.Value.ValueKind == JsonValueKind.String ? item.Value.GetString()! : throw corrupt($"metadata '{item.Name}' is not a string");
                    }

                    continue;
                }

                entries.Add(ReadEntry(entry, dataLength, corrupt));
            }
        }

        return entries;
    }

    private static Entry ReadEntry(JsonProperty entry, long dataLength, Func<string, InvalidDataException> corrupt)
    {
        string name = entry.Name;
        JsonElement Field(string field)
            => entry.Value.ValueKind == JsonValueKind.Object && entry.Value.TryGetProperty(field, out var value) ? value
                : throw corrupt($"tensor '{name}' has no '{field}'");

        var dtype = Field("dtype");
        if (dtype.ValueKind != JsonValueKind.String || dtype.GetString() != "F32")
        {
            throw corrupt($"tensor '{name}' has dtype {dtype.GetRawText()}; only \"F32\" is supported");
        }

        var shapeField = Field("shape");
        if (shapeField.ValueKind != JsonValueKind.Array)
        {
            throw corrupt($"tensor '{name}' has shape {shapeField.GetRawText()}, not an array of sizes");
        }

        var shape = new List<int>();
        long elements = 1;
        foreach (var dim in shapeField.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt64(out long d) || d < 0 || d > int.MaxValue)
            {
                throw corrupt($"tensor '{name}' has dimension {dim.GetRawText()} in its shape: a size is a whole number from 0 to {int.MaxValue}");
            }

            shape.Add((int)d);
            elements = d == 0 || elements <= Array.MaxLength / d ? elements * d : long.MaxValue;
        }

        if (elements > Array.MaxLength || elements * sizeof(float) > dataLength)
        {
            throw corrupt($"tensor '{name}' claims {elements} floats, more than the file's {dataLength} bytes of data hold");
        }

        var offsets = Field("data_offsets");
        if (offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2
            || !offsets[0].TryGetInt64(out long begin) || !offsets[1].TryGetInt64(out long end))
        {
            throw corrupt($"tensor '{name}' has data_offsets {offsets.GetRawText()}: expected [begin, end] in bytes, whole numbers up to {long.MaxValue}");
        }

        if (begin < 0 || end < begin || end > dataLength || end - begin != elements * sizeof(float))
        {
            throw corrupt($"tensor '{name}' has data_offsets [{begin}, {end}) for {elements} floats in {dataLength} bytes of data");
        }

        return new Entry(name, shape.ToArray(), elements, begin, end);
    }

    // As the reference reader: the ranges tile the data section exactly, from 0 to its end. A
    // zero-size tensor holds no bytes, so it overlaps nothing wherever it points within the data.
    private static void CheckLayout(List<Entry> entries, long dataLength, Func<string, InvalidDataException> corrupt)
    {
        var sorted = entries.FindAll(e => e.End > e.Begin);
        sorted.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long cursor = 0;
        string previous = "the start of the data";
        foreach (var entry in sorted)
        {
            if (entry.Begin < cursor)
            {
                throw corrupt($"tensors {previous} and '{entry.Name}' overlap");
            }

            if (entry.Begin > cursor)
            {
                throw corrupt($"{entry.Begin - cursor} bytes between {previous} and '{entry.Name}' belong to no tensor");
            }

            cursor = entry.End;
            previous = $"'{entry.Name}'";
        }

        if (cursor != dataLength)
        {
            throw corrupt($"{dataLength - cursor} bytes after {previous} belong to no tensor");
        }
    }

    // The header JSON, written without reflection (trimming and native AOT safe).
    private static byte[] Header(IReadOnlyList<KeyValuePair<string, Tensor>> tensors, SortedDictionary<string, string> metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject(MetadataKey);
            foreach (var (key, value) in metadata)
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
            long offset = 0;
            foreach (var (name, tensor) in tensors)
            {
                long bytes = (long)tensor.Length * sizeof(float);
                json.WriteStartObject(name);
                json.WriteString("dtype", "F32");
                json.WriteStartArray("shape");
                foreach (int d in tensor.Shape)
                {
                    json.WriteNumberValue(d);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + bytes);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += bytes;
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}

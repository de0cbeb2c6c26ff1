using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Nxt.Checkpoints;

/// <summary>
/// MXNet's <c>.params</c> format, read so that MXNet checkpoints load (Nxt writes safetensors) (an NDArray list, as <c>mx.nd.save</c> writes it), so that
/// checkpoints move between Nxt and MXNet: a list magic, the arrays (each: V2 magic, dense
/// storage type, shape as int64 dims, CPU context, float32 type flag, raw little-endian
/// data), then the keys (<c>arg:fc1_weight</c>, <c>aux:bn1_moving_mean</c>).
/// Reading never trusts a size in the file beyond the bytes the file has.
/// </summary>
public static class ParamsFile
{
    private const ulong ListMagic = 0x112;
    private const uint ArrayMagicV2 = 0xF993FAC9;
    private const int DenseStorage = 0;
    private const int CpuDeviceType = 1;
    private const int Float32TypeFlag = 0;

    /// <summary>
    /// Writes <paramref name="arrays"/> to <paramref name="path"/> atomically: to a temporary file
    /// in the same folder, flushed to disk, then renamed over the target, so that a crash
    /// mid-save leaves the previous file intact.
    /// </summary>
    public static void Save(string path, IReadOnlyList<KeyValuePair<string, Tensor>> arrays)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            Write(writer, arrays);
        });
    }

    /// <summary>Reads every array of a <c>.params</c> file, checking each size against the file length.</summary>
    public static List<KeyValuePair<string, Tensor>> Load(string path)
    {
        using var stream = RegularFile.OpenRead(path, "parameters");
        return Load(path, stream);
    }

    /// <summary>True when the bytes start with MXNet's NDArray-list magic.</summary>
    public static bool Looks(ReadOnlySpan<byte> start) => start.Length >= 8 && BitConverter.ToUInt64(start) == ListMagic;

    /// <summary>Reads a <c>.params</c> file from its start, every count and size checked against the bytes left before it is used.</summary>
    public static List<KeyValuePair<string, Tensor>> Load(string path, Stream stream)
    {
        stream.Position = 0;
        var reader = new ParamsReader(stream, path);
        if (reader.UInt64() != ListMagic)
        {
            throw reader.Corrupt("it does not start with the MXNet NDArray-list magic 0x112");
        }

        reader.UInt64(); // reserved
        long count = reader.Count(minimumBytesEach: 4 + 4 + 4 + 8 + 4);
        var tensors = new Tensor[count];
        for (long i = 0; i < count; i++)
        {
            tensors[i] = ReadArray(reader, i);
        }

        long keyCount = reader.Count(minimumBytesEach: 8);
        if (keyCount != count)
        {
            throw reader.Corrupt($"it holds {count} arrays but {keyCount} names");
        }

        var result = new List<KeyValuePair<string, Tensor>>((int)count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (long i = 0; i < count; i++)
        {
            string name = reader.String();
            if (!names.Add(name))
            {
                throw reader.Corrupt($"it names '{name}' twice");
            }

            result.Add(new(name, tensors[i]));
        }

        if (!reader.AtEnd)
        {
            throw reader.Corrupt($"{reader.Remaining} unexpected bytes follow the last name");
        }

        return result;
    }

    private static void Write(BinaryWriter writer, IReadOnlyList<KeyValuePair<string, Tensor>> arrays)
    {
        writer.Write(ListMagic);
        writer.Write(0UL);
        writer.Write((ulong)arrays.Count);
        foreach (var (_, tensor) in arrays)
        {
            writer.Write(ArrayMagicV2);
            writer.Write(DenseStorage);
            writer.Write((uint)tensor.Rank);
            foreach (int d in tensor.Shape)
            {
                writer.Write((long)d);
            }

            writer.Write(CpuDeviceType);
            writer.Write(0);
            writer.Write(Float32TypeFlag);
            // Little-endian, as MXNet writes it; in chunks, as a span of bytes cannot address past 2 GiB.
            var values = tensor.Span;
            for (int start = 0; start < values.Length; start += 1 << 24)
            {
                writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.Slice(start, Math.Min(1 << 24, values.Length - start))));
            }
        }

        writer.Write((ulong)arrays.Count);
        foreach (var (name, _) in arrays)
        {
            byte[] utf8 = Encoding.UTF8.GetBytes(name);
            writer.Write((ulong)utf8.Length);
            writer.Write(utf8);
        }
    }

    private static Tensor ReadArray(ParamsReader reader, long index)
    {
        if (reader.UInt32() != ArrayMagicV2)
        {
            throw reader.Corrupt($"array {index} does not start with the NDArray V2 magic");
        }

        int storage = reader.Int32();
        if (storage != DenseStorage)
        {
            throw reader.Corrupt($"array {index} has storage type {storage}; only dense (0) arrays are supported");
        }

        uint rank = reader.UInt32();
        if (rank > 32)
        {
            throw reader.Corrupt($"array {index} claims {rank} dimensions");
        }

        var shape = new int[rank];
        long length = 1;
        for (int d = 0; d < rank; d++)
        {
            long dim = reader.Int64();
            if (dim < 0 || dim > int.MaxValue)
            {
                throw reader.Corrupt($"array {index} has dimension {dim}");
            }

            shape[d] = (int)dim;
            length *= dim;
            if (length > reader.Remaining / sizeof(float))
            {
                throw reader.Corrupt($"array {index} claims {length}+ elements but only {reader.Remaining} bytes remain");
            }
        }

        reader.Int32(); // device type: arrays load onto the module's device whatever it was
        reader.Int32(); // device id
        int typeFlag = reader.Int32();
        if (typeFlag != Float32TypeFlag)
        {
            throw reader.Corrupt($"array {index} has type flag {typeFlag}; only float32 (0) is supported");
        }

        var data = reader.Floats(length);
        return new Tensor(data, shape);
    }

    // The file as a sequence of little-endian fields, read from a stream: no size in it is
    // trusted before it is checked against the bytes left, and float data comes in chunks.
    private sealed class ParamsReader(Stream stream, string path)
    {
        private readonly byte[] _field = new byte[8];

        public long Remaining => stream.Length - stream.Position;

        public bool AtEnd => Remaining == 0;

        public InvalidDataException Corrupt(string why)
            => new($"Checkpoint parameters '{path}' are corrupt or not an MXNet .params file: {why} (at byte {stream.Position} of {stream.Length}).");

        public ulong UInt64() => BitConverter.ToUInt64(Take(8));

        public long Int64() => BitConverter.ToInt64(Take(8));

        public uint UInt32() => BitConverter.ToUInt32(Take(4));

        public int Int32() => BitConverter.ToInt32(Take(4));

        public long Count(int minimumBytesEach)
        {
            ulong count = UInt64();
            if (count > (ulong)(Remaining / minimumBytesEach))
            {
                throw Corrupt($"it claims {count} entries, more than its remaining {Remaining} bytes can hold");
            }

            return (long)count;
        }

        public string String()
        {
            ulong length = UInt64();
            if (length > (ulong)Remaining || length > int.MaxValue)
            {
                throw Corrupt($"a name claims {length} bytes but only {Remaining} remain");
            }

            var bytes = new byte[length];
            stream.ReadExactly(bytes);
            return Encoding.UTF8.GetString(bytes);
        }

        public float[] Floats(long count)
        {
            if (count > Array.MaxLength || count * sizeof(float) > Remaining)
            {
                throw Corrupt($"it ends early: {count} floats were expected, {Remaining} bytes remain");
            }

            var result = new float[count];
            for (long start = 0; start < count; start += 1 << 24)
            {
                int chunk = (int)Math.Min(1 << 24, count - start);
                stream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(result.AsSpan((int)start, chunk)));
            }

            return result;
        }

        private ReadOnlySpan<byte> Take(int count)
        {
            if (count > Remaining)
            {
                throw Corrupt($"it ends early: {count} more bytes were expected");
            }

            stream.ReadExactly(_field.AsSpan(0, count));
            return _field.AsSpan(0, count);
        }
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Nxt.Checkpoints;

/// <summary>
/// MXNet's <c>.params</c> format (an NDArray list, as <c>mx.nd.save</c>, <c>save_checkpoint</c>
/// and Gluon's <c>save_parameters</c> write it): a list magic, the arrays, then the keys
/// (<c>arg:fc1_weight</c>, <c>aux:bn1_moving_mean</c>, or Gluon's bare names). Every array version
/// MXNet wrote reads: V3 (numpy shape semantics, 1.6+), V2 (storage type, 1.0+), V1 (a magic and
/// int64 dims) and the legacy one before it (no magic, uint32 dims); float32, float16 and float64
/// data (converted to float32). Nxt writes V2 float32 arrays. Reading never trusts a size in the
/// file beyond the bytes the file has.
/// </summary>
public static class ParamsFile
{
    private const ulong ListMagic = 0x112;
    private const uint ArrayMagicV1 = 0xF993FAC8;
    private const uint ArrayMagicV2 = 0xF993FAC9;
    private const uint ArrayMagicV3 = 0xF993FACA;
    private const int DenseStorage = 0;
    private const int CpuDeviceType = 1;
    private const int Float32TypeFlag = 0;
    private const int Float64TypeFlag = 1;
    private const int Float16TypeFlag = 2;
    private static readonly string[] s_typeNames = ["float32", "float64", "float16", "uint8", "int32", "int8", "int64", "bool", "int16", "uint16", "uint32", "uint64", "bfloat16"];
    private static readonly string[] s_storageNames = ["default", "row_sparse", "csr"];

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
        long count = reader.Count(minimumBytesEach: 4); // an empty array is its magic or rank alone
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

    // NDArray::Load: V2 and V3 start with their magic and a storage type; V1 with its magic; the
    // legacy layout with the rank itself (uint32 dims follow).
    private static Tensor ReadArray(ParamsReader reader, long index)
    {
        uint magic = reader.UInt32();
        int[]? shape;
        if (magic is ArrayMagicV2 or ArrayMagicV3)
        {
            int storage = reader.Int32();
            if (storage != DenseStorage)
            {
                string name = storage >= 0 && storage < s_storageNames.Length ? s_storageNames[storage] : storage.ToString(System.Globalization.CultureInfo.InvariantCulture);
                throw reader.Corrupt($"array {index} has {name} storage; only dense arrays load (in MXNet, convert it with .tostype('default') before saving)");
            }

            shape = ReadShape(reader, index, int64Dims: true, numpy: magic == ArrayMagicV3);
        }
        else if (magic == ArrayMagicV1)
        {
            shape = ReadShape(reader, index, int64Dims: true, numpy: false);
        }
        else if (magic <= 32)
        {
            shape = magic == 0 ? null : ReadDims(reader, index, (int)magic, int64Dims: false); // legacy: the magic is the rank
        }
        else
        {
            throw reader.Corrupt($"array {index} starts with 0x{magic:X8}, which is no NDArray magic (V1 0xF993FAC8, V2 0xF993FAC9, V3 0xF993FACA) nor a legacy rank");
        }

        if (shape is null)
        {
            return new Tensor([], 0); // MXNet's empty (none) array
        }

        reader.Int32(); // device type: arrays load onto the module's device whatever it was
        reader.Int32(); // device id
        int typeFlag = reader.Int32();
        long length = 1;
        foreach (int d in shape)
        {
            length *= d;
        }

        float[] data = typeFlag switch
        {
            Float32TypeFlag => reader.Floats(length),
            Float16TypeFlag => reader.Halves(length),
            Float64TypeFlag => reader.Doubles(length),
            _ => throw reader.Corrupt($"array {index} holds {(typeFlag >= 0 && typeFlag < s_typeNames.Length ? s_typeNames[typeFlag] : "type " + typeFlag)} values; parameters load from float32, float16 or float64"),
        };
        return new Tensor(data, shape);
    }

    // TShape::Load: a rank (V3: -1 is an unknown shape, 0 a scalar; before: 0 is an empty array), then the dims.
    private static int[]? ReadShape(ParamsReader reader, long index, bool int64Dims, bool numpy)
    {
        int rank = reader.Int32();
        if (numpy ? rank < 0 : rank == 0)
        {
            return null;
        }

        return ReadDims(reader, index, rank, int64Dims);
    }

    private static int[] ReadDims(ParamsReader reader, long index, int rank, bool int64Dims)
    {
        if (rank < 0 || rank > 32)
        {
            throw reader.Corrupt($"array {index} claims {rank} dimensions");
        }

        var shape = new int[rank];
        long length = 1;
        for (int d = 0; d < rank; d++)
        {
            long dim = int64Dims ? reader.Int64() : reader.UInt32();
            if (dim < 0 || dim > int.MaxValue)
            {
                throw reader.Corrupt($"array {index} has dimension {dim}");
            }

            shape[d] = (int)dim;
            length *= dim;
            if (length > reader.Remaining / 2)
            {
                throw reader.Corrupt($"array {index} claims {length}+ elements but only {reader.Remaining} bytes remain");
            }
        }

        return shape;
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
            CheckData(count, sizeof(float), "float32");

            var result = new float[count];
            for (long start = 0; start < count; start += 1 << 24)
            {
                int chunk = (int)Math.Min(1 << 24, count - start);
                stream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(result.AsSpan((int)start, chunk)));
            }

            return result;
        }

        /// <summary>float16 values, widened to float32.</summary>
        public float[] Halves(long count) => Converted<Half>(count, "float16");

        /// <summary>float64 values, narrowed to float32.</summary>
        public float[] Doubles(long count) => Converted<double>(count, "float64");

        // Read in chunks of the file's type, each value converted to float32.
        private unsafe float[] Converted<T>(long count, string type)
            where T : unmanaged, System.Numerics.INumberBase<T>
        {
            CheckData(count, sizeof(T), type);
            var result = new float[count];
            var chunk = new T[Math.Min(count, 1 << 20)];
            for (long start = 0; start < count; start += chunk.Length)
            {
                int n = (int)Math.Min(chunk.Length, count - start);
                stream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(chunk.AsSpan(0, n)));
                for (int i = 0; i < n; i++)
                {
                    result[start + i] = float.CreateTruncating(chunk[i]);
                }
            }

            return result;
        }

        private void CheckData(long count, int bytesEach, string type)
        {
            if (count > Array.MaxLength || count * bytesEach > Remaining)
            {
                throw Corrupt($"it ends early: {count} {type} values ({count * bytesEach} bytes) were expected, {Remaining} bytes remain");
            }
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

using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Nxt.Checkpoints;
using Nxt.Runtime.Tests.Networks;

namespace Nxt.Runtime.Tests.Reliability;

/// <summary>
/// Checkpoint files a careless or hostile user hands over: each gets an error that names the
/// file, the tensor and the field, before anything is allocated beyond what the file holds.
/// </summary>
public sealed partial class HostileCheckpointTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("nxt-hostile-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Many_entries_over_one_range_are_refused_before_anything_is_allocated()
    {
        // 2,000 entries of 4 MB each over the same 4 MB: reading each before checking overlaps asked for 8 GB.
        var header = new StringBuilder("{");
        for (int i = 0; i < 2000; i++)
        {
            header.Append(i == 0 ? string.Empty : ",").Append($"\"t{i}\":{{\"dtype\":\"F32\",\"shape\":[1048576],\"data_offsets\":[0,4194304]}}");
        }

        string path = Write("amplified.params", header.Append('}').ToString(), new byte[4 << 20]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<InvalidDataException>(() => CheckpointFile.Load(path));
        Assert.Contains("overlap", ex.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 << 20, "the load allocated more than the file holds");
    }

    [Theory]
    [InlineData("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", "tensor 'w' has no 'dtype'")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", "tensor 'w' has no 'shape'")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", "tensor 'w' has no 'data_offsets'")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,4]}}", "tensor 'w' has dimension 2.5")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,18446744073709551616]}}", "tensor 'w' has data_offsets")]
    [InlineData("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", "names 'w' twice")]
    public void A_broken_header_entry_is_named_with_its_field(string header, string expected)
    {
        string path = Write("broken.params", header, new byte[4]);
        var ex = Assert.Throws<InvalidDataException>(() => CheckpointFile.Load(path));
        Assert.Contains(expected, ex.Message);
        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public void A_name_twice_in_an_MXNet_file_is_an_error()
    {
        string path = Path.Combine(_folder, "twice.params");
        ParamsFile.Save(path, [new("arg:w", new Tensor([1f], 1)), new("arg:w", new Tensor([2f], 1))]);
        Assert.Contains("names 'arg:w' twice", Assert.Throws<InvalidDataException>(() => CheckpointFile.Load(path)).Message);
    }

    [Fact]
    public void Trailing_bytes_after_the_last_tensor_are_an_error()
    {
        string path = Write("junk.params", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[12]);
        Assert.Contains("8 bytes after 'w' belong to no tensor", Assert.Throws<InvalidDataException>(() => CheckpointFile.Load(path)).Message);
    }

    [Fact]
    public void A_zero_size_tensor_beside_another_is_not_an_overlap()
    {
        string path = Write("empty.params", "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"e\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,4]}}", new byte[8]);
        var tensors = CheckpointFile.Load(path).Tensors;
        Assert.Equal(0, tensors.Single(t => t.Key == "e").Value.Length);
    }

    [Fact]
    public void A_header_past_the_format_limit_is_named_as_such()
    {
        string path = Path.Combine(_folder, "large-header.params");
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 200_000_000);
        bytes[8] = (byte)'{';
        File.WriteAllBytes(path, bytes);
        Assert.Contains("more than the 100000000 bytes the safetensors format allows", Assert.Throws<InvalidDataException>(() => CheckpointFile.Load(path)).Message);
    }

    [Fact]
    public void A_flipped_byte_in_the_data_fails_its_checksum_and_files_without_checksums_still_load()
    {
        string path = Path.Combine(_folder, "crc.params");
        SafeTensorsFile.Save(path, [new("w", new Tensor([1f, 2f, 3f, 4f], 4))]);
        var bytes = File.ReadAllBytes(path);
        bytes[^3] ^= 0x10;
        File.WriteAllBytes(path, bytes);
        Assert.Contains("fails its CRC-32", Assert.Throws<InvalidDataException>(() => CheckpointFile.Load(path)).Message);

        string plain = Write("plain.params", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", BitConverter.GetBytes(2.5f));
        Assert.Equal(2.5f, CheckpointFile.Load(plain).Tensors.Single().Value.Span[0]);
    }

    [Fact]
    public async Task Directories_devices_and_pipes_are_refused_without_reading_them()
    {
        Assert.Contains("is a directory", Assert.Throws<InvalidDataException>(() => CheckpointFile.Load(_folder)).Message);
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        Assert.Contains("not a regular file", Assert.Throws<InvalidDataException>(() => CheckpointFile.Load("/dev/zero")).Message);
        if (Directory.Exists("/dev/shm"))
        {
            // Files in shared memory are ordinary files.
            string inMemory = Path.Combine("/dev/shm", $"nxt-{Guid.NewGuid():N}.params");
            try
            {
                SafeTensorsFile.Save(inMemory, [new("w", new Tensor([3f], 1))]);
                Assert.Equal(3f, CheckpointFile.Load(inMemory).Tensors.Single().Value.Span[0]);
            }
            finally
            {
                File.Delete(inMemory);
            }
        }

        string fifo = Path.Combine(_folder, "pipe.params");
        Assert.Equal(0, MakeFifo(fifo, Convert.ToInt32("600", 8)));
        var load = Task.Run(() => CheckpointFile.Load(fifo));
        var first = await Task.WhenAny(load, Task.Delay(TimeSpan.FromSeconds(60)));
        Assert.True(first == load, "opening a FIFO blocked");
        await Assert.ThrowsAsync<InvalidDataException>(() => load);
    }

    [Fact]
    public void Two_threads_saving_one_prefix_never_collide()
    {
        // Two modules (a module serves one thread at a time) saving to the same files at once.
        string prefix = Path.Combine(_folder, "shared");
        var failures = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        Parallel.For(0, 2, worker =>
        {
            using var net = new TinyMlp { Seed = (ulong)worker + 1 };
            net.Bind(2);
            net.InitParams(new Uniform(0.5f));
            for (int i = 0; i < 40; i++)
            {
                try
                {
                    net.SaveCheckpoint(prefix, 1);
                }
                catch (Exception ex)
                {
                    failures.Add(ex);
                }
            }
        });
        Assert.Empty(failures);
        Assert.Empty(Directory.GetFiles(_folder, "*.tmp"));
        using var loaded = new TinyMlp();
        loaded.Bind(2);
        loaded.LoadCheckpoint(prefix, 1); // whole: one writer's file or the other's, never a mix
    }

    [Fact]
    public void A_missing_states_file_is_called_optimizer_states_and_a_save_error_names_the_target()
    {
        using var net = new TinyMlp { Seed = 1 };
        net.Bind(2);
        net.InitParams(new Uniform(0.5f));
        string prefix = Path.Combine(_folder, "nostates");
        net.SaveCheckpoint(prefix, 1);
        Assert.Contains("optimizer states", Assert.Throws<FileNotFoundException>(() => net.LoadCheckpoint(prefix, 1, loadOptimizerStates: true)).Message);

        string missingFolder = Path.Combine(_folder, "no", "such", "folder", "net");
        var ex = Assert.Throws<IOException>(() => net.SaveCheckpoint(missingFolder, 1));
        Assert.Contains(missingFolder + "-", ex.Message); // the symbol file, written first
        Assert.Contains("its folder does not exist", ex.Message);
        Assert.DoesNotContain(".tmp", ex.Message);
    }

    [Fact]
    public void Non_finite_values_in_a_checkpoint_are_an_error_unless_allowed()
    {
        using var net = new TinyMlp { Seed = 1 };
        net.Bind(2);
        net.InitParams(new Uniform(0.5f));
        var (args, aux) = net.GetParams();
        args["fc2_bias"].Span[1] = float.NaN;
        net.SetParams(args, aux);
        string prefix = Path.Combine(_folder, "nan");
        net.SaveCheckpoint(prefix, 1);

        using var loaded = new TinyMlp();
        loaded.Bind(2);
        var ex = Assert.Throws<InvalidDataException>(() => loaded.LoadCheckpoint(prefix, 1));
        Assert.Contains("element 1 of 'arg:fc2_bias'", ex.Message);
        loaded.LoadCheckpoint(prefix, 1, allowNonFinite: true);
        Assert.True(float.IsNaN(loaded.GetParams().ArgParams["fc2_bias"].Span[1]));
    }

    [Fact]
    public void A_tensor_past_2_GiB_saves_and_loads_in_both_formats()
    {
        // 2^29 + 16 floats: 2 GiB and 64 bytes, past what one span of bytes addresses.
        var values = new float[(1 << 29) + 16];
        values[0] = 1.5f;
        values[^1] = -2.5f;
        var tensor = new Tensor(values, values.Length);
        foreach (var format in new[] { CheckpointFormat.SafeTensors, CheckpointFormat.MXNet })
        {
            string path = Path.Combine(_folder, $"huge-{format}.params");
            CheckpointFile.Save(path, [new("arg:big", tensor)], format);
            var loaded = CheckpointFile.Load(path).Tensors.Single().Value;
            Assert.Equal((1 << 29) + 16, loaded.Length);
            Assert.Equal(1.5f, loaded.Span[0]);
            Assert.Equal(-2.5f, loaded.Span[^1]);
            File.Delete(path);
        }
    }

    // A safetensors file with the given header JSON and data bytes.
    private string Write(string name, string header, byte[] data)
    {
        string path = Path.Combine(_folder, name);
        byte[] json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
        json.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + json.Length);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [LibraryImport("libc", EntryPoint = "mkfifo", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MakeFifo(string path, int mode);
}

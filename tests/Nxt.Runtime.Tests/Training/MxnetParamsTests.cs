using System.Text;
using Nxt.Checkpoints;
using Nxt.Runtime.Tests.Networks;

namespace Nxt.Runtime.Tests.Training;

/// <summary>
/// MXNet's .params files of every version, written here byte by byte from the format (MXNet's
/// NDArray::Save and the legacy loaders of NDArray::Load), load into a module.
/// </summary>
public sealed class MxnetParamsTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "nxt-params-" + Guid.NewGuid().ToString("N"));

    public MxnetParamsTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public enum Layout
    {
        Legacy,   // no magic: uint32 rank, uint32 dims
        V1,       // 0xF993FAC8, int32 rank, int64 dims
        V2,       // 0xF993FAC9, storage type, int32 rank, int64 dims
        V3,       // 0xF993FACA, the same with numpy shape semantics
    }

    public static TheoryData<Layout, int> Versions()
    {
        var data = new TheoryData<Layout, int>();
        foreach (var layout in Enum.GetValues<Layout>())
        {
            foreach (int type in new[] { 0, 1, 2 }) // float32, float64, float16
            {
                data.Add(layout, type);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void Every_version_and_float_type_loads(Layout layout, int typeFlag)
    {
        using var source = new TinyResidual { Seed = 4 };
        source.InitParams(new Uniform(0.7f));
        var (args, aux) = source.GetParams();
        var arrays = args.Select(a => ("arg:" + a.Key, a.Value)).Concat(aux.Select(a => ("aux:" + a.Key, a.Value))).ToList();
        string prefix = Path.Combine(_folder, $"{layout}-{typeFlag}");
        File.WriteAllBytes(prefix + "-0003.params", Write(arrays, layout, typeFlag));

        using var loaded = new TinyResidual();
        loaded.LoadCheckpoint(prefix, 3);
        var (loadedArgs, loadedAux) = loaded.GetParams();
        double tolerance = typeFlag == 2 ? 1e-3 : 0; // float16 keeps 11 bits
        foreach (var (name, value) in args.Concat(aux))
        {
            var actual = loadedArgs.TryGetValue(name, out var a) ? a : loadedAux[name];
            TestData.AssertClose(value.Span, actual.Span, tolerance, tolerance, $"{layout} type {typeFlag}: {name}");
        }
    }

    [Fact]
    public void Gluon_save_parameters_keys_map_onto_arguments_and_auxiliary_states()
    {
        using var source = new TinyResidual { Seed = 5 };
        source.InitParams(new Uniform(0.7f));
        var (args, aux) = source.GetParams();

        // save_parameters writes structural names: conv1.weight, bn1.running_mean, ...
        static string Gluon(string name)
        {
            int cut = name.IndexOf('_', StringComparison.Ordinal);
            return (name[..cut] + "." + name[(cut + 1)..]).Replace("moving_", "running_", StringComparison.Ordinal);
        }

        var arrays = args.Concat(aux).Select(p => (Gluon(p.Key), p.Value)).ToList();
        Assert.Contains(arrays, a => a.Item1 == "bn1.running_mean");
        File.WriteAllBytes(Path.Combine(_folder, "gluon-0001.params"), Write(arrays, Layout.V2, 0));

        using var loaded = new TinyResidual();
        loaded.LoadCheckpoint(Path.Combine(_folder, "gluon"), 1);
        var (loadedArgs, loadedAux) = loaded.GetParams();
        Assert.Equal(args["conv1_weight"].ToArray(), loadedArgs["conv1_weight"].ToArray());
        Assert.Equal(aux["bn1_moving_mean"].ToArray(), loadedAux["bn1_moving_mean"].ToArray());
    }

    [Fact]
    public void An_rnn_s_flat_MXNet_parameters_split_into_its_four_named_parts()
    {
        using var source = new LstmNet { Seed = 6 };
        source.InitParams(new Uniform(0.7f));
        var (args, _) = source.GetParams();
        string[] parts = ["lstm_l0_i2h_weight", "lstm_l0_h2h_weight", "lstm_l0_i2h_bias", "lstm_l0_h2h_bias"];
        var flat = parts.SelectMany(p => args[p].ToArray()).ToArray();
        var arrays = args.Where(a => !parts.Contains(a.Key)).Select(a => ("arg:" + a.Key, a.Value)).Append(("arg:lstm_parameters", new Tensor(flat, flat.Length))).ToList();
        File.WriteAllBytes(Path.Combine(_folder, "rnn-0001.params"), Write(arrays, Layout.V2, 0));

        using var loaded = new LstmNet();
        loaded.LoadCheckpoint(Path.Combine(_folder, "rnn"), 1);
        foreach (var (name, value) in args)
        {
            Assert.Equal(value.ToArray(), loaded.GetParams().ArgParams[name].ToArray());
        }

        arrays[^1] = ("arg:lstm_parameters", new Tensor(flat[..^1], flat.Length - 1));
        File.WriteAllBytes(Path.Combine(_folder, "short-0001.params"), Write(arrays, Layout.V2, 0));
        using var other = new LstmNet();
        var error = Assert.Throws<InvalidDataException>(() => other.LoadCheckpoint(Path.Combine(_folder, "short"), 1));
        Assert.Contains($"'lstm_parameters' holds {flat.Length - 1} floats, but RNN 'lstm' of LstmNet takes {flat.Length} (lstm_l0_i2h_weight 60 + lstm_l0_h2h_weight 100 + lstm_l0_i2h_bias 20 + lstm_l0_h2h_bias 20)", error.Message);
        Assert.False(other.ParamsInitialized);
    }

    [Fact]
    public void A_stacked_bidirectional_rnn_s_flat_parameters_split_in_MXNet_s_order()
    {
        using var source = new StackedRecurrent { Seed = 6 };
        source.InitParams(new Uniform(0.7f));
        var (args, _) = source.GetParams();
        // MXNet's FusedRNNCell order: every layer's and direction's weights (i2h, h2h), then their biases.
        string[] parts =
        [
            "lstm_l0_i2h_weight", "lstm_l0_h2h_weight", "lstm_r0_i2h_weight", "lstm_r0_h2h_weight",
            "lstm_l1_i2h_weight", "lstm_l1_h2h_weight", "lstm_r1_i2h_weight", "lstm_r1_h2h_weight",
            "lstm_l0_i2h_bias", "lstm_l0_h2h_bias", "lstm_r0_i2h_bias", "lstm_r0_h2h_bias",
            "lstm_l1_i2h_bias", "lstm_l1_h2h_bias", "lstm_r1_i2h_bias", "lstm_r1_h2h_bias",
        ];
        Assert.Equal([16, 8], args["lstm_l1_i2h_weight"].Shape.ToArray());
        var flat = parts.SelectMany(p => args[p].ToArray()).ToArray();
        var arrays = args.Where(a => !parts.Contains(a.Key)).Select(a => ("arg:" + a.Key, a.Value)).Append(("arg:lstm_parameters", new Tensor(flat, flat.Length))).ToList();
        File.WriteAllBytes(Path.Combine(_folder, "stacked-0001.params"), Write(arrays, Layout.V2, 0));

        using var loaded = new StackedRecurrent();
        loaded.LoadCheckpoint(Path.Combine(_folder, "stacked"), 1);
        foreach (var (name, value) in args)
        {
            Assert.Equal(value.ToArray(), loaded.GetParams().ArgParams[name].ToArray());
        }
    }

    [Theory]
    [InlineData(1, 0, "row_sparse storage")]
    [InlineData(0, 3, "uint8 values")]
    public void Sparse_storage_and_integer_types_are_named_errors(int storage, int typeFlag, string expected)
    {
        var bytes = new List<byte>();
        bytes.AddRange(BitConverter.GetBytes(0x112UL));
        bytes.AddRange(BitConverter.GetBytes(0UL));
        bytes.AddRange(BitConverter.GetBytes(1UL));
        bytes.AddRange(BitConverter.GetBytes(0xF993FAC9u));
        bytes.AddRange(BitConverter.GetBytes(storage));
        bytes.AddRange(BitConverter.GetBytes(1));
        bytes.AddRange(BitConverter.GetBytes(2L));
        bytes.AddRange(BitConverter.GetBytes(1));
        bytes.AddRange(BitConverter.GetBytes(0));
        bytes.AddRange(BitConverter.GetBytes(typeFlag));
        bytes.AddRange(new byte[16]);
        string path = Path.Combine(_folder, "bad.params");
        File.WriteAllBytes(path, [.. bytes]);
        var error = Assert.Throws<InvalidDataException>(() => ParamsFile.Load(path));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void The_checkpoint_callback_writes_MXNet_files_when_asked()
    {
        using var net = new TinyMlp { Seed = 1 };
        var data = new Tensor(TestData.Random(40 * 6, 2), 40, 6);
        var labels = new Tensor(Enumerable.Range(0, 40).Select(i => (float)(i % 3)).ToArray(), 40);
        string prefix = Path.Combine(_folder, "mlp");
        net.Fit(new NDArrayIter(data, labels, 10), numEpoch: 1, epochEndCallback: TrainingCallbacks.Checkpoint(prefix, format: CheckpointFormat.MXNet), log: TextWriter.Null);
        Assert.True(ParamsFile.Looks(File.ReadAllBytes(prefix + "-0001.params").AsSpan(0, 8)));
    }

    // NDArray list: magic, reserved, the arrays in the chosen layout and float type, then the keys.
    internal static byte[] Write(IReadOnlyList<(string Key, Tensor Value)> arrays, Layout layout, int typeFlag)
    {
        using var stream = new MemoryStream();
        using var w = new BinaryWriter(stream);
        w.Write(0x112UL);
        w.Write(0UL);
        w.Write((ulong)arrays.Count);
        foreach (var (_, value) in arrays)
        {
            switch (layout)
            {
                case Layout.Legacy:
                    w.Write((uint)value.Rank);
                    foreach (int d in value.Shape)
                    {
                        w.Write((uint)d);
                    }

                    break;
                case Layout.V1:
                    w.Write(0xF993FAC8u);
                    WriteShape(w, value);
                    break;
                default:
                    w.Write(layout == Layout.V2 ? 0xF993FAC9u : 0xF993FACAu);
                    w.Write(0); // dense storage
                    WriteShape(w, value);
                    break;
            }

            w.Write(1); // cpu
            w.Write(0);
            w.Write(typeFlag);
            foreach (float v in value.Span)
            {
                switch (typeFlag)
                {
                    case 1:
                        w.Write((double)v);
                        break;
                    case 2:
                        w.Write((Half)v);
                        break;
                    default:
                        w.Write(v);
                        break;
                }
            }
        }

        w.Write((ulong)arrays.Count);
        foreach (var (key, _) in arrays)
        {
            var utf8 = Encoding.UTF8.GetBytes(key);
            w.Write((ulong)utf8.Length);
            w.Write(utf8);
        }

        w.Flush();
        return stream.ToArray();
    }

    private static void WriteShape(BinaryWriter w, Tensor value)
    {
        w.Write(value.Rank);
        foreach (int d in value.Shape)
        {
            w.Write((long)d);
        }
    }
}

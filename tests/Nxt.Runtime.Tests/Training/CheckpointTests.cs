using Nxt.Checkpoints;
using Nxt.Runtime.Tests.Networks;

namespace Nxt.Runtime.Tests.Training;

public class CheckpointTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("nxt-ckpt-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Prefix => Path.Combine(_folder, "tiny");

    [Fact]
    public void Save_then_load_restores_bit_identical_parameters()
    {
        using var saved = new TinyMlp { Seed = 11 };
        saved.InitParams(new Xavier());
        saved.SaveCheckpoint(Prefix, 3);
        Assert.True(File.Exists(Prefix + "-symbol.json"));
        Assert.True(File.Exists(Prefix + "-0003.params"));

        using var loaded = new TinyMlp();
        loaded.LoadCheckpoint(Prefix, 3);
        var (expected, _) = saved.GetParams();
        var (actual, _) = loaded.GetParams();
        foreach (var (name, value) in expected)
        {
            Assert.Equal(value.ToArray(), actual[name].ToArray());
        }

        Assert.Equal(TinyMlp.ToJson(), File.ReadAllText(Prefix + "-symbol.json"));
    }

    [Fact]
    public void Keys_are_MXNet_arg_and_aux_names()
    {
        using var net = new TinyMlp();
        net.InitParams();
        net.SaveCheckpoint(Prefix, 1);
        var keys = CheckpointFile.Load(Prefix + "-0001.params").Tensors.Select(p => p.Key).ToArray();
        Assert.Equal(["arg:fc1_weight", "arg:fc1_bias", "arg:fc2_weight", "arg:fc2_bias", "arg:fc3_weight", "arg:fc3_bias"], keys);
    }

    [Fact]
    public void The_parameters_file_is_plain_safetensors()
    {
        using var net = new TinyMlp { Seed = 3 };
        net.InitParams();
        net.SaveCheckpoint(Prefix, 1);
        var bytes = File.ReadAllBytes(Prefix + "-0001.params");
        // What Python's safetensors reads: a u64 header length, a JSON header, the data.
        long headerLength = BitConverter.ToInt64(bytes, 0);
        using var header = System.Text.Json.JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
        var weight = header.RootElement.GetProperty("arg:fc1_weight");
        Assert.Equal("F32", weight.GetProperty("dtype").GetString());
        Assert.Equal([5, 6], weight.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray());
        long begin = weight.GetProperty("data_offsets")[0].GetInt64();
        float first = BitConverter.ToSingle(bytes, (int)(8 + headerLength + begin));
        Assert.Equal(net.GetParams().ArgParams["fc1_weight"].Span[0], first);
        Assert.Equal(0, (8 + headerLength) % 8);
    }

    [Fact]
    public void The_MXNet_format_still_saves_and_loads()
    {
        using var saved = new TinyMlp { Seed = 5 };
        saved.InitParams();
        saved.SaveCheckpoint(Prefix, 2, format: CheckpointFormat.MXNet);
        Assert.Equal(0x112UL, BitConverter.ToUInt64(File.ReadAllBytes(Prefix + "-0002.params"), 0));
        using var loaded = new TinyMlp();
        loaded.LoadCheckpoint(Prefix, 2);
        Assert.Equal(saved.GetParams().ArgParams["fc3_bias"].ToArray(), loaded.GetParams().ArgParams["fc3_bias"].ToArray());
    }

    [Fact]
    public void A_truncated_file_is_an_error_and_leaves_the_module_as_it_was()
    {
        using var source = new TinyMlp { Seed = 1 };
        source.InitParams();
        source.SaveCheckpoint(Prefix, 1);
        string path = Prefix + "-0001.params";
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        using var target = new TinyMlp { Seed = 2 };
        target.InitParams();
        var before = target.GetParams().ArgParams["fc1_weight"].ToArray();
        var ex = Assert.Throws<InvalidDataException>(() => target.LoadCheckpoint(Prefix, 1));
        Assert.Contains(path, ex.Message);
        Assert.Equal(before, target.GetParams().ArgParams["fc1_weight"].ToArray());
    }

    [Fact]
    public void A_checkpoint_of_another_network_is_rejected_by_name_and_shape()
    {
        using var other = new ShapedNet();
        other.InitParams();
        other.SaveCheckpoint(Prefix, 1);
        using var net = new TinyMlp();
        var ex = Assert.Throws<InvalidDataException>(() => net.LoadCheckpoint(Prefix, 1));
        Assert.Contains("fc1_weight", ex.Message);
        Assert.False(net.ParamsInitialized);
    }

    [Fact]
    public void SetParams_checks_every_shape_before_copying_anything()
    {
        using var net = new TinyMlp();
        net.InitParams();
        var (args, _) = net.GetParams();
        var originalBias = args["fc1_bias"].ToArray();
        var changed = new Dictionary<string, Tensor>(args)
        {
            ["fc1_bias"] = new Tensor(Enumerable.Repeat(9f, 5).ToArray(), 5),
            ["fc3_weight"] = Tensor.Zeros(2, 2),
        };
        var ex = Assert.Throws<ArgumentException>(() => net.SetParams(changed));
        Assert.Contains("fc3_weight", ex.Message);
        Assert.Contains("(3,4)", ex.Message);
        Assert.Contains("(2,2)", ex.Message);
        Assert.Equal(originalBias, net.GetParams().ArgParams["fc1_bias"].ToArray());
    }

    [Fact]
    public void A_bad_magic_and_oversized_counts_are_rejected_without_trusting_the_file()
    {
        string path = Path.Combine(_folder, "bad.params");
        File.WriteAllBytes(path, new byte[] { 1, 2, 3 });
        Assert.Throws<InvalidDataException>(() => ParamsFile.Load(path));

        var huge = new byte[24];
        BitConverter.GetBytes(0x112UL).CopyTo(huge, 0);
        BitConverter.GetBytes(ulong.MaxValue).CopyTo(huge, 16);
        File.WriteAllBytes(path, huge);
        var ex = Assert.Throws<InvalidDataException>(() => ParamsFile.Load(path));
        Assert.Contains("claims", ex.Message);
    }
}

/// <summary>The MXNet fine-tuning recipe: a trained body, a renamed last layer for a new task.</summary>
public class FineTuneTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("nxt-finetune-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_renamed_last_layer_is_initialised_afresh_and_the_body_is_loaded()
    {
        string prefix = Path.Combine(_folder, "pretrained");
        using var pretrained = new TinyMlp { Seed = 1 };
        pretrained.InitParams(new Xavier());
        pretrained.SaveCheckpoint(prefix, 1);

        var (args, _) = CheckpointFileArgs(prefix);
        using var tuned = new TinyMlpForFiveClasses { Seed = 2 };
        tuned.InitParams(new Xavier(), args, allowMissing: true, allowExtra: true);
        var tunedParams = tuned.GetParams().ArgParams;
        Assert.Equal(pretrained.GetParams().ArgParams["fc2_weight"].ToArray(), tunedParams["fc2_weight"].ToArray());
        Assert.Equal([5, 4], tunedParams["head_weight"].Shape.ToArray());
        Assert.Contains(tunedParams["head_weight"].ToArray(), v => v != 0); // freshly initialised, not left at zero
        Assert.Throws<ArgumentException>(() => tuned.InitParams(new Xavier(), args)); // without allowMissing/allowExtra
        Assert.Equal(tunedParams["head_weight"].ToArray(), tuned.GetParams().ArgParams["head_weight"].ToArray()); // unchanged by the failure
    }

    private static (Dictionary<string, Tensor> Args, Dictionary<string, Tensor> Aux) CheckpointFileArgs(string prefix)
    {
        var args = new Dictionary<string, Tensor>();
        foreach (var (key, value) in CheckpointFile.Load(prefix + "-0001.params").Tensors)
        {
            args[key[4..]] = value;
        }

        return (args, []);
    }
}

/// <summary>TinyMlp's body with a new five-class head under a new name.</summary>
[Network]
public partial class TinyMlpForFiveClasses
{
    [Input(6)]                 Tensor data;
    [FullyConnected(5)]        Tensor fc1;
    [Activation(Act.Tanh)]     Tensor tanh1;
    [FullyConnected(4)]        Tensor fc2;
    [Activation(Act.Sigmoid)]  Tensor sig2;
    [FullyConnected(5)]        Tensor head;
    [SoftmaxOutput]            Tensor softmax;
}

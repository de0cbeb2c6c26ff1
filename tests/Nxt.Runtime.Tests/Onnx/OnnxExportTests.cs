using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Nxt.Runtime.Tests.Networks;
using Nxt.Runtime.Tests.Training;

namespace Nxt.Runtime.Tests.Onnx;

/// <summary>ONNX Runtime, an independent implementation, must predict what Nxt predicts from the exported model.</summary>
public class OnnxExportTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("nxt-onnx-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void The_Fashion_MNIST_MLP_predicts_the_same_in_ONNX_Runtime()
    {
        Assert.True(FashionMnist.IsAvailable(), "Fashion-MNIST is missing: apt-get install dataset-fashion-mnist");
        var data = FashionMnist.Load();
        using var net = new ReadmeMlp { Seed = 1 };
        net.Fit(new NDArrayIter(data.TrainImages.Reshape(-1, 784), data.TrainLabels, 100, shuffle: true), numEpoch: 1, optimizer: new Sgd(0.1f, 0.9f), initializer: new Xavier(), log: TextWriter.Null);
        var images = new Tensor(data.TestImages.Span[..(500 * 784)].ToArray(), 500, 784);
        double difference = MaxDifference(net, images);
        Assert.True(difference <= 1e-4, $"max |Nxt - ONNX Runtime| = {difference}");
    }

    public static TheoryData<string> Networks() => new() { nameof(TinyResidual), nameof(TinyInception), nameof(ShapedNet), nameof(IgnoreNet), nameof(DenseBatchNormNet), nameof(BlockNet), nameof(ElementwiseZoo), nameof(OperatorZoo), nameof(FactorizedConvNet), nameof(SequenceLastNet), nameof(LstmNet), nameof(AxisZoo), nameof(LayerNormNet), nameof(ReduceZoo), nameof(DeconvNet), nameof(UpSamplingNet), nameof(InstanceNormNet), nameof(RecurrentZoo), nameof(StackedRecurrent), nameof(FinalStates), nameof(BilinearUpNet), nameof(BroadcastZoo), nameof(AttentionNet), nameof(PadZoo), nameof(SpatialReduce), nameof(DotNet), nameof(SliceZoo) };

    [Theory]
    [MemberData(nameof(Networks))]
    public void Every_exportable_operator_predicts_the_same_in_ONNX_Runtime(string network)
    {
        using Module net = network switch
        {
            nameof(TinyResidual) => new TinyResidual(),
            nameof(TinyInception) => new TinyInception(),
            nameof(ShapedNet) => new ShapedNet(),
            nameof(IgnoreNet) => new IgnoreNet(),
            nameof(DenseBatchNormNet) => new DenseBatchNormNet(),
            nameof(ElementwiseZoo) => new ElementwiseZoo(),
            nameof(OperatorZoo) => new OperatorZoo(),
            nameof(FactorizedConvNet) => new FactorizedConvNet(),
            nameof(SequenceLastNet) => new SequenceLastNet(),
            nameof(LstmNet) => new LstmNet(),
            nameof(AxisZoo) => new AxisZoo(),
            nameof(LayerNormNet) => new LayerNormNet(),
            nameof(DeconvNet) => new DeconvNet(),
            nameof(UpSamplingNet) => new UpSamplingNet(),
            nameof(InstanceNormNet) => new InstanceNormNet(),
            nameof(RecurrentZoo) => new RecurrentZoo(),
            nameof(StackedRecurrent) => new StackedRecurrent(),
            nameof(FinalStates) => new FinalStates(),
            nameof(BilinearUpNet) => new BilinearUpNet(),
            nameof(BroadcastZoo) => new BroadcastZoo(),
            nameof(AttentionNet) => new AttentionNet(),
            nameof(PadZoo) => new PadZoo(),
            nameof(SpatialReduce) => new SpatialReduce(),
            nameof(DotNet) => new DotNet(),
            nameof(SliceZoo) => new SliceZoo(),
            nameof(ReduceZoo) => new ReduceZoo(),
            _ => new BlockNet(),
        };
        net.Seed = 5;
        net.InitParams(new Uniform(0.5f));
        // Moving statistics away from their 0/1 start, so that BatchNorm's export is really tested.
        var (args, aux) = net.GetParams();
        foreach (var (name, value) in aux)
        {
            var span = value.Span;
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = name.EndsWith("_var", StringComparison.Ordinal) ? 0.5f + (0.1f * i) : 0.05f * i;
            }
        }

        net.SetParams(args, aux);
        var shape = net.Description.Data.ShapeFor(6);
        var input = new Tensor(TestData.Random(shape.Aggregate(1, (a, b) => a * b), 9), shape);
        double difference = MaxDifference(net, input);
        Assert.True(difference <= 1e-4, $"{network}: max |Nxt - ONNX Runtime| = {difference}");
    }

    [Fact]
    public void An_embedding_exports_as_a_cast_and_a_gather_that_ONNX_Runtime_runs_alike()
    {
        using var net = new EmbeddingNet { Seed = 5 };
        net.InitParams(new Uniform(0.5f));
        double difference = MaxDifference(net, EmbeddingNet.Batch(6, 3).Data);
        Assert.True(difference <= 1e-5, $"max |Nxt - ONNX Runtime| = {difference}");
    }

    [Fact]
    public void Recurrent_layers_started_from_given_states_predict_the_same_in_ONNX_Runtime()
    {
        using var net = new SeededRecurrent { Seed = 5 };
        net.InitParams(new Uniform(0.5f));
        var inputs = net.Description.Inputs.Select((d, i) => new Tensor(TestData.Random(6 * d.SampleLength, (ulong)(20 + i)), [.. d.ShapeFor(6)])).ToArray();
        net.Bind(6);
        net.Forward(new DataBatch(inputs, null), isTrain: false);
        var expected = net.GetOutputs()[0].ToArray();
        string path = Path.Combine(_folder, "seeded.onnx");
        net.ExportOnnx(path);
        using var session = new InferenceSession(path);
        var feeds = net.Description.Inputs.Select((d, i) => NamedOnnxValue.CreateFromTensor(d.Name, new DenseTensor<float>(inputs[i].ToArray(), inputs[i].Shape.ToArray()))).ToList();
        using var results = session.Run(feeds);
        var actual = results[0].AsEnumerable<float>().ToArray();
        double difference = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(difference <= 1e-4, $"max |Nxt - ONNX Runtime| = {difference}");
    }

    [Fact]
    public void Custom_operators_are_refused_with_the_node_named()
    {
        using var net = new CustomNet();
        net.InitParams();
        var ex = Assert.Throws<NotSupportedException>(() => net.ExportOnnx(Path.Combine(_folder, "custom.onnx")));
        Assert.Contains("'square'", ex.Message);
    }

    [Fact]
    public void Large_parameters_go_to_external_data_that_ONNX_Runtime_reads()
    {
        // The threshold (256 MiB in use) lowered, so that a small network takes the path a model
        // past protobuf's 2 GiB takes: its larger weights in PATH.data beside the model.
        long threshold = Nxt.Onnx.OnnxExporter.ExternalDataThreshold;
        Nxt.Onnx.OnnxExporter.ExternalDataThreshold = 256;
        try
        {
            using var net = new TinyInception();
            net.Seed = 6;
            net.InitParams(new Uniform(0.5f));
            var shape = net.Description.Data.ShapeFor(4);
            var input = new Tensor(TestData.Random(shape.Aggregate(1, (a, b) => a * b), 10), shape);
            double difference = MaxDifference(net, input);
            string data = Path.Combine(_folder, nameof(TinyInception) + ".onnx.data");
            Assert.True(File.Exists(data), "no external data file was written");
            Assert.True(new FileInfo(data).Length > 256);
            Assert.True(difference <= 1e-4, $"max |Nxt - ONNX Runtime| = {difference}");
        }
        finally
        {
            Nxt.Onnx.OnnxExporter.ExternalDataThreshold = threshold;
        }
    }

    [Fact]
    public void Several_inputs_outputs_and_a_variable_predict_the_same_in_ONNX_Runtime()
    {
        foreach (var net in new Module[] { new TwoInputTwoHead { Seed = 3 }, new ShiftedMlp { Seed = 4 } })
        {
            using var _ = net;
            net.Bind(5, forTraining: false);
            net.InitParams(new Uniform(0.5f));
            var batch = Gpu.DeviceComparison.RandomBatch(net, 5);
            net.Forward(batch, isTrain: false);
            string path = Path.Combine(_folder, net.GetType().Name + ".onnx");
            net.ExportOnnx(path);
            using var session = new InferenceSession(path);
            var feeds = net.Description.Inputs.Select((input, i) => NamedOnnxValue.CreateFromTensor(input.Name, new DenseTensor<float>(batch.Inputs[i].ToArray(), batch.Inputs[i].Shape.ToArray()))).ToList();
            using var results = session.Run(feeds);
            Assert.Equal(net.Description.Outputs.Count, results.Count);
            for (int o = 0; o < results.Count; o++)
            {
                var actual = results[o].AsEnumerable<float>().ToArray();
                TestData.AssertClose(net.GetOutputs()[o].Span, actual, 1e-4, 1e-4, $"{net.GetType().Name} output {o}");
            }
        }
    }

    [Fact]
    public void A_sequence_mask_exports_as_step_indices_below_the_lengths_that_ONNX_Runtime_runs_alike()
    {
        using var net = new MaskedSequence { Seed = 3 };
        var batch = MaskedSequence.Batch(2, 0, 9, 3.9f, -1, 5);
        net.Bind(6, forTraining: false);
        net.InitParams(new Uniform(0.5f));
        net.Forward(batch, isTrain: false);
        string path = Path.Combine(_folder, nameof(MaskedSequence) + ".onnx");
        net.ExportOnnx(path);
        using var session = new InferenceSession(path);
        var feeds = net.Description.Inputs.Select((input, i) => NamedOnnxValue.CreateFromTensor(input.Name, new DenseTensor<float>(batch.Inputs[i].ToArray(), batch.Inputs[i].Shape.ToArray()))).ToList();
        using var results = session.Run(feeds);
        TestData.AssertClose(net.GetOutputs()[0].Span, results[0].AsEnumerable<float>().ToArray(), 1e-4, 1e-4, nameof(MaskedSequence));
    }

    private double MaxDifference(Module net, Tensor input)
    {
        string path = Path.Combine(_folder, net.GetType().Name + ".onnx");
        net.ExportOnnx(path);
        var expected = net.Predict(input);
        using var session = new InferenceSession(path);
        var feed = new DenseTensor<float>(input.ToArray(), input.Shape.ToArray());
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(net.Description.Data.Name, feed)]);
        var actual = results[0].AsEnumerable<float>().ToArray();
        Assert.Equal(expected.Length, actual.Length);
        return expected.ToArray().Zip(actual, (e, a) => Math.Abs(e - a)).Max();
    }
}

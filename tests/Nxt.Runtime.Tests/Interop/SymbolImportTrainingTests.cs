using Nxt.Runtime.Tests.Training;

namespace Nxt.Runtime.Tests.Interop;

/// <summary>Networks imported from MXNet symbol files at build time train, save and load as declared ones do.</summary>
public sealed class SymbolImportTrainingTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "nxt-import-" + Guid.NewGuid().ToString("N"));

    public SymbolImportTrainingTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void The_imported_MLP_has_MXNet_s_argument_names_and_learns_Fashion_MNIST()
    {
        Assert.True(FashionMnist.IsAvailable(), $"Fashion-MNIST is missing from {FashionMnist.DefaultDirectory}: install it with 'apt-get install dataset-fashion-mnist' (.ci/run does).");
        Assert.Equal(["data", "fc1_weight", "fc1_bias", "fc2_weight", "fc2_bias", "fc3_weight", "fc3_bias", "softmax_label"], ImportedMlp.ArgumentNames);
        Assert.Contains("\"op\": \"Dropout\"", ImportedMlp.ToJson());

        var data = FashionMnist.Load();
        var train = new NDArrayIter(TestData.Rows(data.TrainImages, 20000).Reshape(-1, 784), TestData.Rows(data.TrainLabels, 20000), 100, shuffle: true, seed: 2);
        var test = new NDArrayIter(data.TestImages.Reshape(-1, 784), data.TestLabels, 500);
        // Three epochs: after two, seeds 1-8 ended anywhere from 0.77 to 0.82, and a change of the
        // dense layers' summation order (the packed GEMM instead of dot products) moved seed 3
        // from 0.810 to 0.7997; after three they end between 0.80 and 0.83.
        using var net = new ImportedMlp { Seed = 3 };
        net.Fit(train, numEpoch: 3, optimizer: new Sgd(0.1f, momentum: 0.9f), initializer: new Xavier(), log: TextWriter.Null);
        double accuracy = net.Score(test);
        Assert.True(accuracy >= 0.80, $"test accuracy {accuracy:F4}");
    }

    [Fact]
    public void The_imported_conv_net_is_the_declared_one_and_loads_an_MXNet_params_file()
    {
        Assert.Equal(DeclaredConvNet.ArgumentNames, ImportedConvNet.ArgumentNames);
        Assert.Equal(DeclaredConvNet.AuxiliaryStateNames, ImportedConvNet.AuxiliaryStateNames);
        Assert.Equal(DeclaredConvNet.PlannedBytesPerSample, ImportedConvNet.PlannedBytesPerSample);
        Assert.Equal(DeclaredConvNet.ForwardKernelCount, ImportedConvNet.ForwardKernelCount);

        // Parameters as MXNet's save_checkpoint writes them (NDArray list V2, arg:/aux: keys).
        using var source = new DeclaredConvNet { Seed = 6 };
        source.InitParams(new Xavier());
        var (args, aux) = source.GetParams();
        var arrays = args.Select(a => ("arg:" + a.Key, a.Value)).Concat(aux.Select(a => ("aux:" + a.Key, a.Value))).ToList();
        string prefix = Path.Combine(_folder, "convnet");
        File.WriteAllBytes(prefix + "-0004.params", MxnetParamsTests.Write(arrays, MxnetParamsTests.Layout.V2, 0));

        using var imported = ImportedConvNet.Load(prefix, 4);
        imported.Bind(8, forTraining: false);
        source.Bind(8, forTraining: false);
        var images = new Tensor(TestData.Random(8 * 784, 7), 8, 1, 28, 28);
        imported.Forward(new DataBatch(images, null), isTrain: false);
        source.Forward(new DataBatch(images, null), isTrain: false);
        Assert.Equal(source.GetOutputs()[0].ToArray(), imported.GetOutputs()[0].ToArray());
    }
}

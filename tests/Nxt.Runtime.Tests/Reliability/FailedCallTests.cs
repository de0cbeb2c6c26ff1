using Nxt.Runtime.Tests.Networks;

namespace Nxt.Runtime.Tests.Reliability;

/// <summary>A call that fails changes nothing: the module keeps its parameters and its optimizer.</summary>
public sealed class FailedCallTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("nxt-failed-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Loading_another_optimizers_states_leaves_the_parameters_as_they_were()
    {
        string prefix = SaveWithAdamStates();
        using var net = new TinyMlp { Seed = 2 };
        net.Bind(4);
        net.InitParams(new Uniform(0.5f));
        net.InitOptimizer(new Sgd(0.1f, momentum: 0.9f));
        var before = net.GetParams().ArgParams["fc1_weight"].ToArray();

        var ex = Assert.Throws<InvalidDataException>(() => net.LoadCheckpoint(prefix, 1, loadOptimizerStates: true));
        Assert.Contains("Adam", ex.Message);
        Assert.Equal(before, net.GetParams().ArgParams["fc1_weight"].ToArray());
    }

    [Fact]
    public void An_optimizer_the_loaded_states_do_not_fit_is_not_installed()
    {
        string prefix = SaveWithAdamStates();
        using var net = new TinyMlp { Seed = 2 };
        net.Bind(4);
        net.InitParams(new Uniform(0.5f));
        net.LoadCheckpoint(prefix, 1, loadOptimizerStates: true); // states wait for an optimizer

        Assert.Throws<InvalidDataException>(() => net.InitOptimizer(new Sgd(0.1f, momentum: 0.9f)));
        Assert.Null(net.Optimizer);
        net.InitOptimizer(new Adam(0.01f));
        Assert.IsType<Adam>(net.Optimizer);
    }

    private string SaveWithAdamStates()
    {
        string prefix = Path.Combine(_folder, "adam");
        using var net = new TinyMlp { Seed = 1 };
        net.Bind(4);
        net.InitParams(new Uniform(0.5f));
        net.InitOptimizer(new Adam(0.01f));
        net.SaveCheckpoint(prefix, 1, saveOptimizerStates: true);
        return prefix;
    }
}

/// <summary>A module serves one thread at a time; two modules train side by side.</summary>
public class ThreadUseTests
{
    [Fact]
    public async Task A_second_thread_inside_a_busy_module_gets_a_clear_error()
    {
        using var net = new TinyMlp { Seed = 4 };
        var iter = new NDArrayIter(new Tensor(TestData.Random(16 * 6, 5), 16, 6), new Tensor(new float[16], 16), 4);
        using var inside = new SemaphoreSlim(0);
        using var release = new SemaphoreSlim(0);
        var fit = Task.Run(() => net.Fit(iter, numEpoch: 1, log: TextWriter.Null, batchEndCallback: _ =>
        {
            inside.Release();
            release.Wait();
        }));

        await inside.WaitAsync();
        var other = await Task.Run(() => Record.Exception(() => net.Forward(new DataBatch(new Tensor(new float[24], 4, 6), new Tensor(new float[4], 4)))));
        release.Release(10);
        await fit;
        var error = Assert.IsType<InvalidOperationException>(other);
        Assert.Contains("another thread is using the module", error.Message);

        net.Forward(new DataBatch(new Tensor(new float[24], 4, 6), new Tensor(new float[4], 4))); // free again once Fit returns
    }

    [Fact]
    public async Task Two_modules_train_on_two_threads_as_they_would_alone()
    {
        static float[] Train()
        {
            using var net = new TinyMlp { Seed = 9 };
            var iter = new NDArrayIter(new Tensor(TestData.Random(32 * 6, 6), 32, 6), new Tensor(Enumerable.Range(0, 32).Select(i => (float)(i % 3)).ToArray(), 32), 8);
            net.Fit(iter, numEpoch: 2, optimizer: new Sgd(0.1f), log: TextWriter.Null);
            return net.GetParams().ArgParams["fc1_weight"].ToArray();
        }

        var alone = Train();
        var both = await Task.WhenAll(Task.Run(Train), Task.Run(Train));
        TestData.AssertClose(alone, both[0], 1e-5, 1e-4, "first of two");
        TestData.AssertClose(alone, both[1], 1e-5, 1e-4, "second of two");
    }
}

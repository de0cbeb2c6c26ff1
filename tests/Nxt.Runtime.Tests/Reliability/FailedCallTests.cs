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

using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Nxt.Benchmarks;

/// <summary>
/// Generated element-wise kernels against one kernel per operator (<c>[Network(Fuse = false)]</c>),
/// one training step (forward, backward, SGD update) each, batch 64: a swish MLP
/// (784-512-512-10, <c>x · sigmoid(x)</c> after each hidden layer), a transformer-style
/// feed-forward tail (256 → 1024 with GELU → 256, scaled by 0.5, plus the block's input) and a
/// PReLU after the sum of two dense layers (784 → 512 twice, times a learned <c>[Variable]</c> scale)
/// and a small convolutional net with swish after each convolution (3×32×32, 32 and 64 filters).
/// <c>dotnet run -c Release --project bench/Nxt.Benchmarks -- --filter '*GeneratedKernel*'</c>;
/// the kernel counts and planned bytes: <c>... -- generated-kernels</c>.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class GeneratedKernelBenchmarks
{
    private const int Batch = 64;
    private readonly List<Module> _modules = new();
    private Module _swish = null!, _swishUnfused = null!, _tail = null!, _tailUnfused = null!, _prelu = null!, _preluUnfused = null!, _conv = null!, _convUnfused = null!;
    private DataBatch _images = null!, _tokens = null!, _pictures = null!;

    [GlobalSetup]
    public void Setup()
    {
        _images = RandomBatch(784, 10, seed: 1);
        _tokens = RandomBatch(256, 8, seed: 2);
        _swish = Bind(new SwishMlp());
        _swishUnfused = Bind(new UnfusedSwishMlp());
        _tail = Bind(new FeedForwardTail());
        _tailUnfused = Bind(new UnfusedFeedForwardTail());
        _prelu = Bind(new PReluResidual());
        _preluUnfused = Bind(new UnfusedPReluResidual());
        _pictures = RandomBatch(3 * 32 * 32, 10, seed: 3, [3, 32, 32]);
        _conv = Bind(new SwishConvNet());
        _convUnfused = Bind(new UnfusedSwishConvNet());
    }

    [GlobalCleanup]
    public void Cleanup() => _modules.ForEach(m => m.Dispose());

    [Benchmark(Baseline = true), BenchmarkCategory("swish MLP")]
    public void SwishUnfused() => Step(_swishUnfused, _images);

    [Benchmark, BenchmarkCategory("swish MLP")]
    public void SwishGenerated() => Step(_swish, _images);

    [Benchmark(Baseline = true), BenchmarkCategory("feed-forward tail")]
    public void TailUnfused() => Step(_tailUnfused, _tokens);

    [Benchmark, BenchmarkCategory("feed-forward tail")]
    public void TailGenerated() => Step(_tail, _tokens);

    [Benchmark(Baseline = true), BenchmarkCategory("PReLU after an add")]
    public void PReluUnfused() => Step(_preluUnfused, _images);

    [Benchmark, BenchmarkCategory("PReLU after an add")]
    public void PReluGenerated() => Step(_prelu, _images);

    [Benchmark(Baseline = true), BenchmarkCategory("swish conv net")]
    public void ConvUnfused() => Step(_convUnfused, _pictures);

    [Benchmark, BenchmarkCategory("swish conv net")]
    public void ConvGenerated() => Step(_conv, _pictures);

    /// <summary>The table RESULTS.md shows: kernels and planned bytes per sample, generated and unfused.</summary>
    public static void PrintPlans()
    {
        Console.WriteLine("| Network | Forward kernels (generated / unfused) | Planned bytes per sample (generated / unfused) |");
        Console.WriteLine("|---|--:|--:|");
        Console.WriteLine($"| swish MLP 784-512-512-10 | {SwishMlp.ForwardKernelCount} / {UnfusedSwishMlp.ForwardKernelCount} | {SwishMlp.PlannedBytesPerSample:N0} / {UnfusedSwishMlp.PlannedBytesPerSample:N0} |");
        Console.WriteLine($"| feed-forward tail 256-1024-256 | {FeedForwardTail.ForwardKernelCount} / {UnfusedFeedForwardTail.ForwardKernelCount} | {FeedForwardTail.PlannedBytesPerSample:N0} / {UnfusedFeedForwardTail.PlannedBytesPerSample:N0} |");
        Console.WriteLine($"| PReLU after an add 784-512(x2)-10 | {PReluResidual.ForwardKernelCount} / {UnfusedPReluResidual.ForwardKernelCount} | {PReluResidual.PlannedBytesPerSample:N0} / {UnfusedPReluResidual.PlannedBytesPerSample:N0} |");
        Console.WriteLine($"| swish conv net 3x32x32 | {SwishConvNet.ForwardKernelCount} / {UnfusedSwishConvNet.ForwardKernelCount} | {SwishConvNet.PlannedBytesPerSample:N0} / {UnfusedSwishConvNet.PlannedBytesPerSample:N0} |");
    }

    private static void Step(Module net, DataBatch batch)
    {
        net.ForwardBackward(batch);
        net.Update();
    }

    private Module Bind(Module net)
    {
        net.Seed = 3;
        net.Bind(Batch);
        net.InitParams(new Mixed((".*_scale", new Uniform(1f)), (".*", new Xavier())));
        net.InitOptimizer(new Sgd(0.05f, momentum: 0.9f));
        _modules.Add(net);
        return net;
    }

    private static DataBatch RandomBatch(int width, int classes, ulong seed, int[]? shape = null)
    {
        var random = new RandomSource(seed);
        var data = new Tensor(Enumerable.Range(0, Batch * width).Select(_ => random.NextFloat() - 0.5f).ToArray(), [Batch, .. shape ?? [width]]);
        var label = new Tensor(Enumerable.Range(0, Batch).Select(i => (float)(i % classes)).ToArray(), Batch);
        return new DataBatch(data, label);
    }
}

/// <summary>Two swish layers: <c>x · sigmoid(x)</c> after each dense layer.</summary>
[Block]
public partial class SwishBody
{
    [BlockInput]                        Tensor data;
    [FullyConnected(512)]               Tensor fc1;
    [Activation(Act.Sigmoid)]           Tensor gate1;
    [Mul(nameof(fc1), nameof(gate1))]   Tensor swish1;
    [FullyConnected(512)]               Tensor fc2;
    [Activation(Act.Sigmoid)]           Tensor gate2;
    [Mul(nameof(fc2), nameof(gate2))]   Tensor swish2;
    [FullyConnected(10)]                Tensor head;
}

[Network]
public partial class SwishMlp
{
    [Input(784)]            Tensor data;
    [Use<SwishBody>]        Tensor body;
    [SoftmaxOutput]         Tensor softmax;
}

[Network(Fuse = false)]
public partial class UnfusedSwishMlp
{
    [Input(784)]            Tensor data;
    [Use<SwishBody>]        Tensor body;
    [SoftmaxOutput]         Tensor softmax;
}

/// <summary>A transformer block's feed-forward half: dense up, GELU, dense down, scale, residual add.</summary>
[Block]
public partial class FeedForwardBody
{
    [BlockInput]                            Tensor data;
    [FullyConnected(1024)]                  Tensor up;
    [LeakyReLU(LeakyAct.Gelu)]              Tensor gelu;
    [FullyConnected(256)]                   Tensor down;
    [Mul(Scalar = 0.5)]                     Tensor scaled;
    [Add(nameof(scaled), nameof(data))]     Tensor residual;
    [FullyConnected(8)]                     Tensor head;
}

[Network]
public partial class FeedForwardTail
{
    [Input(256)]                Tensor data;
    [Use<FeedForwardBody>]      Tensor body;
    [SoftmaxOutput]             Tensor softmax;
}

[Network(Fuse = false)]
public partial class UnfusedFeedForwardTail
{
    [Input(256)]                Tensor data;
    [Use<FeedForwardBody>]      Tensor body;
    [SoftmaxOutput]             Tensor softmax;
}

/// <summary>PReLU after the sum of two dense layers, times a learned per-feature scale (a <c>[Variable]</c>).</summary>
[Block]
public partial class PReluResidualBody
{
    [BlockInput]                                Tensor data;
    [FullyConnected(512)]                       Tensor fc1;
    [FullyConnected(512, From = nameof(data))]  Tensor skip;
    [Add(nameof(fc1), nameof(skip))]            Tensor sum;
    [LeakyReLU(LeakyAct.PRelu)]                 Tensor prelu;
    [Variable(512)]                             Tensor scale;
    [Mul(nameof(prelu), nameof(scale))]         Tensor scaled;
    [FullyConnected(10)]                        Tensor head;
}

[Network]
public partial class PReluResidual
{
    [Input(784)]                Tensor data;
    [Use<PReluResidualBody>]    Tensor body;
    [SoftmaxOutput]             Tensor softmax;
}

[Network(Fuse = false)]
public partial class UnfusedPReluResidual
{
    [Input(784)]                Tensor data;
    [Use<PReluResidualBody>]    Tensor body;
    [SoftmaxOutput]             Tensor softmax;
}

/// <summary>Two convolutions with swish (<c>x · sigmoid(x)</c>) after each, max pooling and a dense head.</summary>
[Block]
public partial class SwishConvBody
{
    [BlockInput]                                    Tensor data;
    [Convolution(32, Kernel = 3, Pad = 1)]          Tensor conv1;
    [Activation(Act.Sigmoid)]                       Tensor gate1;
    [Mul(nameof(conv1), nameof(gate1))]             Tensor swish1;
    [Pooling(Pool.Max, Kernel = 2, Stride = 2)]     Tensor pool1;
    [Convolution(64, Kernel = 3, Pad = 1)]          Tensor conv2;
    [Activation(Act.Sigmoid)]                       Tensor gate2;
    [Mul(nameof(conv2), nameof(gate2))]             Tensor swish2;
    [Pooling(Pool.Max, Kernel = 2, Stride = 2)]     Tensor pool2;
    [FullyConnected(10)]                            Tensor head;
}

[Network]
public partial class SwishConvNet
{
    [Input(3, 32, 32)]          Tensor data;
    [Use<SwishConvBody>]        Tensor body;
    [SoftmaxOutput]             Tensor softmax;
}

[Network(Fuse = false)]
public partial class UnfusedSwishConvNet
{
    [Input(3, 32, 32)]          Tensor data;
    [Use<SwishConvBody>]        Tensor body;
    [SoftmaxOutput]             Tensor softmax;
}

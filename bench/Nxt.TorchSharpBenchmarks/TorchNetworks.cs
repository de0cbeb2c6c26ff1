using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using TorchTensor = TorchSharp.torch.Tensor;

namespace Nxt.TorchSharpBenchmarks;

/// <summary>The same networks in TorchSharp, trained the way its tutorials train them.</summary>
internal static class TorchNetworks
{
    public static Sequential Mlp() => Sequential(
        ("fc1", Linear(784, 128)), ("relu1", ReLU()),
        ("fc2", Linear(128, 64)), ("relu2", ReLU()),
        ("fc3", Linear(64, 10)));

    public static Sequential LeNet() => Sequential(
        ("conv1", Conv2d(1, 20, 5)), ("relu1", ReLU()), ("pool1", MaxPool2d(2, 2)),
        ("conv2", Conv2d(20, 50, 5)), ("relu2", ReLU()), ("pool2", MaxPool2d(2, 2)),
        ("flat", Flatten()),
        ("fc1", Linear(800, 500)), ("relu3", ReLU()),
        ("fc2", Linear(500, 10)));

    public static Sequential TutorialNet() => Sequential(
        ("conv1", Conv2d(3, 128, 3, padding: 1)), ("bn1", BatchNorm2d(128)), ("relu1", ReLU()),
        ("pool1", MaxPool2d(2, 2)), ("flat", Flatten()),
        ("fc1", Linear(128 * 112 * 112, 2)));

    public static Sequential BatchNormNet() => Sequential(
        ("conv1", Conv2d(3, 32, 3, padding: 1, bias: false)), ("bn1", BatchNorm2d(32)), ("relu1", ReLU()), ("pool1", MaxPool2d(2, 2)),
        ("conv2", Conv2d(32, 64, 3, padding: 1, bias: false)), ("bn2", BatchNorm2d(64)), ("relu2", ReLU()), ("pool2", MaxPool2d(2, 2)),
        ("conv3", Conv2d(64, 128, 3, padding: 1, bias: false)), ("bn3", BatchNorm2d(128)), ("relu3", ReLU()),
        ("flat", Flatten()),
        ("fc", Linear(128 * 8 * 8, 10)));

    public static Sequential WideMlp() => Sequential(
        ("fc1", Linear(784, 1024)), ("relu1", ReLU()),
        ("fc2", Linear(1024, 1024)), ("relu2", ReLU()),
        ("fc3", Linear(1024, 10)));
}

/// <summary>One TorchSharp model with its SGD optimizer and one batch, ready to step.</summary>
internal sealed class TorchTrainer : IDisposable
{
    private readonly Sequential _model;
    private readonly optim.Optimizer _optimizer;
    private readonly TorchTensor _data;
    private readonly TorchTensor _labels;

    public TorchTrainer(Sequential model, float[] data, long[] shape, float[] labels, double learningRate, double weightDecay = 0)
    {
        _model = model;
        _optimizer = optim.SGD(model.parameters(), learningRate, momentum: 0.9, weight_decay: weightDecay);
        _data = tensor(data).reshape(shape);
        _labels = tensor(labels.Select(l => (long)l).ToArray());
    }

    public void Load(ReadOnlySpan<float> data, ReadOnlySpan<float> labels)
    {
        using var scope = NewDisposeScope();
        _data.copy_(tensor(data.ToArray()).reshape(_data.shape));
        _labels.copy_(tensor(labels.ToArray().Select(l => (long)l).ToArray()));
    }

    /// <summary>zero_grad, forward, cross-entropy, backward, SGD step: the loss, for the caller to read when it wants.</summary>
    public float Step(bool readLoss = false)
    {
        using var scope = NewDisposeScope();
        _model.train();
        _optimizer.zero_grad();
        var loss = functional.cross_entropy(_model.forward(_data), _labels);
        loss.backward();
        _optimizer.step();
        return readLoss ? loss.item<float>() : 0f;
    }

    /// <summary>The softmax probabilities of the batch, without autograd.</summary>
    public void Predict()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        _model.eval();
        _ = functional.softmax(_model.forward(_data), 1);
    }

    /// <summary>Fraction of the batch's labels the model ranks first.</summary>
    public int Correct()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        _model.eval();
        return (int)_model.forward(_data).argmax(1).eq(_labels).sum().item<long>();
    }

    public void Dispose()
    {
        _data.Dispose();
        _labels.Dispose();
        _optimizer.Dispose();
        _model.Dispose();
    }
}

using ApprovalTests;
using ApprovalTests.Namers;
using ApprovalTests.Reporters;
using ApprovalTests.Writers;
using Microsoft.CodeAnalysis;

namespace Nxt.Generators.Tests;

/// <summary>
/// The generated source of each network, compared with its approved file in _snapshots/.
/// On a change, the test writes *.received.cs beside it: review, then rename it to *.approved.cs.
/// </summary>
[UseReporter(typeof(QuietReporter))]
[UseApprovalSubdirectory("_snapshots")]
public class SnapshotTests
{
    public const string Mlp = """
        using Nxt;
        namespace Samples;

        [Network]
        public partial class Mlp
        {
            [Input(784)]            Tensor data;
            [FullyConnected(128)]   Tensor fc1;
            [Activation(Act.Relu)]  Tensor relu1;
            [FullyConnected(64)]    Tensor fc2;
            [Activation(Act.Relu)]  Tensor relu2;
            [FullyConnected(10)]    Tensor fc3;
            [SoftmaxOutput]         Tensor softmax;
        }
        """;

    public const string ImageClassifier = """
        using Nxt;
        namespace Samples.Vision;

        [Network]
        public partial class ImageClassifier
        {
            [Input(1, 28, 28)]            Tensor data;
            [Flatten]                     Tensor flat;
            [FullyConnected(256)]         Tensor fc1;
            [Activation(Act.Sigmoid)]     Tensor sig1;
            [Dropout(0.5)]                Tensor drop1;
            [FullyConnected(10, NoBias = true)] Tensor fc2;
            [SoftmaxOutput(GradScale = 0.5)]    Tensor softmax;
        }
        """;

    public const string Branches = """
        using Nxt;

        public static partial class Outer
        {
            [Network]
            internal partial class Branches
            {
                [Input(3, 8)]                               Tensor data;
                [FullyConnected(16, Flatten = false)]       Tensor proj;
                [Activation(Act.Tanh)]                      Tensor tanh;
                [FullyConnected(4, From = nameof(data))]    Tensor side;
                [Activation(Act.SoftRelu, From = nameof(tanh))] Tensor soft;
                [FullyConnected(5)]                         Tensor head;
                [SoftmaxOutput]                             Tensor @out;
            }
        }
        """;

    /// <summary>Generated kernels: swish in its dense layer's epilogue, GELU + scale + residual add in another's.</summary>
    public const string GatedFeedForward = """
        using Nxt;
        namespace Samples;

        [Network]
        public partial class GatedFeedForward
        {
            [Input(16)]                             Tensor data;
            [FullyConnected(32)]                    Tensor fc1;
            [Activation(Act.Sigmoid)]               Tensor gate;
            [Mul(nameof(fc1), nameof(gate))]        Tensor swish;
            [FullyConnected(32)]                    Tensor fc2;
            [LeakyReLU(LeakyAct.Gelu)]              Tensor gelu;
            [Mul(Scalar = 0.5)]                     Tensor scaled;
            [Add(nameof(scaled), nameof(swish))]    Tensor residual;
            [FullyConnected(4)]                     Tensor head;
            [SoftmaxOutput]                         Tensor softmax;
        }
        """;

    /// <summary>PReLU after an add, and a learned [Variable] scale, as one generated kernel: the epilogue of the dense layer 'skip'.</summary>
    public const string PReluTail = """
        using Nxt;
        namespace Samples;

        [Network]
        public partial class PReluTail
        {
            [Input(16)]                                     Tensor data;
            [FullyConnected(32)]                            Tensor fc1;
            [FullyConnected(32, From = "data")]             Tensor skip;
            [Add(nameof(fc1), nameof(skip))]                Tensor sum;
            [LeakyReLU(LeakyAct.PRelu)]                     Tensor prelu;
            [Variable(32)]                                  Tensor scale;
            [Mul(nameof(prelu), nameof(scale))]             Tensor scaled;
            [FullyConnected(4)]                             Tensor head;
            [SoftmaxOutput]                                 Tensor softmax;
        }
        """;

    /// <summary>Swish and a PReLU (its slopes one per channel) after a convolution, as the convolution's generated epilogue.</summary>
    public const string ConvTail = """
        using Nxt;
        namespace Samples;

        [Network]
        public partial class ConvTail
        {
            [Input(3, 8, 8)]                                Tensor data;
            [Convolution(8, Kernel = 3, Pad = 1)]           Tensor conv;
            [Activation(Act.Sigmoid)]                       Tensor gate;
            [Mul(nameof(conv), nameof(gate))]               Tensor swish;
            [LeakyReLU(LeakyAct.PRelu)]                     Tensor prelu;
            [Pooling(Pool.Max, Kernel = 2, Stride = 2)]     Tensor pool;
            [FullyConnected(4)]                             Tensor head;
            [SoftmaxOutput]                                 Tensor softmax;
        }
        """;

    public const string TutorialConvNet = """
        using Nxt;
        namespace Samples;

        [Network]
        public partial class TutorialConvNet
        {
            [Input(3, 224, 224)]                          Tensor data;
            [Convolution(128, Kernel = 3, Pad = 1)]        Tensor conv1;
            [BatchNorm]                                    Tensor bn1;
            [Activation(Act.Relu)]                         Tensor relu1;
            [Pooling(Pool.Max, Kernel = 2, Stride = 2)]    Tensor pool1;
            [FullyConnected(2)]                            Tensor fc1;
            [SoftmaxOutput]                                Tensor softmax;
        }
        """;

    public const string LeNet = """
        using Nxt;
        namespace Samples;

        [Network]
        public partial class LeNet
        {
            [Input(1, 28, 28)]                            Tensor data;
            [Convolution(20, Kernel = 5)]                 Tensor conv1;
            [Activation(Act.Relu)]                        Tensor relu1;
            [Pooling(Pool.Max, Kernel = 2, Stride = 2)]   Tensor pool1;
            [Convolution(50, Kernel = 5)]                 Tensor conv2;
            [Activation(Act.Relu)]                        Tensor relu2;
            [Pooling(Pool.Max, Kernel = 2, Stride = 2)]   Tensor pool2;
            [Flatten]                                     Tensor flat;
            [FullyConnected(500)]                         Tensor fc1;
            [Activation(Act.Relu)]                        Tensor relu3;
            [FullyConnected(10)]                          Tensor fc2;
            [SoftmaxOutput]                               Tensor softmax;
        }
        """;

    public const string Residual = """
        using Nxt;
        namespace Samples;

        [Network]
        public partial class Residual
        {
            [Input(1, 28, 28)]                                     Tensor data;
            [Convolution(16, Kernel = 3, Pad = 1, NoBias = true)]   Tensor conv0;
            [BatchNorm(FixGamma = false)]                           Tensor bn0;
            [Activation(Act.Relu)]                                  Tensor relu0;
            [Convolution(16, Kernel = 3, Pad = 1, NoBias = true)]   Tensor unit1_conv1;
            [BatchNorm(FixGamma = false)]                           Tensor unit1_bn1;
            [Activation(Act.Relu)]                                  Tensor unit1_relu1;
            [Convolution(16, Kernel = 3, Pad = 1, NoBias = true)]   Tensor unit1_conv2;
            [BatchNorm(FixGamma = false)]                           Tensor unit1_bn2;
            [Add(nameof(unit1_bn2), nameof(relu0))]                 Tensor unit1_sum;
            [Activation(Act.Relu)]                                  Tensor unit1_relu2;
            [Pooling(Pool.Avg, GlobalPool = true)]                  Tensor pool;
            [Flatten]                                               Tensor flat;
            [FullyConnected(10)]                                    Tensor fc;
            [SoftmaxOutput]                                         Tensor softmax;
        }
        """;

    public const string BlockResNet = """
        using Nxt;
        namespace Samples;

        [Block]
        public partial class ResidualUnit
        {
            [BlockInput]                                            Tensor data;
            [Convolution(8, Kernel = 3, Pad = 1, NoBias = true)]    Tensor conv1;
            [BatchNorm(FixGamma = false)]                           Tensor bn1;
            [Activation(Act.Relu)]                                  Tensor relu1;
            [Add(nameof(relu1), nameof(data))]                      Tensor sum;
        }

        [Network]
        public partial class BlockResNet
        {
            [Input(8, 14, 14)]                        Tensor data;
            [Use<ResidualUnit>(Repeat = 2)]           Tensor stage1;
            [Pooling(Pool.Avg, GlobalPool = true)]    Tensor pool;
            [FullyConnected(10)]                      Tensor fc;
            [SoftmaxOutput]                           Tensor softmax;
        }
        """;

    /// <summary>Two inputs, a free variable, two labelled heads on a shared trunk (one of width 2).</summary>
    public const string MultiTask = """
        using Nxt;
        namespace Samples;

        [Network]
        public partial class MultiTask
        {
            [Input(1, 8, 8)]                              Tensor image;
            [Input(4)]                                    Tensor extra;
            [Variable(4)]                                 Tensor shift;
            [Convolution(4, KernelH = 1, KernelW = 3, PadW = 1, From = "image")] Tensor conv;
            [Activation(Act.Relu)]                        Tensor relu;
            [FullyConnected(16)]                          Tensor trunk;
            [Add("extra", "shift")]                       Tensor moved;
            [FullyConnected(16)]                          Tensor side;
            [Add("trunk", "side")]                        Tensor joined;
            [FullyConnected(5)]                           Tensor classFc;
            [SoftmaxOutput]                               Tensor category;
            [FullyConnected(2, From = "joined")]          Tensor boxFc;
            [LinearRegressionOutput]                      Tensor box;
        }
        """;

    [Fact]
    public void MultiTask_generates_the_approved_module() => Verify(MultiTask);

    [Fact]
    public void MultiTask_generates_the_approved_gpu_plan() => VerifyGpuPlan(MultiTask);

    [Fact]
    public void BlockResNet_generates_the_approved_module() => Verify(BlockResNet);

    [Fact]
    public void TutorialConvNet_generates_the_approved_module() => Verify(TutorialConvNet);

    [Fact]
    public void LeNet_generates_the_approved_module() => Verify(LeNet);

    [Fact]
    public void Residual_generates_the_approved_module() => Verify(Residual);

    [Fact]
    public void Mlp_generates_the_approved_module() => Verify(Mlp);

    [Fact]
    public void ImageClassifier_generates_the_approved_module() => Verify(ImageClassifier);

    [Fact]
    public void Nested_network_with_branches_generates_the_approved_module() => Verify(Branches);

    [Fact]
    public void Generation_is_byte_identical_across_runs()
    {
        var first = Harness.Generate(Mlp).Generated.Single().SourceText.ToString();
        var second = Harness.Generate(Mlp).Generated.Single().SourceText.ToString();
        Assert.Equal(first, second);
    }

    public static TheoryData<string, bool> EveryNetworkWithAndWithoutTheGpuBackend()
    {
        var data = new TheoryData<string, bool>();
        foreach (string source in new[] { Mlp, ImageClassifier, Branches, TutorialConvNet, LeNet, Residual, BlockResNet, MultiTask, GatedFeedForward, PReluTail, ConvTail })
        {
            data.Add(source, false);
            data.Add(source, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryNetworkWithAndWithoutTheGpuBackend))]
    public async Task Generated_code_compiles_without_errors_or_unsuppressed_warnings(string source, bool withGpuBackend)
    {
        var (output, generated, generatorDiagnostics) = withGpuBackend ? Harness.GenerateWithGpu(source) : Harness.Generate(source);
        Assert.Empty(generatorDiagnostics);
        Assert.Equal(withGpuBackend, generated.Any(g => g.HintName.EndsWith(".Gpu.g.cs", StringComparison.Ordinal)));
        var diagnostics = await Harness.AllDiagnostics(output);
        Assert.Empty(diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning && !d.IsSuppressed));
    }

    [Fact]
    public void Mlp_generates_the_approved_gpu_plan() => VerifyGpuPlan(Mlp);

    [Fact]
    public void GatedFeedForward_generates_the_approved_module() => Verify(GatedFeedForward);

    [Fact]
    public void GatedFeedForward_generates_the_approved_gpu_plan() => VerifyGpuPlan(GatedFeedForward);

    [Fact]
    public void PReluTail_generates_the_approved_module() => Verify(PReluTail);

    [Fact]
    public void PReluTail_generates_the_approved_gpu_plan() => VerifyGpuPlan(PReluTail);

    [Fact]
    public void ConvTail_generates_the_approved_module() => Verify(ConvTail);

    [Fact]
    public void ConvTail_generates_the_approved_gpu_plan() => VerifyGpuPlan(ConvTail);

    [Fact]
    public void LeNet_generates_the_approved_gpu_plan() => VerifyGpuPlan(LeNet);

    [Fact]
    public void Residual_generates_the_approved_gpu_plan() => VerifyGpuPlan(Residual);

    private static void VerifyGpuPlan(string source)
    {
        var plan = Harness.GenerateWithGpu(source).Generated.Single(g => g.HintName.EndsWith(".Gpu.g.cs", StringComparison.Ordinal));
        Approvals.Verify(new ApprovalTextWriter(plan.SourceText.ToString(), "cs"));
    }

    private static void Verify(string source)
    {
        var generated = Harness.Generate(source).Generated.Single();
        Approvals.Verify(new ApprovalTextWriter(generated.SourceText.ToString(), "cs"));
    }
}

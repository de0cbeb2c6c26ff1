using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.OpenCL;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;
using Nxt.Gpu;
using Nxt.Runtime.Tests.Networks;

namespace Nxt.Runtime.Tests.Gpu;

/// <summary>
/// Every kernel the generated plans launch, compiled through ILGPU's own backends with no device:
/// to PTX for sm_80 (A100) and sm_90 (H100), and to OpenCL C 2.0, so that a kernel only the CUDA
/// or OpenCL path would reject fails here, on a machine without a GPU. The kernels are those the plans of networks covering every operator
/// actually loaded on ILGPU's CPU accelerator during a training step and an inference pass.
/// </summary>
public class KernelCompilationTests(Xunit.Abstractions.ITestOutputHelper output)
{
    // Collected once: running the plans on the simulator is the slow part.
    private static readonly Lazy<IReadOnlyList<MethodInfo>> s_kernels = new(KernelsLaunchedByThePlans);

    public static TheoryData<int> Architectures => new() { 80, 90 };

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Every_kernel_the_plans_launch_compiles_to_ptx(int architecture)
    {
        var kernels = s_kernels.Value;
        Assert.True(kernels.Count >= 12, $"expected the plans to launch a dozen kernels or more, found {kernels.Count}");
        var arch = architecture == 90 ? CudaArchitecture.SM_90 : CudaArchitecture.SM_80;
        using var context = Context.Create(builder => builder.EnableAlgorithms());
        using var backend = new PTXBackend(context, new CudaCapabilityContext(arch), arch, CudaInstructionSet.ISA_80, null!);
        CompileEach(kernels, kernel => Assert.Contains(".entry", ((PTXCompiledKernel)backend.Compile(Entry(kernel), default)).PTXAssembly, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_kernel_the_plans_launch_compiles_to_opencl_c()
    {
        using var context = Context.Create(builder => builder.EnableAlgorithms());
        var capabilities = new CLCapabilityContext(float16: false, float64: false, genericAddressSpace: false, int64_Atomics: false, subGroups: false);
        using var backend = new CLBackend(context, capabilities, CLDeviceVendor.Other, CLCVersion.CL20);
        CompileEach(s_kernels.Value, kernel => Assert.Contains("kernel void", ((CLCompiledKernel)backend.Compile(Entry(kernel), default)).Source, StringComparison.Ordinal));
    }

    private void CompileEach(IReadOnlyList<MethodInfo> kernels, Action<MethodInfo> compile)
    {
        var failures = new List<string>();
        foreach (var kernel in kernels)
        {
            output.WriteLine(Describe(kernel));
            try
            {
                compile(kernel);
            }
            catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
            {
                failures.Add($"{Describe(kernel)}: {ex.GetType().Name}: {ex.Message}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    private static EntryPointDescription Entry(MethodInfo kernel)
        => kernel.GetParameters()[0].ParameterType == typeof(Index1D)
            ? EntryPointDescription.FromImplicitlyGroupedKernel(kernel)
            : EntryPointDescription.FromExplicitlyGroupedKernel(kernel);

    private static IReadOnlyList<MethodInfo> KernelsLaunchedByThePlans()
    {
        var kernels = new HashSet<MethodInfo>();
        Func<Module>[] networks =
        [
            () => new TinyInception(), () => new FusedResidualNet(), () => new GroupNet(), () => new BlockNet(),
            () => new ShapedNet(), () => new RegressionNet(), () => new MakeLossNet(), () => new IgnoreNet(), () => new DenseBatchNormNet(), () => new ElementwiseZoo(), () => new LstmNet(), () => new SequenceLastNet(), () => new AxisZoo(), () => new LayerNormNet(), () => new DeconvNet(), () => new UpSamplingNet(), () => new InstanceNormNet(), () => new RecurrentZoo(), () => new StackedRecurrent(), () => new SeededRecurrent(), () => new DroppedStack(), () => new FinalStates(), () => new BilinearUpNet(), () => new MaskedSequence(), () => new BroadcastZoo(), () => new AttentionNet(), () => new PadZoo(), () => new SpatialReduce(), () => new DotNet(), () => new SliceZoo(), () => new ReduceZoo(), () => new ScaledGateNet(), () => new GeneratedTailNet(), () => new PReluTailNet(), () => new ConvTailNet(),
        ];
        foreach (var create in networks)
        {
            using var net = create();
            var batch = DeviceComparison.RandomBatch(net, 2);
            net.Bind(2, device: Device.IlgpuCpu);
            net.InitParams(new Uniform(0.5f));
            net.InitOptimizer(new Adam());
            net.ForwardBackward(batch);
            net.Update();
            net.Forward(batch, isTrain: false);
            kernels.UnionWith(((GpuPlan)net.Executor!).GpuDevice.LoadedKernels);
        }

        // Token ids must be whole numbers in range: the embedding's batch is its own.
        using var embedding = new EmbeddingNet();
        embedding.Bind(2, device: Device.IlgpuCpu);
        embedding.InitParams();
        embedding.InitOptimizer(new Sgd(0.1f));
        embedding.ForwardBackward(EmbeddingNet.Batch(2, 1));
        kernels.UnionWith(((GpuPlan)embedding.Executor!).GpuDevice.LoadedKernels);

        using var sgd = new TinyMlp();
        sgd.Bind(2, device: Device.IlgpuCpu);
        sgd.InitParams();
        sgd.InitOptimizer(new Sgd(0.1f, momentum: 0.9f));
        sgd.ForwardBackward(DeviceComparison.RandomBatch(sgd, 2));
        sgd.Update();
        kernels.UnionWith(((GpuPlan)sgd.Executor!).GpuDevice.LoadedKernels);

        // A product over a long K runs split (Gemm.Slices): its slices' kernel and the one adding them.
        using var split = new DeviceBuffers();
        global::Nxt.Gpu.DenseKernels.Forward(split.Upload(new float[2 * 1100]), split.Upload(new float[3 * 1100]), split.Upload(new float[3]), split.Upload(new float[2 * 3]), 2, 1100, 3);
        split.Device.Synchronize();
        kernels.UnionWith(split.Device.LoadedKernels);
        return [.. kernels.OrderBy(Describe, StringComparer.Ordinal)];
    }

    private static string Describe(MethodInfo kernel)
        => kernel.DeclaringType!.Name + "." + kernel.Name + (kernel.IsGenericMethod ? "<" + string.Join(", ", kernel.GetGenericArguments().Select(t => t.Name)) + ">" : string.Empty);
}

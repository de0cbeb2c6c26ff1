using System;
using System.Linq;
using FashionMnistLeNet;
using FashionMnistMlp;
using Nxt.Gpu;
using Nxt.Runtime.Tests.Networks;

namespace Nxt.Runtime.Tests.Gpu;

/// <summary>
/// The generated ILGPU plans on ILGPU's CPU accelerator (<see cref="Device.IlgpuCpu"/>), or on a real
/// GPU where <see cref="TestDevice"/> says so, against the CPU backend: the same kernels a GPU runs,
/// at small sizes, step by step. Between them the
/// networks use every operator and every fusion the generator emits.
/// </summary>
public class IlgpuPlanTests
{
    [Fact]
    public void Mlp_sample_training_steps_match_the_cpu() => DeviceComparison.TrainingStepsMatch(() => new FashionMlp(), TestDevice.Accelerated, () => new Sgd(0.1f, momentum: 0.9f));

    [Fact]
    public void LeNet_sample_training_steps_match_the_cpu() => DeviceComparison.TrainingStepsMatch(() => new LeNet(), TestDevice.Accelerated, () => new Sgd(0.05f, momentum: 0.9f, weightDecay: 1e-4f), batchSize: 3, steps: 1);

    [Fact]
    public void Adam_and_AdamW_steps_match_the_cpu()
    {
        DeviceComparison.TrainingStepsMatch(() => new TinyMlp(), TestDevice.Accelerated, () => new Adam(0.01f, weightDecay: 0.01f), steps: 3);
        DeviceComparison.TrainingStepsMatch(() => new TinyMlp(), TestDevice.Accelerated, () => new AdamW(0.01f) { ClipGradient = 0.05f }, steps: 3);
    }

    [Fact]
    public void Nesterov_with_clipping_and_multipliers_matches_the_cpu()
        => DeviceComparison.TrainingStepsMatch(
            () => new BranchNet(),
            TestDevice.Accelerated,
            () =>
            {
                var sgd = new Sgd(0.1f, momentum: 0.8f, weightDecay: 0.01f, nesterov: true) { ClipGradient = 0.1f };
                sgd.LearningRateMultipliers["fc2_weight"] = 0.5f;
                sgd.WeightDecayMultipliers["fc1_bias"] = 2f;
                return sgd;
            });

    [Fact]
    public void Optimizers_without_a_kernel_update_on_the_host_and_still_match()
        => DeviceComparison.TrainingStepsMatch(() => new TinyMlp(), TestDevice.Accelerated, () => new RmsProp(0.01f));

    [Theory]
    [InlineData(typeof(TinyResidual))]
    [InlineData(typeof(TinyInception))]
    [InlineData(typeof(BlockNet))]
    [InlineData(typeof(DenseBatchNormNet))]
    [InlineData(typeof(GroupNet))]
    [InlineData(typeof(FusedResidualNet))]
    [InlineData(typeof(UnfusedResidualNet))]
    [InlineData(typeof(FusedMlp))]
    [InlineData(typeof(RegressionNet))]
    [InlineData(typeof(LogisticNet))]
    [InlineData(typeof(MakeLossNet))]
    [InlineData(typeof(IgnoreNet))]
    [InlineData(typeof(BlockGradNet))]
    [InlineData(typeof(ElementwiseZoo))]
    [InlineData(typeof(OperatorZoo))]
    [InlineData(typeof(FactorizedConvNet))]
    [InlineData(typeof(TwoInputTwoHead))]
    [InlineData(typeof(ShiftedMlp))]
    [InlineData(typeof(LstmNet))]
    [InlineData(typeof(AxisZoo))]
    [InlineData(typeof(LayerNormNet))]
    [InlineData(typeof(DeconvNet))]
    [InlineData(typeof(UpSamplingNet))]
    [InlineData(typeof(InstanceNormNet))]
    [InlineData(typeof(RecurrentZoo))]
    [InlineData(typeof(StackedRecurrent))]
    [InlineData(typeof(SeededRecurrent))]
    [InlineData(typeof(FinalStates))]
    [InlineData(typeof(BilinearUpNet))]
    [InlineData(typeof(BroadcastZoo))]
    [InlineData(typeof(AttentionNet))]
    [InlineData(typeof(PadZoo))]
    [InlineData(typeof(SpatialReduce))]
    [InlineData(typeof(DotNet))]
    [InlineData(typeof(SliceZoo))]
    [InlineData(typeof(ReduceZoo))]
    [InlineData(typeof(ScaledGateNet))]
    [InlineData(typeof(GeneratedTailNet))]
    [InlineData(typeof(PReluTailNet))]
    [InlineData(typeof(ConvTailNet))]
    public void Network_training_steps_match_the_cpu(Type network)
        => DeviceComparison.TrainingStepsMatch(() => (Module)Activator.CreateInstance(network)!, TestDevice.Accelerated, () => new Sgd(0.05f, momentum: 0.9f));

    [Fact]
    public void Input_gradients_and_evaluation_at_another_batch_size_match_the_cpu()
    {
        using var cpu = new TwoInputTwoHead { Seed = 4 };
        using var gpu = new TwoInputTwoHead { Seed = 4 };
        var batch = DeviceComparison.RandomBatch(cpu, 4);
        cpu.Bind(4, inputsNeedGrad: true);
        gpu.Bind(4, inputsNeedGrad: true, device: TestDevice.Accelerated);
        cpu.InitParams(new Uniform(0.5f));
        gpu.SetParams(cpu.GetParams().ArgParams, cpu.GetParams().AuxParams);
        cpu.ForwardBackward(batch);
        gpu.ForwardBackward(batch);
        foreach (string input in TwoInputTwoHead.DataNames)
        {
            TestData.AssertClose(cpu.GetInputGradient(input).Span, gpu.GetInputGradient(input).Span, DeviceComparison.Atol, DeviceComparison.Rtol, $"gradient of {input}");
        }

        var evaluation = new NDArrayIter(
            new Dictionary<string, Tensor> { ["image"] = batch.Inputs[0], ["extra"] = batch.Inputs[1] },
            new Dictionary<string, Tensor> { ["category_label"] = batch.Labels[0], ["value_label"] = batch.Labels[1] },
            3);
        var cpuOutputs = cpu.PredictAll(evaluation);
        var gpuOutputs = gpu.PredictAll(evaluation);
        for (int o = 0; o < cpuOutputs.Count; o++)
        {
            Assert.Equal([4, o == 0 ? 4 : 2], gpuOutputs[o].Shape.ToArray());
            TestData.AssertClose(cpuOutputs[o].Span, gpuOutputs[o].Span, DeviceComparison.Atol, DeviceComparison.Rtol, $"output {o} at batch 3");
        }

        // Back at the bound batch size, training goes on where it was.
        gpu.ForwardBackward(batch);
        cpu.ForwardBackward(batch);
        TestData.AssertClose(cpu.GetOutputs()[0].Span, gpu.GetOutputs()[0].Span, DeviceComparison.Atol, DeviceComparison.Rtol, "output after evaluating");
    }

    [Fact]
    public void Inference_only_network_predicts_as_on_the_cpu()
    {
        using var cpu = new InferenceNet();
        using var gpu = new InferenceNet();
        var batch = DeviceComparison.RandomBatch(cpu, 3);
        cpu.Bind(3, forTraining: false);
        gpu.Bind(3, forTraining: false, device: TestDevice.Accelerated);
        cpu.InitParams(new Uniform(0.5f));
        gpu.SetParams(cpu.GetParams().ArgParams, cpu.GetParams().AuxParams);
        cpu.Forward(batch);
        gpu.Forward(batch);
        TestData.AssertClose(cpu.GetOutputs()[0].Span, gpu.GetOutputs()[0].Span, DeviceComparison.Atol, DeviceComparison.Rtol, "InferenceNet output");
    }

    [Fact]
    public void Dropout_on_the_device_keeps_the_expected_share_and_scales_it()
    {
        // 8 x 2,000 inputs through Dropout(0.25), the dropout's output kept as an [Output]: about a
        // quarter are zero, and every other one is its input scaled by 1 / (1 - 0.25).
        using var net = new DropoutProbe { Seed = 5 };
        net.Bind(8, device: TestDevice.Accelerated);
        net.InitParams(new Uniform(0.5f));
        var batch = DeviceComparison.RandomBatch(net, 8);
        net.Forward(batch, isTrain: true);
        var input = batch.Data.ToArray();
        var dropped = net.GetOutputs()[1].ToArray();
        int zeros = 0;
        for (int i = 0; i < input.Length; i++)
        {
            if (dropped[i] == 0f)
            {
                zeros++;
            }
            else
            {
                double expected = input[i] * 4.0 / 3.0;
                Assert.True(Math.Abs(dropped[i] - expected) <= 1e-5 * Math.Max(1, Math.Abs(expected)), $"element {i}: {input[i]} dropped to {dropped[i]}, expected 0 or {expected}");
            }
        }

        Assert.InRange(zeros / (double)input.Length, 0.23, 0.27); // 16,000 draws: the standard deviation is 0.0034

        net.Forward(batch, isTrain: false);
        Assert.Equal(input, net.GetOutputs()[1].ToArray());
    }

    [Fact]
    public void Custom_operators_refuse_a_device_and_name_the_node()
    {
        using var net = new CustomNet();
        var error = Assert.Throws<NotSupportedException>(() => net.Bind(2, device: Device.IlgpuCpu));
        Assert.Contains("custom operator", error.Message);
        Assert.Contains("ilgpu_cpu(0)", error.Message);
        Assert.False(net.IsBound);
    }

    [Fact]
    public void Checkpoints_of_a_device_module_hold_the_device_parameters_and_load_back()
    {
        string prefix = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "nxt-gpu-" + Guid.NewGuid().ToString("N"));
        using var gpu = new TinyResidual { Seed = 2 };
        var batch = DeviceComparison.RandomBatch(gpu, 3);
        gpu.Bind(3, device: TestDevice.Accelerated);
        gpu.InitParams(new Uniform(0.5f));
        gpu.InitOptimizer(new Sgd(0.1f, momentum: 0.9f));
        gpu.ForwardBackward(batch);
        gpu.Update();
        gpu.SaveCheckpoint(prefix, 1, saveOptimizerStates: true);

        using var cpu = new TinyResidual();
        cpu.Bind(3);
        cpu.LoadCheckpoint(prefix, 1);
        DeviceComparison.ParametersMatch(gpu, cpu, "loaded checkpoint");
        foreach (string file in System.IO.Directory.GetFiles(System.IO.Path.GetDirectoryName(prefix)!, System.IO.Path.GetFileName(prefix) + "*"))
        {
            System.IO.File.Delete(file);
        }
    }

    [Fact]
    public void A_kernel_that_fails_to_compile_poisons_only_its_device_and_says_to_bind_again()
    {
        using var device = GpuDevice.Open(Device.IlgpuCpu);
        var method = typeof(IlgpuPlanTests).GetMethod(nameof(A_kernel_that_fails_to_compile_poisons_only_its_device_and_says_to_bind_again))!;
        var error = Assert.Throws<InvalidOperationException>(() => device.Kernel<Action>(method, _ => throw new NotSupportedException("unsupported instruction")));
        Assert.Contains("unsupported instruction", error.Message);
        Assert.Contains("Bind the module again", error.Message);
        Assert.True(device.Poisoned);
        Assert.Throws<InvalidOperationException>(() => device.Kernel<Action>(method, _ => () => { }));

        using var fresh = GpuDevice.Open(Device.IlgpuCpu);
        Assert.False(fresh.Poisoned);
    }

    [Fact]
    public void The_runtime_never_references_ilgpu()
    {
        // A CPU-only application references Nxt.Runtime alone: it must stay trimmable and AOT-compilable.
        var references = typeof(Module).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();
        Assert.DoesNotContain(references, name => name!.StartsWith("ILGPU", StringComparison.Ordinal) || name == "Nxt.Gpu");
    }

    [CudaDeviceAbsentFact(7)]
    public void A_bind_that_fails_leaves_the_module_bound_where_it_was()
    {
        using var net = new TinyMlp { Seed = 3 };
        net.Bind(2, device: Device.IlgpuCpu);
        net.InitParams(new Uniform(0.5f));
        var batch = DeviceComparison.RandomBatch(net, 2);
        net.Forward(batch, isTrain: false);
        var before = net.GetOutputs()[0].ToArray();

        Assert.ThrowsAny<Exception>(() => net.Bind(3, device: Device.Cuda(7)));
        Assert.Equal(2, net.BatchSize);
        Assert.Equal(Device.IlgpuCpu, net.Device);
        Assert.IsAssignableFrom<GpuPlan>(net.Executor); // still the simulator's plan, not the CPU's
        net.Forward(batch, isTrain: false);
        Assert.Equal(before, net.GetOutputs()[0].ToArray());
    }

    [CudaDeviceAbsentFact(7)]
    public void A_missing_cuda_device_is_a_clear_error()
    {
        using var net = new TinyMlp();
        var error = Assert.Throws<InvalidOperationException>(() => net.Bind(2, device: Device.Cuda(7)));
        Assert.Contains("gpu(7)", error.Message);
    }
}

using System;
using System.Linq;
using Nxt;

namespace Nxt.Runtime.Tests.Gpu;

/// <summary>
/// Runs the same network on the CPU backend and on a device from the same seed, and compares
/// outputs, every parameter gradient, and every parameter and auxiliary state after each update.
/// The tolerance covers float summation order (tiled GEMM and tree reductions against the CPU's
/// blocked loops): 1e-4 absolute plus 1e-3 relative.
/// </summary>
internal static class DeviceComparison
{
    public const double Atol = 1e-4, Rtol = 1e-3;

    public static void TrainingStepsMatch(Func<Module> create, Device device, Func<Optimizer> optimizer, int batchSize = 4, int steps = 2, DataBatch? batch = null)
    {
        using var cpu = create();
        using var gpu = create();
        batch ??= RandomBatch(cpu, batchSize);
        foreach (var (net, where) in new[] { (cpu, Device.Cpu), (gpu, device) })
        {
            net.Seed = 11;
            net.Bind(batchSize, device: where);
            net.InitParams(new Uniform(0.5f));
            net.InitOptimizer(optimizer());
        }

        string name = cpu.Description.NetworkName;
        for (int step = 0; step < steps; step++)
        {
            cpu.ForwardBackward(batch);
            gpu.ForwardBackward(batch);
            for (int o = 0; o < cpu.GetOutputs().Count; o++)
            {
                TestData.AssertClose(cpu.GetOutputs()[o].Span, gpu.GetOutputs()[o].Span, Atol, Rtol, $"{name} step {step}: output {cpu.Description.Outputs[o].Name}");
            }

            foreach (var p in cpu.Description.Parameters.Where((_, i) => cpu.ParameterGradReqs[i] != GradReq.Null))
            {
                TestData.AssertClose(cpu.GetGradient(p.Name).Span, gpu.GetGradient(p.Name).Span, Atol, Rtol, $"{name} step {step}: gradient of {p.Name}");
            }

            cpu.Update();
            gpu.Update();
            ParametersMatch(cpu, gpu, $"{name} after update {step + 1}");
        }

        // Inference: BatchNorm folds into its convolution on both backends.
        cpu.Forward(batch, isTrain: false);
        gpu.Forward(batch, isTrain: false);
        TestData.AssertClose(cpu.GetOutputs()[0].Span, gpu.GetOutputs()[0].Span, Atol, Rtol, $"{name}: inference output");
    }

    public static void ParametersMatch(Module expected, Module actual, string what)
    {
        var (args, aux) = expected.GetParams();
        var (deviceArgs, deviceAux) = actual.GetParams();
        foreach (var (key, value) in args.Concat(aux))
        {
            var other = deviceArgs.TryGetValue(key, out var a) ? a : deviceAux[key];
            TestData.AssertClose(value.Span, other.Span, Atol, Rtol, $"{what}: {key}");
        }
    }

    /// <summary>Random data and labels that fit the network's label: class indices, or values for a regression head.</summary>
    /// <summary>Random data for every input, and labels for every labelled loss (class indices or values).</summary>
    public static DataBatch RandomBatch(Module net, int batchSize)
    {
        var layout = net.Description;
        var data = layout.Inputs.Select((input, i) => new Tensor(TestData.Random(batchSize * input.SampleLength, 21 + ((ulong)i * 10)), [.. input.ShapeFor(batchSize)])).ToArray();
        var labels = layout.Labels.Select((label, i) =>
        {
            float[] values = label.Classes > 0
                ? Enumerable.Range(0, batchSize * label.SampleLength).Select(j => (float)(((j * 7) + i) % label.Classes)).ToArray()
                : TestData.Random(batchSize * label.SampleLength, 22 + ((ulong)i * 10));
            return new Tensor(values, [.. label.ShapeFor(batchSize)]);
        }).ToArray();
        return new DataBatch(data, labels.Length == 0 ? null : labels);
    }
}

using System.Reflection;
using Microsoft.CodeAnalysis;
using Nxt;

namespace Nxt.Generators.Tests;

/// <summary>
/// The generated element-wise kernels, run: random element-wise graphs
/// (<see cref="RandomElementwiseGraph"/>) are compiled with the generator as a user's project
/// would be, loaded, and trained fused and unfused from the same start on the same batches;
/// outputs and parameters must agree to float rounding, the fused plans' gradients must match
/// finite differences (on the graphs without kinks), and the fused plans must compute the same
/// on ILGPU's CPU accelerator as on the CPU.
/// </summary>
public class GeneratedKernelTests
{
    private const int Graphs = 300;
    private const int Batch = 4;
    private const double Atol = 1e-4, Rtol = 1e-3;

    [Fact]
    public void Random_elementwise_graphs_train_alike_fused_and_unfused_and_match_finite_differences()
    {
        var random = new Random(20261204);
        var graphs = Enumerable.Range(0, Graphs).Select(i => RandomElementwiseGraph.Create(random, i)).ToList();
        var assembly = CompileAndLoad(graphs);
        int fewerKernels = 0, checkedOnDevice = 0;
        foreach (var graph in graphs)
        {
            var fusedType = assembly.GetType("RandomGraphs." + graph.Name)!;
            var unfusedType = assembly.GetType("RandomGraphs." + graph.Name + "Unfused")!;
            if (KernelCount(fusedType) < KernelCount(unfusedType))
            {
                fewerKernels++;
            }

            string what = $"{graph.Name}:\n{graph.Render()}";
            TrainAlike(Create(fusedType), Create(unfusedType), what);
            if (graph.Smooth)
            {
                FiniteDifferences(Create(fusedType), what);
            }

            if (int.Parse(graph.Name.AsSpan(1)) % 10 == 0)
            {
                SameOnDevice(Create(fusedType), what);
                checkedOnDevice++;
            }
        }

        // The graphs exercise the generated kernels: most fuse something.
        Assert.True(fewerKernels > Graphs * 3 / 4, $"only {fewerKernels} of {Graphs} graphs run fewer kernels fused");
        Assert.Equal(Graphs / 10, checkedOnDevice);
    }

    private static Assembly CompileAndLoad(IReadOnlyList<RandomElementwiseGraph> graphs)
    {
        string source = "using Nxt;\nnamespace RandomGraphs;\n\n" + string.Concat(graphs.Select(g => g.Render()));
        var (output, _, generatorDiagnostics) = Harness.GenerateWithGpu(source);
        Assert.Empty(generatorDiagnostics);
        using var image = new MemoryStream();
        var result = output.Emit(image);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(20)));
        return Assembly.Load(image.ToArray());
    }

    private static int KernelCount(Type network) => (int)network.GetField("ForwardKernelCount")!.GetValue(null)!;

    private static Module Create(Type network) => (Module)Activator.CreateInstance(network)!;

    private static void TrainAlike(Module fused, Module unfused, string what)
    {
        using (fused)
        using (unfused)
        {
            foreach (var net in new[] { fused, unfused })
            {
                net.Seed = 9;
                net.Bind(Batch);
                net.InitParams(new Xavier());
                net.InitOptimizer(new Sgd(0.1f, momentum: 0.9f));
            }

            for (int step = 0; step < 3; step++)
            {
                var batch = RandomBatch((ulong)(100 + step));
                fused.ForwardBackward(batch);
                unfused.ForwardBackward(batch);
                for (int o = 0; o < unfused.GetOutputs().Count; o++)
                {
                    AssertClose(unfused.GetOutputs()[o].Span, fused.GetOutputs()[o].Span, $"{what}step {step}: output {o}");
                }

                fused.Update();
                unfused.Update();
            }

            var (expected, _) = unfused.GetParams();
            var (actual, _) = fused.GetParams();
            foreach (var (name, value) in expected)
            {
                AssertClose(value.Span, actual[name].Span, $"{what}after training: {name}");
            }
        }
    }

    /// <summary>Every parameter element's gradient against central differences of Σ -log p[label].</summary>
    private static void FiniteDifferences(Module net, string what)
    {
        using (net)
        {
            net.Seed = 5;
            net.Bind(Batch);
            net.InitParams(new Xavier());
            var batch = RandomBatch(7);
            int softmax = net.Description.Outputs.ToList().FindIndex(o => o.Name == "softmax_output");
            double Loss()
            {
                net.Forward(batch, isTrain: true);
                var p = net.GetOutputs()[softmax].Span;
                double loss = 0;
                for (int r = 0; r < Batch; r++)
                {
                    loss -= Math.Log(p[(r * RandomElementwiseGraph.Classes) + (int)batch.Label!.Span[r]]);
                }

                return loss;
            }

            Loss();
            net.Backward();
            var (args, _) = net.GetParams();
            foreach (var (name, value) in args)
            {
                var analytic = net.GetGradient(name).ToArray();
                var values = value.ToArray();
                var numeric = new float[values.Length];
                const float step = 1e-3f;
                for (int i = 0; i < values.Length; i++)
                {
                    float original = values[i];
                    values[i] = original + step;
                    net.SetParams(new Dictionary<string, Tensor> { [name] = new Tensor(values, value.Shape.ToArray()) }, allowMissing: true);
                    double plus = Loss();
                    values[i] = original - step;
                    net.SetParams(new Dictionary<string, Tensor> { [name] = new Tensor(values, value.Shape.ToArray()) }, allowMissing: true);
                    double minus = Loss();
                    values[i] = original;
                    numeric[i] = (float)((plus - minus) / (2 * step));
                }

                net.SetParams(new Dictionary<string, Tensor> { [name] = value }, allowMissing: true);
                AssertClose(numeric, analytic, $"{what}d(loss)/d({name})", atol: 3e-3, rtol: 2e-2);
            }
        }
    }

    /// <summary>One training step on <see cref="Device.IlgpuCpu"/> against the CPU: outputs and every gradient.</summary>
    private static void SameOnDevice(Module cpu, string what)
    {
        var type = cpu.GetType();
        using var device = Create(type);
        using (cpu)
        {
            foreach (var (net, where) in new[] { (cpu, Device.Cpu), (device, Device.IlgpuCpu) })
            {
                net.Seed = 11;
                net.Bind(Batch, device: where);
                net.InitParams(new Uniform(0.5f));
            }

            var batch = RandomBatch(3);
            cpu.ForwardBackward(batch);
            device.ForwardBackward(batch);
            for (int o = 0; o < cpu.GetOutputs().Count; o++)
            {
                AssertClose(cpu.GetOutputs()[o].Span, device.GetOutputs()[o].Span, $"{what}on the device: output {o}");
            }

            foreach (var p in cpu.Description.Parameters)
            {
                AssertClose(cpu.GetGradient(p.Name).Span, device.GetGradient(p.Name).Span, $"{what}on the device: gradient of {p.Name}");
            }
        }
    }

    private static DataBatch RandomBatch(ulong seed)
    {
        var random = new Random((int)seed);
        var data = Enumerable.Range(0, Batch * RandomElementwiseGraph.Width).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        var labels = Enumerable.Range(0, Batch).Select(r => (float)((r + (int)seed) % RandomElementwiseGraph.Classes)).ToArray();
        return new DataBatch(new Tensor(data, Batch, RandomElementwiseGraph.Width), new Tensor(labels, Batch));
    }

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what, double atol = Atol, double rtol = Rtol)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double tolerance = atol + (rtol * Math.Abs(expected[i]));
            if (!(Math.Abs(expected[i] - actual[i]) <= tolerance))
            {
                Assert.Fail($"{what}: element {i} is {actual[i]}, expected {expected[i]} (tolerance {tolerance:G3}).");
            }
        }
    }
}

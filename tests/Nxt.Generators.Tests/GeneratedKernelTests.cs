using System.Reflection;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.OpenCL;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;
using Microsoft.CodeAnalysis;
using Nxt;

namespace Nxt.Generators.Tests;

/// <summary>
/// The generated element-wise kernels, run: random element-wise graphs
/// (<see cref="RandomElementwiseGraph"/>) are compiled with the generator as a user's project
/// would be, loaded, and trained fused and unfused from the same start on the same batches;
/// outputs, parameters and the data inputs' gradients must agree to float rounding, the fused
/// plans' gradients (parameters and the second input) must match finite differences (on the
/// graphs without kinks), and the fused plans must compute the same on ILGPU's CPU accelerator
/// as on the CPU.
/// </summary>
public class GeneratedKernelTests
{
    private const int Graphs = 300;
    private const int Batch = 4;
    private const double Atol = 1e-4, Rtol = 1e-3;

    // Compiled once for both tests: the generator and Roslyn are the slow part.
    private static readonly Lazy<(IReadOnlyList<RandomElementwiseGraph> Graphs, Assembly Assembly)> s_compiled = new(() =>
    {
        var random = new Random(20261204);
        var graphs = Enumerable.Range(0, Graphs).Select(i => RandomElementwiseGraph.Create(random, i)).ToList();
        return (graphs, CompileAndLoad(graphs));
    });

    [Fact]
    public void Every_generated_device_kernel_and_gemm_epilogue_compiles_to_ptx_and_opencl_c()
    {
        var kernels = s_compiled.Value.Assembly.GetTypes()
            .Where(t => t.Name == "GeneratedDeviceKernels")
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.NonPublic).Where(m => m.GetParameters() is [{ ParameterType: var index }, _] && index == typeof(Index1D)))
            .ToList();
        Assert.True(kernels.Count > Graphs, $"expected a backward kernel for most graphs, found {kernels.Count}");

        // A dense layer's generated epilogue runs inside the GEMM kernel: that kernel, specialised on each epilogue struct.
        var gemm = typeof(Nxt.Gpu.DenseKernels).Assembly.GetType("Nxt.Gpu.Gemm")!.GetMethod("Kernel", BindingFlags.Static | BindingFlags.NonPublic)!;
        var epilogues = s_compiled.Value.Assembly.GetTypes().Where(t => t.IsValueType && typeof(Nxt.Gpu.IGemmEpilogue).IsAssignableFrom(t)).ToList();
        Assert.True(epilogues.Count > Graphs / 4, $"expected a generated epilogue in many graphs, found {epilogues.Count}");
        var gemms = epilogues.Select(e => gemm.MakeGenericMethod(typeof(Nxt.Gpu.RowMajor), typeof(Nxt.Gpu.Transposed), typeof(Nxt.Gpu.RowMajorOutput), e)).ToList();
        using var context = Context.Create(builder => builder.EnableAlgorithms());
        using var ptx = new PTXBackend(context, new CudaCapabilityContext(CudaArchitecture.SM_80), CudaArchitecture.SM_80, CudaInstructionSet.ISA_80, null!);
        var capabilities = new CLCapabilityContext(float16: false, float64: false, genericAddressSpace: false, int64_Atomics: false, subGroups: false);
        using var openCl = new CLBackend(context, capabilities, CLDeviceVendor.Other, CLCVersion.CL20);
        foreach (var kernel in kernels.Concat(gemms))
        {
            var entry = kernel.GetParameters()[0].ParameterType == typeof(Index1D) ? EntryPointDescription.FromImplicitlyGroupedKernel(kernel) : EntryPointDescription.FromExplicitlyGroupedKernel(kernel);
            string name = $"{kernel.DeclaringType!.DeclaringType?.Name}.{kernel.Name}{(kernel.IsGenericMethod ? "<" + kernel.GetGenericArguments()[^1].Name + ">" : string.Empty)}";
            Assert.True(((PTXCompiledKernel)ptx.Compile(entry, default)).PTXAssembly.Contains(".entry", StringComparison.Ordinal), $"{name}: no PTX entry");
            Assert.True(((CLCompiledKernel)openCl.Compile(entry, default)).Source.Contains("kernel void", StringComparison.Ordinal), $"{name}: no OpenCL kernel");
        }
    }

    [Fact]
    public void Random_elementwise_graphs_train_alike_fused_and_unfused_and_match_finite_differences()
    {
        var (graphs, assembly) = s_compiled.Value;
        int fewerKernels = 0, readingVariable = 0, readingSlopes = 0, convolutionEpilogues = 0;
        foreach (var graph in graphs)
        {
            var fusedType = assembly.GetType("RandomGraphs." + graph.Name)!;
            var unfusedType = assembly.GetType("RandomGraphs." + graph.Name + "Unfused")!;
            if (KernelCount(fusedType) < KernelCount(unfusedType))
            {
                fewerKernels++;
            }

            var parameters = RegionParameters(fusedType);
            readingVariable += parameters.Any(p => p.StartsWith("shift", StringComparison.Ordinal)) ? 1 : 0;
            readingSlopes += parameters.Any(p => p.Contains("_gamma", StringComparison.Ordinal)) ? 1 : 0;
            bool hasEpilogue = fusedType.GetNestedType("GeneratedKernels", BindingFlags.NonPublic)?.GetNestedTypes().Any(t => typeof(Nxt.Cpu.IRowEpilogue).IsAssignableFrom(t)) == true;
            convolutionEpilogues += hasEpilogue && graph.SampleShape.Length > 1 ? 1 : 0;

            string what = $"{graph.Name}:\n{graph.Render()}";

            // Half the graphs also compute the data inputs' gradients (through the generated kernels' optional gradient buffers).
            TrainAlike(Create(fusedType), Create(unfusedType), graph.SampleShape, what, inputsNeedGrad: graph.Smooth);
            if (graph.Smooth)
            {
                FiniteDifferences(Create(fusedType), graph.SampleShape, what);
            }

            // Every graph on ILGPU's CPU accelerator too: the device kernels against the CPU's (about 3 of the test's 4 minutes).
            SameOnDevice(Create(fusedType), graph.SampleShape, what);
        }

        // The graphs exercise the generated kernels: most fuse something.
        Assert.True(fewerKernels > Graphs * 3 / 4, $"only {fewerKernels} of {Graphs} graphs run fewer kernels fused");

        // And parameters broadcast over the batch: the [Variable] and PReLU's slopes inside regions.
        Assert.True(readingVariable > Graphs / 3 && readingSlopes > Graphs / 20, $"regions read the variable in {readingVariable} graphs and PReLU's slopes in {readingSlopes}");
        Assert.True(convolutionEpilogues > Graphs / 10, $"only {convolutionEpilogues} graphs run a region as a convolution's epilogue");
    }

    /// <summary>The parameters a network's generated CPU kernels read: their <c>..._param</c> arguments.</summary>
    private static List<string> RegionParameters(Type network)
        => network.GetNestedType("GeneratedKernels", BindingFlags.NonPublic)?.GetMethods(BindingFlags.Static | BindingFlags.Public)
            .SelectMany(m => m.GetParameters()).Select(p => p.Name!).Where(n => n.EndsWith("_param", StringComparison.Ordinal)).ToList() ?? [];

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

    private static void TrainAlike(Module fused, Module unfused, int[] shape, string what, bool inputsNeedGrad)
    {
        using (fused)
        using (unfused)
        {
            foreach (var net in new[] { fused, unfused })
            {
                net.Seed = 9;
                net.Bind(Batch, inputsNeedGrad: inputsNeedGrad);
                net.InitParams(new Uniform(0.5f));
                net.InitOptimizer(new Sgd(0.1f, momentum: 0.9f));
            }

            for (int step = 0; step < 3; step++)
            {
                var batch = RandomBatch(shape, (ulong)(100 + step));
                fused.ForwardBackward(batch);
                unfused.ForwardBackward(batch);
                for (int o = 0; o < unfused.GetOutputs().Count; o++)
                {
                    AssertClose(unfused.GetOutputs()[o].Span, fused.GetOutputs()[o].Span, $"{what}step {step}: output {o}");
                }

                foreach (string input in inputsNeedGrad ? Inputs : [])
                {
                    AssertClose(unfused.GetInputGradient(input).Span, fused.GetInputGradient(input).Span, $"{what}step {step}: gradient of {input}");
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
    private static void FiniteDifferences(Module net, int[] shape, string what)
    {
        using (net)
        {
            net.Seed = 5;
            net.Bind(Batch, inputsNeedGrad: true);
            net.InitParams(new Uniform(0.5f));
            var batch = RandomBatch(shape, 7);
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

            // The second input, read by the element-wise nodes directly: its gradient comes from the generated kernels alone.
            Loss();
            net.Backward();
            var extra = batch.Inputs[1].Span.ToArray();
            var analyticExtra = net.GetInputGradient("extra").ToArray();
            var numericExtra = new float[extra.Length];
            for (int i = 0; i < extra.Length; i++)
            {
                float original = batch.Inputs[1].Span[i];
                batch.Inputs[1].Span[i] = original + 1e-3f;
                double plus = Loss();
                batch.Inputs[1].Span[i] = original - 1e-3f;
                double minus = Loss();
                batch.Inputs[1].Span[i] = original;
                numericExtra[i] = (float)((plus - minus) / 2e-3);
            }

            AssertClose(numericExtra, analyticExtra, $"{what}d(loss)/d(extra)", atol: 3e-3, rtol: 2e-2);
        }
    }

    /// <summary>One training step on <see cref="Device.IlgpuCpu"/> against the CPU: outputs and every gradient.</summary>
    private static void SameOnDevice(Module cpu, int[] shape, string what)
    {
        var type = cpu.GetType();
        using var device = Create(type);
        using (cpu)
        {
            foreach (var (net, where) in new[] { (cpu, Device.Cpu), (device, Device.IlgpuCpu) })
            {
                net.Seed = 11;
                net.Bind(Batch, device: where, inputsNeedGrad: true);
                net.InitParams(new Uniform(0.5f));
            }

            var batch = RandomBatch(shape, 3);
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

            foreach (string input in Inputs)
            {
                AssertClose(cpu.GetInputGradient(input).Span, device.GetInputGradient(input).Span, $"{what}on the device: gradient of {input}");
            }
        }
    }

    private static readonly string[] Inputs = ["data", "extra"];

    private static DataBatch RandomBatch(int[] shape, ulong seed)
    {
        var random = new Random((int)seed);
        int length = shape.Aggregate(1, (a, b) => a * b);
        Tensor Values() => new(Enumerable.Range(0, Batch * length).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray(), [Batch, .. shape]);
        var labels = Enumerable.Range(0, Batch).Select(r => (float)((r + (int)seed) % RandomElementwiseGraph.Classes)).ToArray();
        return new DataBatch([Values(), Values()], [new Tensor(labels, Batch)]);
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

using System.Reflection;
using Microsoft.CodeAnalysis;
using Nxt.Generators.Emit;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Operators;
using Nxt.Generators.Operators.Plans;
using Nxt.Generators.Parsing;

namespace Nxt.Generators.Tests;

/// <summary>
/// The contracts the operator table stands on, checked rather than trusted: every kernel call a
/// plan can make exists in Nxt.Cpu and in Nxt.Gpu with matching parameters, every descriptor's
/// defaults are its attribute's, every runtime enum the generator reads has the generator's
/// member names, and every node attribute and node kind has exactly one descriptor.
/// </summary>
public class OperatorContractTests
{
    // Between them, every operator and variant that has kernels (custom operators run user C#).
    private const string Networks = """
        using Nxt;

        [Network]
        public partial class Everything
        {
            [Input(2, 8, 8)]                                          Tensor data;
            [Convolution(4, Kernel = 3, Pad = 1)]                     Tensor conv1;
            [BatchNorm]                                               Tensor bn1;
            [Activation(Act.Relu)]                                    Tensor relu1;
            [Convolution(4, Kernel = 3, Pad = 1, NoBias = true, NumGroup = 2)] Tensor conv2;
            [BatchNorm(FixGamma = false)]                             Tensor bn2;
            [Add(nameof(bn2), nameof(relu1))]                         Tensor residual;
            [Activation(Act.Tanh)]                                    Tensor tanh1;
            [Pooling(Pool.Max, Kernel = 2, Stride = 2)]               Tensor pool1;
            [Pooling(Pool.Avg, Kernel = 2, Stride = 1, Pad = 1, CountIncludePad = false, From = nameof(tanh1))] Tensor pool2;
            [Pooling(Pool.Avg, GlobalPool = true, From = nameof(tanh1))] Tensor global;
            [Concat(nameof(pool1), nameof(pool1), Dim = 1)]           Tensor joined;
            [LeakyReLU(LeakyAct.PRelu)]                               Tensor prelu;
            [LeakyReLU(LeakyAct.Gelu)]                                Tensor gelu;
            [Reshape(0, -1)]                                          Tensor rows;
            [Flatten(From = nameof(global))]                          Tensor flat;
            [FullyConnected(8, From = nameof(rows))]                  Tensor fc1;
            [LeakyReLU(LeakyAct.Leaky, Slope = 0.1)]                  Tensor leaky;
            [LeakyReLU(LeakyAct.Elu)]                                 Tensor elu;
            [Activation(Act.Sigmoid)]                                 Tensor sigmoid;
            [Activation(Act.SoftRelu)]                                Tensor softrelu;
            [Activation(Act.SoftSign)]                                Tensor softsign;
            [Clip(-0.5, 0.5)]                                         Tensor clipped;
            [Dropout(0.25)]                                           Tensor drop;
            [FullyConnected(8, From = nameof(flat))]                  Tensor fc2;
            [Add(nameof(drop), nameof(fc2))]                          Tensor sum;
            [Sub(nameof(sum), nameof(fc2))]                           Tensor difference;
            [Mul(nameof(difference), nameof(sigmoid))]                Tensor product;
            [Add(Scalar = 2)]                                         Tensor positive;
            [Div(nameof(product), nameof(positive))]                  Tensor ratio;
            [Sub(Scalar = 1)] Tensor a;
            [Mul(Scalar = 2)] Tensor b;
            [Div(Scalar = 4)] Tensor c;
            [ElementwiseSum(nameof(c), nameof(fc2), nameof(ratio))]   Tensor total;
            [FullyConnected(3, Flatten = false)]                      Tensor head;
            [SoftmaxOutput(UseIgnore = true, IgnoreLabel = 0, Normalization = LossNormalization.Valid, GradScale = 0.5)] Tensor softmax;
        }

        [Network(Fuse = false)]
        public partial class Unfused
        {
            [Input(6)] Tensor data;
            [FullyConnected(4)] Tensor fc;
            [Activation(Act.Relu)] Tensor relu;
            [FullyConnected(2)] Tensor out1;
            [LinearRegressionOutput(GradScale = 2)] Tensor loss;
        }

        [Network]
        public partial class Logistic
        {
            [Input(6)] Tensor data;
            [FullyConnected(2)] Tensor fc;
            [BlockGrad] Tensor stopped;
            [FullyConnected(2, From = nameof(fc))] Tensor fc2;
            [LogisticRegressionOutput] Tensor loss;
        }

        [Network]
        public partial class Made
        {
            [Input(6)] Tensor data;
            [FullyConnected(1)] Tensor fc;
            [MakeLoss(Normalization = LossNormalization.Batch)] Tensor loss;
        }

        [Network]
        public partial class LogHead
        {
            [Input(6)] Tensor data;
            [FullyConnected(3)] Tensor fc;
            [LogSoftmax] Tensor log;
        }

        [Network]
        public partial class Head
        {
            [Input(6)] Tensor data;
            [FullyConnected(3)] Tensor fc;
            [Softmax] Tensor probabilities;
        }
        """;

    private static readonly Assembly s_cpu = typeof(Nxt.Cpu.DenseKernels).Assembly;
    private static readonly Assembly s_gpu = typeof(Nxt.Gpu.GpuPlan).Assembly;

    [Fact]
    public void Every_kernel_call_a_plan_makes_exists_on_both_backends_with_matching_parameters()
    {
        var calls = PlanCalls().ToList();
        Assert.True(calls.Count > 60, $"expected the networks to make many kernel calls, found {calls.Count}");
        var problems = new List<string>();
        foreach (var call in calls.DistinctBy(Signature))
        {
            problems.AddRange(Check(call, "Nxt.Cpu", s_cpu, call.Args));
            problems.AddRange(Check(call, "Nxt.Gpu", s_gpu, call.Args.Where(a => !a.CpuOnly).ToList()));
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Every_kind_has_one_descriptor_and_every_node_attribute_is_read_by_one()
    {
        var kinds = OperatorTable.All.SelectMany(op => op.Kinds).ToList();
        Assert.Equal(kinds.Count, kinds.Distinct().Count());
        foreach (var field in typeof(OpKind).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.FieldType == typeof(OpKind)))
        {
            Assert.Same(OperatorTable.For((OpKind)field.GetValue(null)!), OperatorTable.All.Single(op => op.Kinds.Contains((OpKind)field.GetValue(null)!)));
        }

        var attributes = OperatorTable.All.SelectMany(op => op.AttributeNames).ToList();
        Assert.Equal(attributes.Count, attributes.Distinct().Count());
        var nodeAttributes = typeof(Nxt.NodeAttribute).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(Nxt.NodeAttribute)) && !t.IsAbstract)
            .Select(t => t.Name.Split('`')[0])
            .Where(name => name != "UseAttribute") // a block: inlined by the parser, not an operator
            .ToList();
        Assert.All(nodeAttributes, name => Assert.True(OperatorTable.ForAttribute(name) is not null, $"{name} has no descriptor"));
        Assert.All(attributes, name => Assert.Contains(name, nodeAttributes));
    }

    [Fact]
    public void Each_attribute_property_default_is_its_descriptor_default()
    {
        int compared = 0;
        foreach (var descriptor in OperatorTable.All)
        {
            var defaults = descriptor.GetType().GetFields(BindingFlags.Public | BindingFlags.Static | BindingFlags.FlattenHierarchy)
                .Where(f => f.IsLiteral && f.Name.StartsWith("Default", StringComparison.Ordinal));
            foreach (var constant in defaults)
            {
                string property = constant.Name["Default".Length..];
                foreach (var attributeName in descriptor.AttributeNames)
                {
                    var attribute = Construct(typeof(Nxt.NodeAttribute).Assembly.GetTypes().Single(t => t.Name == attributeName));
                    var value = attribute.GetType().GetProperty(property)?.GetValue(attribute);
                    Assert.True(value is not null, $"{attributeName} has no property {property} for {descriptor.GetType().Name}.{constant.Name}");
                    Assert.Equal(Normalise(constant.GetValue(null)), Normalise(value));
                    compared++;
                }
            }
        }

        Assert.True(compared >= 20, $"compared only {compared} defaults");
    }

    [Theory]
    [InlineData(typeof(ActivationType), typeof(Nxt.Act))]
    [InlineData(typeof(LeakyType), typeof(Nxt.LeakyAct))]
    [InlineData(typeof(PoolType), typeof(Nxt.Pool))]
    [InlineData(typeof(Model.PoolingConvention), typeof(Nxt.PoolingConvention))]
    [InlineData(typeof(Model.LossNormalization), typeof(Nxt.LossNormalization))]
    public void Generator_enums_have_the_runtime_enums_member_names(Type generator, Type runtime)
        => Assert.Equal(Enum.GetNames(runtime).Order(), Enum.GetNames(generator).Order());

    [Fact]
    public void Enum_arguments_are_read_by_member_name_not_by_value()
    {
        // The generator's enum order is not the runtime's concern: an argument read by name is
        // the same member whatever its value in either enum.
        var spec = Parse("""
            using Nxt;
            [Network] public partial class Net
            {
                [Input(4)] Tensor data;
                [Activation(Act.Tanh)] Tensor act;
                [FullyConnected(2)] Tensor fc;
                [SoftmaxOutput(Normalization = LossNormalization.Batch)] Tensor softmax;
            }
            """, "Net");
        Assert.Equal(ActivationType.Tanh, ((ActivationParams)spec.Nodes[1].Params).ActType);
        Assert.Equal(Model.LossNormalization.Batch, ((SoftmaxOutputParams)spec.Nodes[3].Params).Normalization);
    }

    private static IEnumerable<Call> PlanCalls()
    {
        var compilation = Harness.Compilation(Networks);
        foreach (string name in new[] { "Everything", "Unfused", "Logistic", "Made", "LogHead", "Head" })
        {
            var spec = NetworkParser.Parse(compilation.GetTypeByMetadataName(name)!, default).Spec;
            var plan = NetworkPlan.Build(spec) ?? throw new InvalidOperationException($"{name} has build errors: {string.Join("; ", ShapeInference.Run(spec).Errors.Select(e => e.Message))}");
            foreach (var call in Flatten(plan.ForwardSteps).Concat(Flatten(plan.BackwardSteps)))
            {
                yield return call;
            }
        }
    }

    private static IEnumerable<Call> Flatten(IEnumerable<Statement> statements)
    {
        foreach (var statement in statements)
        {
            switch (statement)
            {
                case Call call when call.Target.InKernelNamespace:
                    yield return call;
                    break;
                case Conditional conditional:
                    foreach (var call in Flatten(conditional.Then).Concat(Flatten(conditional.Otherwise ?? [])))
                    {
                        yield return call;
                    }

                    break;
            }
        }
    }

    private static string Signature(Call call) => $"{call.Target.Text}.{call.Method}({string.Join(", ", call.Args.Select(a => a.Name ?? "_"))})";

    // The call's kernel class and method in one backend, with as many parameters as the call has
    // arguments and each named argument at a parameter of that name; its epilogue values too.
    private static IEnumerable<string> Check(Call call, string ns, Assembly assembly, IReadOnlyList<Arg> args)
    {
        string typeName = call.Target.Text.Split('.')[0];
        var type = assembly.GetType($"{ns}.{typeName}");
        if (type is null)
        {
            yield return $"{ns}.{typeName} does not exist ({Signature(call)})";
            yield break;
        }

        var candidates = call.Target.Text.Contains('.')
            ? type.GetMethods().Where(m => m.Name == call.Method && !m.IsStatic)
            : type.GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.Name == call.Method);
        bool matches = candidates.Any(m =>
        {
            var parameters = m.GetParameters();
            return parameters.Length == args.Count && args.Select((a, i) => a.Name is null || parameters[i].Name == a.Name).All(ok => ok);
        });
        if (!matches)
        {
            yield return $"{ns}.{typeName}.{call.Method} has no overload taking ({string.Join(", ", args.Select(a => a.Name ?? a.Text))})";
        }

        foreach (var value in args.Where(a => a.InKernelNamespace))
        {
            string member = value.Text.Split('.', '(')[1];
            if (assembly.GetType($"{ns}.{value.Text.Split('.')[0]}")?.GetMember(member).Length is null or 0)
            {
                yield return $"{ns}.{value.Text} does not exist";
            }
        }
    }

    private static NetworkSpec Parse(string source, string name)
        => NetworkParser.Parse(Harness.Compilation(source).GetTypeByMetadataName(name)!, default).Spec;

    private static object Construct(Type attribute)
    {
        var constructor = attribute.GetConstructors().OrderBy(c => c.GetParameters().Length).First();
        var arguments = constructor.GetParameters().Select(p => p.HasDefaultValue ? p.DefaultValue
            : p.ParameterType == typeof(int) ? 1
            : p.ParameterType == typeof(double) ? 0.5
            : p.ParameterType.IsArray ? Array.CreateInstance(p.ParameterType.GetElementType()!, 0)
            : p.ParameterType.IsEnum ? Enum.GetValues(p.ParameterType).GetValue(0)
            : null).ToArray();
        return constructor.Invoke(arguments);
    }

    // Enums of either side compare by member name.
    private static object? Normalise(object? value) => value is Enum e ? e.ToString() : value;
}

using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Planning;

namespace Nxt.Generators.Tests;

/// <summary>The shape core on its own: no Roslyn, specs built by hand.</summary>
public class ShapeInferenceTests
{
    private static readonly EquatableArray<InputRef> Above = EquatableArray<InputRef>.Empty;

    private static EquatableArray<InputRef> From(string? name) => name is null ? Above : new[] { new InputRef(name, "From", -1) }.ToEquatableArray();

    private static NodeSpec Input(string name, params int[] shape) => new(name, OpKind.Input, Above, new InputParams(shape.ToEquatableArray()));

    private static NodeSpec Dense(string name, int units, bool flatten = true, string? from = null) => new(name, OpKind.FullyConnected, From(from), new FullyConnectedParams(units, false, flatten));

    private static NodeSpec Softmax(string name = "softmax") => new(name, OpKind.SoftmaxOutput, Above, new SoftmaxOutputParams(1));

    private static NetworkSpec Network(params NodeSpec[] nodes) => new(null, "Net", EquatableArray<ContainingType>.Empty, true, null, nodes.ToEquatableArray(), EquatableArray<DeclarationProblem>.Empty);

    [Fact]
    public void Dense_with_flatten_takes_every_feature_and_without_it_the_last_axis()
    {
        var (graph, errors) = ShapeInference.Run(Network(Input("data", 2, 3, 4), Dense("a", 5, flatten: false), Dense("b", 6), Softmax()));
        Assert.Empty(errors);
        Assert.Equal([2, 3, 5], graph!.Nodes[1].Shape);
        Assert.Equal([5, 4], graph.Nodes[1].Parameters[0].Shape);
        Assert.Equal([6], graph.Nodes[2].Shape);
        Assert.Equal([6, 30], graph.Nodes[2].Parameters[0].Shape);
        Assert.Equal(["data", "a_weight", "a_bias", "b_weight", "b_bias", "softmax_label"], graph.Arguments.Select(a => a.Name));
    }

    [Fact]
    public void Errors_name_the_node_argument_and_shapes()
    {
        var (graph, errors) = ShapeInference.Run(Network(Input("data", 3, 4), Softmax()));
        Assert.Null(graph);
        var error = Assert.Single(errors);
        Assert.Equal(ErrorCode.ShapeMismatch, error.Code);
        Assert.Equal(1, error.NodeIndex);
        Assert.Contains("(N,3,4)", error.Message);

        (_, errors) = ShapeInference.Run(Network(Input("data", 4), Dense("fc", 0), Softmax()));
        Assert.Equal(("numHidden", 1), (errors.Single().Argument, errors.Single().NodeIndex));
    }

    [Fact]
    public void A_misspelled_reference_suggests_the_nearest_earlier_node()
    {
        var (_, errors) = ShapeInference.Run(Network(Input("data", 4), Dense("hidden", 3), Dense("fc", 2, from: "hiden"), Softmax()));
        Assert.EndsWith("did you mean 'hidden'?", Assert.Single(errors).Message);
        (_, errors) = ShapeInference.Run(Network(Input("data", 4), Dense("fc", 2, from: "unrelated"), Softmax()));
        Assert.DoesNotContain("did you mean", Assert.Single(errors).Message);
    }

    [Fact]
    public void A_broken_node_does_not_cascade_into_its_readers()
    {
        var (_, errors) = ShapeInference.Run(Network(Input("data", 4), Dense("fc", 3, from: "missing"), Dense("fc2", 2), Softmax()));
        Assert.Equal(ErrorCode.UnknownReference, Assert.Single(errors).Code);
    }

    [Fact]
    public void The_memory_plan_equals_the_naive_sum_when_nothing_is_a_view()
    {
        var (graph, _) = ShapeInference.Run(Network(Input("data", 10), Dense("fc1", 8), Dense("fc2", 4), Softmax()));
        var plan = MemoryPlan.Build(graph!);
        Assert.Equal(10 + 8 + 4 + 4, plan.ActivationFloatsPerSample);
        Assert.Equal(8 + 4, plan.GradientFloatsPerSample); // data and the loss output need none
        Assert.Equal(plan.NaiveFloatsPerSample, plan.ActivationFloatsPerSample + plan.GradientFloatsPerSample);
        Assert.Equal((10 * 8) + 8 + (8 * 4) + 4, plan.ParameterFloats);
    }

    [Fact]
    public void Flatten_shares_its_input_buffer_and_gradient()
    {
        var flatten = new NodeSpec("flat", OpKind.Flatten, Above, new FlattenParams());
        var (graph, _) = ShapeInference.Run(Network(Input("data", 2, 5), Dense("proj", 3, flatten: false), flatten, Dense("fc", 4), Softmax()));
        var plan = MemoryPlan.Build(graph!);
        Assert.Equal(plan.OutputOffset[1], plan.OutputOffset[2]);
        Assert.Equal(plan.GradientOffset[1], plan.GradientOffset[2]);
        Assert.Equal(plan.NaiveFloatsPerSample - (2 * 6), plan.ActivationFloatsPerSample + plan.GradientFloatsPerSample);
    }
}

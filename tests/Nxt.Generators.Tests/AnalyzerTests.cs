extern alias analyzers;

using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using analyzers::Nxt.Analyzers;

namespace Nxt.Generators.Tests;

/// <summary>Each NXT diagnostic, with its exact ID and location in Microsoft.CodeAnalysis.Testing markup.</summary>
public class AnalyzerTests
{
    [Fact]
    public Task Softmax_on_a_non_matrix_input_is_a_shape_error() => Verify("""
        [Network] public partial class Net
        {
            [Input(3, 4)] Tensor data;
            [{|NXT0001:SoftmaxOutput|}] Tensor softmax;
        }
        """);

    [Fact]
    public Task Unknown_From_reference_is_reported_at_the_argument() => Verify("""
        [Network] public partial class Net
        {
            [Input(4)] Tensor data;
            [FullyConnected(3, From = {|NXT0002:"nope"|})] Tensor fc1;
            [SoftmaxOutput] Tensor softmax;
        }
        """);

    [Fact]
    public Task Forward_and_self_references_are_reported_at_the_argument() => Verify("""
        [Network] public partial class Net
        {
            [Input(4)] Tensor data;
            [FullyConnected(3, From = {|NXT0003:nameof(fc2)|})] Tensor fc1;
            [FullyConnected(3, From = {|NXT0003:nameof(fc2)|})] Tensor fc2;
            [SoftmaxOutput] Tensor softmax;
        }
        """);

    [Fact]
    public Task Out_of_range_arguments_are_reported_at_the_argument() => Verify("""
        [Network] public partial class Net
        {
            [Input({|NXT0004:0, 5|})] Tensor data;
            [FullyConnected({|NXT0004:0|})] Tensor fc1;
            [Dropout({|NXT0004:1.5|})] Tensor drop;
            [SoftmaxOutput] Tensor softmax;
        }
        """);

    [Fact]
    public Task Dropout_probability_named_by_parameter_is_located_too() => Verify("""
        [Network] public partial class Net
        {
            [Input(5)] Tensor data;
            [Dropout(p: {|NXT0004:-0.1|})] Tensor drop;
            [FullyConnected(2)] Tensor fc;
            [SoftmaxOutput] Tensor softmax;
        }
        """);

    [Fact]
    public Task A_layer_with_nothing_above_it_has_no_input() => Verify("""
        [Network] public partial class Net
        {
            [{|NXT0005:FullyConnected(3)|}] Tensor fc1;
            [SoftmaxOutput] Tensor softmax;
        }
        """);

    [Fact]
    public Task An_empty_network_has_no_input() => Verify("""
        [Network] public partial class {|NXT0005:Net|}
        {
        }
        """);

    [Fact]
    public Task A_class_that_is_not_partial_is_reported_at_its_name() => Verify("""
        [Network] public class {|NXT0006:Net|}
        {
            [Input(4)] Tensor data;
            [SoftmaxOutput] Tensor softmax;
        }
        """);

    [Fact]
    public Task A_conflicting_base_class_is_reported_at_the_base() => Verify("""
        [Network] public partial class Net : {|NXT0007:System.Collections.ArrayList|}
        {
            [Input(4)] Tensor data;
            [SoftmaxOutput] Tensor softmax;
        }
        """);

    [Fact]
    public Task A_parameter_name_that_is_another_nodes_name_is_a_duplicate() => Verify("""
        [Network] public partial class Net
        {
            [Input(4)] Tensor data;
            [{|NXT0008:FullyConnected(3)|}] Tensor fc1;
            [Activation(Act.Relu)] Tensor fc1_weight;
            [SoftmaxOutput] Tensor softmax;
        }
        """);

    [Fact]
    public Task A_variable_needs_a_shape_and_one_its_readers_can_take() => Verify("""
        [Network] public partial class Net
        {
            [Input(4)] Tensor data;
            [Variable({|NXT0004:3, 0|})] Tensor broken;
            [Variable(5)] Tensor shift;
            [{|NXT0001:Add(nameof(data), nameof(shift))|}] Tensor moved;
            [SoftmaxOutput(From = nameof(data))] Tensor softmax;
        }
        """);

    [Fact]
    public Task A_network_without_a_loss_layer_is_an_inference_graph() => Verify("""
        [Network] public partial class Net
        {
            [Input(4)] Tensor a;
            [Input(4)] Tensor b;
            [Add("a", "b")] Tensor sum;
            [FullyConnected(3)] Tensor fc1;
        }
        """);

    [Fact]
    public Task A_loss_layer_followed_by_another_node_is_reported_at_both() => Verify("""
        [Network] public partial class Net
        {
            [Input(4)] Tensor data;
            [{|NXT0010:SoftmaxOutput|}] Tensor softmax;
            [{|NXT0010:Activation(Act.Relu)|}] Tensor after;
        }
        """);

    [Fact]
    public Task Node_members_of_the_wrong_kind_are_unsupported() => Verify("""
        [Network] public partial class Net
        {
            [Input(4)] Tensor data;
            [{|NXT0011:FullyConnected(3)|}] int fc1;
            [{|NXT0011:Activation(Act.Relu)|}] static Tensor relu;
            [SoftmaxOutput(From = nameof(data))] Tensor softmax;
        }
        """);

    [Fact]
    public Task Element_wise_operands_of_different_shapes_are_a_shape_error() => Verify("""
        [Network] public partial class Net
        {
            [Input(4)] Tensor data;
            [FullyConnected(8)] Tensor a;
            [FullyConnected(6, From = nameof(data))] Tensor b;
            [{|NXT0001:Add(nameof(a), nameof(b))|}] Tensor sum;
            [SoftmaxOutput] Tensor softmax;
        }
        """);

    [Fact]
    public Task Concat_inputs_that_differ_off_axis_are_a_shape_error() => Verify("""
        [Network] public partial class Net
        {
            [Input(3, 8, 8)] Tensor data;
            [Convolution(4, Kernel = 3)] Tensor a;
            [Convolution(4, Kernel = 1, From = nameof(data))] Tensor b;
            [{|NXT0001:Concat(nameof(a), nameof(b))|}] Tensor joined;
            [FullyConnected(2)] Tensor fc;
            [SoftmaxOutput] Tensor softmax;
        }
        """);

    [Fact]
    public Task A_misspelled_concat_input_is_reported_at_that_name() => Verify("""
        [Network] public partial class Net
        {
            [Input(3, 8, 8)] Tensor data;
            [Convolution(4, Kernel = 1)] Tensor a;
            [Concat(nameof(a), {|NXT0002:"b"|})] Tensor joined;
            [FullyConnected(2)] Tensor fc;
            [SoftmaxOutput] Tensor softmax;
        }
        """);

    [Fact]
    public Task Convolution_window_and_group_errors_are_reported_at_their_arguments() => Verify("""
        [Network] public partial class Net
        {
            [Input(3, 8, 8)] Tensor data;
            [Convolution(4, Kernel = {|NXT0004:11|})] Tensor big;
            [Convolution(6, Kernel = 3, NumGroup = {|NXT0004:4|}, From = nameof(data))] Tensor groups;
            [Convolution(4, Kernel = 3, Stride = {|NXT0004:0|}, From = nameof(data))] Tensor stride;
            [Convolution(6, Kernel = 3, NumGroup = {|NXT0004:2|}, From = nameof(data))] Tensor channels;
            [FullyConnected(2)] Tensor fc;
            [SoftmaxOutput] Tensor softmax;
        }
        """);

    [Fact]
    public Task Convolution_of_a_non_image_is_a_shape_error() => Verify("""
        [Network] public partial class Net
        {
            [Input(784)] Tensor data;
            [{|NXT0001:Convolution(4, Kernel = 3)|}] Tensor conv;
            [FullyConnected(2)] Tensor fc;
            [SoftmaxOutput] Tensor softmax;
        }
        """);

    [Fact]
    public Task A_reshape_that_changes_the_element_count_is_a_shape_error() => Verify("""
        [Network] public partial class Net
        {
            [Input(3, 4)] Tensor data;
            [{|NXT0001:Reshape(0, 5, 2)|}] Tensor bad;
            [FullyConnected(2)] Tensor fc;
            [SoftmaxOutput] Tensor softmax;
        }
        """);

    [Fact]
    public Task An_add_with_one_node_and_no_scalar_is_out_of_range() => Verify("""
        [Network] public partial class Net
        {
            [Input(4)] Tensor data;
            [{|NXT0004:Add|}] Tensor sum;
            [SoftmaxOutput] Tensor softmax;
        }
        """);

    [Fact]
    public Task An_error_inside_a_block_is_reported_where_the_block_is_used() => Verify("""
        [Block] public partial class Unit
        {
            [BlockInput] Tensor data;
            [Convolution(4, Kernel = 3, Pad = 1)] Tensor conv;
            [Add(nameof(conv), nameof(data))] Tensor sum;
        }

        [Network] public partial class Net
        {
            [Input(3, 8, 8)] Tensor data;
            [{|NXT0001:Use<Unit>(Repeat = 2)|}] Tensor stage1;
            [FullyConnected(2)] Tensor fc;
            [SoftmaxOutput] Tensor softmax;
        }
        """);

    [Fact]
    public Task Using_a_class_that_is_not_a_block_or_repeating_it_zero_times_is_reported() => Verify("""
        public class NotABlock { }

        [Block] public partial class Unit
        {
            [BlockInput] Tensor data;
            [Activation(Act.Relu)] Tensor relu;
        }

        [Network] public partial class Net
        {
            [Input(4)] Tensor data;
            [{|NXT0011:Use<NotABlock>|}] Tensor a;
            [Use<Unit>(Repeat = {|NXT0004:0|})] Tensor b;
            [SoftmaxOutput] Tensor softmax;
        }
        """);

    [Fact]
    public Task A_custom_operator_is_checked_against_its_declared_shape_rule() => Verify("""
        [CustomOperator(InputRank = 3)]
        public sealed class Images : ICustomOperator
        {
            public void Forward(System.ReadOnlySpan<float> input, System.Span<float> output, int batchSize, bool isTrain) { }
            public void Backward(System.ReadOnlySpan<float> input, System.ReadOnlySpan<float> output, System.ReadOnlySpan<float> outputGradient, System.Span<float> inputGradient, int batchSize) { }
        }

        public sealed class NoRule : ICustomOperator
        {
            public void Forward(System.ReadOnlySpan<float> input, System.Span<float> output, int batchSize, bool isTrain) { }
            public void Backward(System.ReadOnlySpan<float> input, System.ReadOnlySpan<float> output, System.ReadOnlySpan<float> outputGradient, System.Span<float> inputGradient, int batchSize) { }
        }

        [Network] public partial class Net
        {
            [Input(16)] Tensor data;
            [{|NXT0001:Custom<Images>|}] Tensor a;
            [{|NXT0011:Custom<NoRule>|}] Tensor b;
            [SoftmaxOutput] Tensor softmax;
        }
        """);

    [Fact]
    public Task A_custom_layer_is_checked_against_its_declared_inputs_and_parameters() => Verify("""
        [CustomOperator(Inputs = 2, Parameters = new[] { "scale:4" })]
        public sealed class Pair : ICustomLayer
        {
            public void Forward(SpanList inputs, SpanList parameters, System.Span<float> output, int batchSize, bool isTrain) { }
            public void Backward(SpanList inputs, SpanList parameters, System.ReadOnlySpan<float> output, System.ReadOnlySpan<float> outputGradient, System.ReadOnlySpan<float> label, SpanList inputGradients, SpanList parameterGradients, int batchSize) { }
        }

        [CustomOperator(Parameters = new[] { "weight:4x0" })]
        public sealed class BadShape : ICustomLayer
        {
            public void Forward(SpanList inputs, SpanList parameters, System.Span<float> output, int batchSize, bool isTrain) { }
            public void Backward(SpanList inputs, SpanList parameters, System.ReadOnlySpan<float> output, System.ReadOnlySpan<float> outputGradient, System.ReadOnlySpan<float> label, SpanList inputGradients, SpanList parameterGradients, int batchSize) { }
        }

        [CustomOperator(Label = true)]
        public sealed class OldStyle : ICustomOperator
        {
            public void Forward(System.ReadOnlySpan<float> input, System.Span<float> output, int batchSize, bool isTrain) { }
            public void Backward(System.ReadOnlySpan<float> input, System.ReadOnlySpan<float> output, System.ReadOnlySpan<float> outputGradient, System.Span<float> inputGradient, int batchSize) { }
        }

        [Network] public partial class Net
        {
            [Input(4)] Tensor data;
            [Custom<Pair>(nameof(data), nameof(data))] Tensor good;
            [{|NXT0004:Custom<Pair>|}] Tensor one;
            [{|NXT0004:Custom<BadShape>|}] Tensor bad;
            [{|NXT0004:Custom<OldStyle>|}] Tensor old;
            [SoftmaxOutput(From = nameof(good))] Tensor softmax;
        }
        """);

    [Fact]
    public Task A_valid_network_has_no_diagnostics() => Verify(SnapshotTests.Mlp.Replace("using Nxt;\nnamespace Samples;\n", string.Empty, StringComparison.Ordinal));

    [Fact]
    public void Every_error_code_has_the_descriptor_of_the_same_number()
    {
        foreach (var code in Enum.GetValues<Nxt.Generators.Graph.ErrorCode>())
        {
            Assert.Equal($"NXT{(int)code:D4}", DiagnosticDescriptors.For((analyzers::Nxt.Generators.Graph.ErrorCode)(int)code).Id);
        }

        Assert.Equal(Enum.GetValues<Nxt.Generators.Graph.ErrorCode>().Length, DiagnosticDescriptors.All.Length);
    }

    private static async Task Verify(string network)
    {
        var test = new CSharpAnalyzerTest<NetworkAnalyzer, DefaultVerifier>
        {
            TestCode = "using Nxt;\n\n" + network,
            // Reference assemblies come from a package restored with the tests, not downloaded at run time.
            ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
        };
        test.TestState.AdditionalReferences.AddRange(Harness.References);
        // Node fields are never assigned without the generator; those warnings are not what is tested.
        test.CompilerDiagnostics = CompilerDiagnostics.Errors;
        test.DisabledDiagnostics.AddRange(["CS0169", "CS0649", "CS8618", "CS0414"]);
        await test.RunAsync();
    }
}

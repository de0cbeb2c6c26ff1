using Microsoft.CodeAnalysis;

namespace Nxt.Generators.Tests;

/// <summary>The sequence operators' arguments: what Nxt has so far, and the NXT0004 for the rest, at the argument.</summary>
public class SequenceOperatorTests
{
    [Theory]
    [InlineData("[RNN(8, Mode = (RnnMode)9)]", "Mode = (RnnMode)9", "RNN 'op' has mode 9, which is not a value of RnnMode")]
    [InlineData("[RNN(8, NumLayers = 0)]", "NumLayers = 0", "RNN 'op' has 0 layers: it must have at least 1")]
    [InlineData("[RNN(8, P = 0.5)]", "P = 0.5", "RNN 'op' has dropout p = 0.5 but one layer: MXNet's p drops between layers, so it needs NumLayers of 2 or more")]
    [InlineData("[RNN(8, NumLayers = 2, P = 1)]", "P = 1", "RNN 'op' has dropout p = 1: it must be in [0, 1)")]
    [InlineData("[RNN(8, State = \"data\")]", "State = \"data\"", "RNN 'op' reads initial states, so name its sequence with From = nameof(...)")]
    [InlineData("[RNN(8, Mode = RnnMode.Gru, State = \"data\", StateCell = \"data\", From = \"data\")]", "StateCell = \"data\"", "RNN 'op' is a Gru cell, which has no cell state: only an LSTM takes StateCell")]
    [InlineData("[RNN(8, StateCell = \"data\", From = \"data\")]", "StateCell = \"data\"", "RNN 'op' has StateCell but no State: give the initial hidden state too")]
    [InlineData("[RNN(8, Layout = RnnLayout.Tnc)]", "Layout = RnnLayout.Tnc", "RNN 'op' has layout TNC: a Nxt value has the batch first, so the sequence is (N, T, C); use Layout = RnnLayout.Ntc")]
    [InlineData("[RNN(0)]", "0", "RNN 'op' has state_size 0: it must be at least 1")]
    [InlineData("[Embedding(0, 4)]", "0", "Embedding 'op' has input_dim 0: it must be at least 1")]
    [InlineData("[Slice(Step = new[] { 0 })]", "Step = new[] { 0 }", "Slice 'op' has step (0): a step cannot be 0")]
    [InlineData("[Dot(\"data\", \"data\", TransposeA = true)]", "TransposeA = true", "dot 'op' has transpose_a, which sums over lhs's first axis: in Nxt that is the batch, so the product would mix samples; transpose each sample with BatchDot(TransposeA = true) or Transpose")]
    [InlineData("[SequenceLast(Axis = 2)]", "Axis = 2", "SequenceLast 'op' has axis 2: a Nxt value has the batch first, so its time axis is 1")]
    public Task Arguments_Nxt_does_not_have_are_NXT0004_at_the_argument(string attribute, string at, string message)
        => Harness.AssertSingleError("using Nxt; [Network] public partial class Net { [Input(6, 3)] Tensor data; " + attribute + " Tensor op; }", "NXT0004", message, at);

    [Theory]
    [InlineData("[SequenceMask(\"data\", \"lengths\", Axis = 0)]", "Axis = 0", "NXT0004", "SequenceMask 'op' has axis 0: a Nxt value has the batch first, so its time axis is 1")]
    [InlineData("[SequenceMask(\"data\", \"data\")]", "\"data\"", "NXT0001", "SequenceMask 'op' takes one length per sample, (N) or (N,1), but 'data' is (N,6,3)")]
    [InlineData("[SequenceMask(\"data\", \"lenghts\")]", "\"lenghts\"", "NXT0002", "'op' reads 'lenghts', but the network has no node of that name; did you mean 'lengths'?")]
    public Task A_sequence_mask_s_inputs_are_checked_at_the_argument(string attribute, string at, string id, string message)
        => Harness.AssertSingleError("using Nxt; [Network] public partial class Net { [Input(6, 3)] Tensor data; [Input(1)] Tensor lengths; " + attribute + " Tensor op; }", id, message, at);

    [Theory]
    [InlineData("[BatchDot(\"data\", \"data\")]", "batch_dot 'op' multiplies 'data' (N,6,3) and 'data' (N,6,3) as (6x3) by (6x3): the inner sizes differ")]
    [InlineData("[BatchDot(\"data\", \"lengths\")]", "batch_dot 'op' multiplies the last two axes of operands whose other axes agree, but 'data' (N,6,3) and 'lengths' (N,1) do not")]
    public Task Batch_dot_operands_that_do_not_multiply_are_NXT0001_at_rhs(string attribute, string message)
        => Harness.AssertSingleError(
            "using Nxt; [Network] public partial class Net { [Input(6, 3)] Tensor data; [Input(1)] Tensor lengths; " + attribute + " Tensor op; }",
            "NXT0001", message, attribute.Split(", ")[1].TrimEnd(')', ']'));

    [Theory]
    [InlineData("[Dot(\"data\", \"data\")]", "dot 'op' multiplies by a learned matrix, a 2-D [Variable], but 'data' is Input (N,6,3): for a product per sample of two nodes, use BatchDot")]
    [InlineData("[Dot(\"data\", \"matrix\", TransposeB = true)]", "dot 'op' multiplies the last axis of 'data' (N,6,3) by the 4 rows of 'matrix' (3,4): the sizes differ")]
    public Task Dot_takes_a_matching_learned_matrix(string attribute, string message)
        => Harness.AssertSingleError(
            "using Nxt; [Network] public partial class Net { [Input(6, 3)] Tensor data; [Variable(3, 4)] Tensor matrix; " + attribute + " Tensor op; }",
            "NXT0001", message, attribute.Split(", ")[1].Split(')')[0].Split(",")[0]);

    [Theory]
    [InlineData("[RNN(8, State = \"h0\", From = \"data\")]", "State = \"h0\"", "RNN 'op' takes its initial hidden state as (N,1,8) (layers x directions, state size; MXNet's (L*D, N, H) with the batch first), but 'h0' is (N,2,8)")]
    [InlineData("[RNN(8, NumLayers = 2, State = \"h0\", StateCell = \"data\", From = \"data\")]", "StateCell = \"data\"", "RNN 'op' takes its initial cell as (N,2,8) (layers x directions, state size; MXNet's (L*D, N, H) with the batch first), but 'data' is (N,6,3)")]
    public Task Initial_states_of_the_wrong_shape_are_NXT0001_at_their_argument(string attribute, string at, string message)
        => Harness.AssertSingleError("using Nxt; [Network] public partial class Net { [Input(6, 3)] Tensor data; [Input(2, 8)] Tensor h0; " + attribute + " Tensor op; }", "NXT0001", message, at);

    [Theory]
    [InlineData("[RNNState(\"data\")]", "\"data\"", "NXT0001", "RNNState 'op' reads the final states of an RNN, but 'data' is Input (N,6,3)")]
    [InlineData("[RNNState(\"gru\", Cell = true)]", "Cell = true", "NXT0004", "RNNState 'op' asks for the cells of 'gru', a Gru cell, which has none: only an LSTM keeps a cell state")]
    public Task Final_states_are_read_from_an_rnn_and_cells_from_an_lstm(string attribute, string at, string id, string message)
        => Harness.AssertSingleError("using Nxt; [Network] public partial class Net { [Input(6, 3)] Tensor data; [RNN(4, Mode = RnnMode.Gru)] Tensor gru; " + attribute + " Tensor op; }", id, message, at);

    [Fact]
    public async Task An_rnn_over_a_value_that_is_not_a_sequence_is_NXT0001()
    {
        var (output, _, _) = Harness.Generate("using Nxt; [Network] public partial class Net { [Input(6)] Tensor data; [RNN(4)] Tensor lstm; }");
        var error = Assert.Single((await Harness.AllDiagnostics(output)).Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.Equal("NXT0001", error.Id);
        Assert.Equal("RNN 'lstm' reads a sequence (N,T,C), but 'data' is (N,6)", error.GetMessage());
    }
}

using Nxt.Runtime.Tests.Gpu;

namespace Nxt.Runtime.Tests.Networks;

/// <summary>
/// General graphs, as MXNet's Symbol tutorial uses them: several inputs, inference graphs without
/// a loss, input gradients, free variables, several labelled heads, labels of any shape.
/// </summary>
public class GraphTests
{
    [Fact]
    public void Tutorial_sum_of_two_variables_infers_shapes_and_evaluates()
    {
        // d = (A + B) / 10 + 1 with A, B of shape (10, 2): ([(10,2), (10,2)], [(10,2)], []).
        var shapes = ScaledSum.InferShape(10);
        Assert.Equal(["A", "B"], shapes.Arguments.Select(a => a.Name));
        Assert.All(shapes.Arguments, a => Assert.Equal([10, 2], a.Shape));
        Assert.Equal([10, 2], Assert.Single(shapes.Outputs).Shape);
        Assert.Empty(shapes.AuxiliaryStates);
        Assert.Equal(["A", "B"], ScaledSum.DataNames);
        Assert.Empty(ScaledSum.LabelNames);

        using var net = new ScaledSum();
        net.Bind(10, forTraining: false);
        net.InitParams();
        var a = TestData.Random(20, 1, 5f);
        var b = TestData.Random(20, 2, 5f);
        net.Forward(new DataBatch([new Tensor(a, 10, 2), new Tensor(b, 10, 2)], null), isTrain: false);
        var expected = a.Zip(b, (x, y) => ((x + y) / 10f) + 1f).ToArray();
        TestData.AssertClose(expected, net.GetOutputs()[0].Span, 1e-6, 1e-6, "(A + B) / 10 + 1");
    }

    [Fact]
    public void Tutorial_multiply_add_gives_both_grouped_outputs()
    {
        using var net = new MulAdd();
        Assert.Equal(["E_output", "C_output"], MulAdd.OutputNames);
        net.Bind(1, forTraining: false);
        net.InitParams();

        // a = 0 (the tutorial's "empty" array read as zero), b = d = 1: E = a·b + d = 1.
        net.Forward(new DataBatch([new Tensor([0f], 1, 1), new Tensor([1f], 1, 1), new Tensor([1f], 1, 1)], null));
        Assert.Equal([1f], net.GetOutputs()[0].ToArray());
        net.Forward(new DataBatch([new Tensor([3f], 1, 1), new Tensor([4f], 1, 1), new Tensor([5f], 1, 1)], null));
        Assert.Equal([17f], net.GetOutputs()[0].ToArray());
        Assert.Equal([12f], net.GetOutputs()[1].ToArray());
    }

    [Fact]
    public void Tutorial_block_grad_and_make_loss_give_the_printed_outputs_and_input_gradients()
    {
        using var net = new StopGradLoss();
        net.Bind(1, inputsNeedGrad: true);
        net.InitParams();
        net.Forward(new DataBatch([new Tensor([1f, 1f], 1, 2), new Tensor([2f, 2f], 1, 2), new Tensor([3f, 3f], 1, 2)], null), isTrain: true);
        Assert.Equal([16f, 16f], net.GetOutputs()[0].ToArray());
        net.Backward();
        Assert.Equal([1f, 1f], net.GetInputGradient("a").ToArray());
        Assert.Equal([0f, 0f], net.GetInputGradient("b").ToArray());
        Assert.Equal([0f, 0f], net.GetInputGradient("c").ToArray());
        Assert.Equal([1, 2], net.GetInputGradient("a").Shape.ToArray());
    }

    [Fact]
    public void Make_loss_symbol_json_has_no_label_input()
    {
        string json = StopGradLoss.ToJson();
        Assert.DoesNotContain("loss_label", json);
        Assert.Equal(["a", "b", "c"], StopGradLoss.ArgumentNames);
    }

    [Fact]
    public void Input_gradients_match_finite_differences_through_every_layer()
    {
        using var net = new TwoInputTwoHead { Seed = 3 };
        net.Bind(3, inputsNeedGrad: true);
        net.InitParams(new Uniform(0.5f));
        var batch = DeviceComparison.RandomBatch(net, 3);
        double Loss()
        {
            net.Forward(batch, isTrain: true);
            return CrossEntropy(net.GetOutputs()[0], batch.Labels[0]) + SquaredError(net.GetOutputs()[1], batch.Labels[1]);
        }

        Loss();
        net.Backward();
        foreach (string input in TwoInputTwoHead.DataNames)
        {
            var analytic = net.GetInputGradient(input).ToArray();
            var tensor = batch.Inputs[TwoInputTwoHead.DataNames.ToList().IndexOf(input)];
            var copy = tensor.ToArray();
            var numeric = TestData.NumericGradient(copy, () =>
            {
                copy.CopyTo(tensor.Span);
                return Loss();
            });
            copy.CopyTo(tensor.Span);
            TestData.AssertClose(numeric, analytic, 3e-3, 2e-2, $"d(loss)/d({input})");
        }
    }

    [Fact]
    public void Two_heads_gradient_check_and_list_their_labels_and_outputs()
    {
        Assert.Equal(["image", "extra"], TwoInputTwoHead.DataNames);
        Assert.Equal(["category_label", "value_label"], TwoInputTwoHead.LabelNames);
        Assert.Equal(["category_output", "value_output"], TwoInputTwoHead.OutputNames);
        using var net = new TwoInputTwoHead { Seed = 5 };
        net.Bind(4);
        net.InitParams(new Uniform(0.5f));
        GradientCheck.AllParameters(net, DeviceComparison.RandomBatch(net, 4), (outputs, batch) => CrossEntropy(outputs[0], batch.Labels[0]) + SquaredError(outputs[1], batch.Labels[1]));
    }

    [Fact]
    public void A_variable_is_a_learned_argument_broadcast_over_the_batch()
    {
        Assert.Contains("shift", ShiftedMlp.ArgumentNames);
        using var net = new ShiftedMlp { Seed = 9 };
        net.Bind(3);
        net.InitParams(new Uniform(0.5f));
        var shift = net.GetParams().ArgParams["shift"].ToArray();
        var batch = DeviceComparison.RandomBatch(net, 3);
        net.Forward(batch, isTrain: false);
        var moved = net.Moved;
        for (int r = 0; r < 3; r++)
        {
            for (int j = 0; j < 4; j++)
            {
                Assert.Equal(batch.Data.Span[(r * 4) + j] + shift[j], moved.Span[(r * 4) + j], 5);
            }
        }

        GradientCheck.AllParameters(net, batch, (outputs, b) => GradientCheck.CrossEntropy(outputs, b));
    }

    [Fact]
    public void A_network_without_a_loss_is_an_inference_graph()
    {
        using var net = new FeatureExtractor();
        var error = Assert.Throws<InvalidOperationException>(() => net.Bind(2));
        Assert.Contains("inference graph", error.Message);
        net.Bind(2, forTraining: false);
        net.InitParams(new Uniform(0.5f));
        var batch = DeviceComparison.RandomBatch(net, 2);
        net.Forward(batch, isTrain: false);
        Assert.Equal([2, 32], net.GetOutputs()[0].Shape.ToArray());
        var predicted = net.Predict(new NDArrayIter(batch.Data, null, 1));
        TestData.AssertClose(net.GetOutputs()[0].Span, predicted.Span, 1e-6, 1e-6, "Predict at batch 1 against Forward at batch 2");
    }

    [Fact]
    public void A_width_two_regression_trains_through_ndarrayiter()
    {
        const int count = 512;
        var x = TestData.Random(count * 3, 4);
        var y = new float[count * 2];
        for (int i = 0; i < count; i++)
        {
            y[2 * i] = (0.5f * x[3 * i]) - x[(3 * i) + 1] + 0.25f;
            y[(2 * i) + 1] = x[(3 * i) + 2] - 0.5f;
        }

        var train = new NDArrayIter(new Tensor(x, count, 3), new Tensor(y, count, 2), 32, shuffle: true, seed: 2);
        using var net = new PlaneRegression { Seed = 1 };
        net.Fit(train, numEpoch: 30, optimizer: new Sgd(0.1f, momentum: 0.9f), evalMetric: new MeanSquaredError(), log: TextWriter.Null);
        double mse = net.Score(new NDArrayIter(new Tensor(x, count, 3), new Tensor(y, count, 2), 100), new MeanSquaredError());
        Assert.True(mse < 1e-4, $"mse {mse}");
    }

    [Fact]
    public void Batches_are_matched_by_name_and_a_missing_or_extra_name_is_named()
    {
        using var net = new TwoInputTwoHead { Seed = 5 };
        var random = DeviceComparison.RandomBatch(net, 8);
        var data = new Dictionary<string, Tensor> { ["extra"] = random.Inputs[1], ["image"] = random.Inputs[0] };
        var labels = new Dictionary<string, Tensor> { ["value_label"] = random.Labels[1], ["category_label"] = random.Labels[0] };
        net.Bind(4);
        net.InitParams(new Uniform(0.5f));
        var byName = new NDArrayIter(data, labels, 4);
        Assert.True(byName.MoveNext());
        net.Forward(byName.Current, isTrain: true);
        var named = net.GetOutputs().Select(o => o.ToArray()).ToList();
        net.Forward(new DataBatch([TestData.Rows(random.Inputs[0], 4), TestData.Rows(random.Inputs[1], 4)], [TestData.Rows(random.Labels[0], 4), TestData.Rows(random.Labels[1], 4)]), isTrain: true);
        Assert.Equal(named[0], net.GetOutputs()[0].ToArray());

        var missing = new NDArrayIter(new Dictionary<string, Tensor> { ["image"] = random.Inputs[0] }, labels, 4);
        missing.MoveNext();
        Assert.Contains("has no data 'extra'", Assert.Throws<ArgumentException>(() => net.Forward(missing.Current)).Message);
        var extra = new NDArrayIter(new Dictionary<string, Tensor>(data) { ["bonus"] = random.Inputs[1] }, labels, 4);
        extra.MoveNext();
        Assert.Contains("data 'bonus', which the network does not take", Assert.Throws<ArgumentException>(() => net.Forward(extra.Current)).Message);
    }

    [Fact]
    public void Fit_checks_the_evaluation_iterator_before_training()
    {
        using var net = new TwoInputTwoHead { Seed = 5 };
        var random = DeviceComparison.RandomBatch(net, 8);
        var train = new NDArrayIter(
            new Dictionary<string, Tensor> { ["image"] = random.Inputs[0], ["extra"] = random.Inputs[1] },
            new Dictionary<string, Tensor> { ["category_label"] = random.Labels[0], ["value_label"] = random.Labels[1] },
            4);
        var wrongLabel = new NDArrayIter(
            new Dictionary<string, Tensor> { ["image"] = random.Inputs[0], ["extra"] = random.Inputs[1] },
            new Dictionary<string, Tensor> { ["category_label"] = random.Labels[0], ["valu_label"] = random.Labels[1] },
            2);
        int batches = 0;
        var error = Assert.Throws<ArgumentException>(() => net.Fit(train, wrongLabel, numEpoch: 1, batchEndCallback: _ => batches++, log: TextWriter.Null));
        Assert.Contains("Fit(evalData)", error.Message);
        Assert.Contains("valu_label", error.Message);
        Assert.Equal(0, batches);
    }

    [Fact]
    public void An_inception_factorised_block_trains()
    {
        // A bright vertical stripe in one of three bands of columns: the 1x7 / 7x1 pair must find it.
        const int count = 300;
        var images = TestData.Random(count * 2 * 9 * 11, 6, 0.3f);
        var labels = new float[count];
        for (int i = 0; i < count; i++)
        {
            int band = i % 3;
            labels[i] = band;
            for (int c = 0; c < 2; c++)
            {
                for (int y = 0; y < 9; y++)
                {
                    images[(((i * 2) + c) * 99) + (y * 11) + (band * 4) + 1] += 1.5f;
                }
            }
        }

        var train = new NDArrayIter(new Tensor(images, count, 2, 9, 11), new Tensor(labels, count), 20, shuffle: true, seed: 4);
        using var net = new FactorizedConvNet { Seed = 8 };
        net.Fit(train, numEpoch: 15, optimizer: new Sgd(0.05f, momentum: 0.9f), initializer: new Xavier(magnitude: 2f), log: TextWriter.Null);
        double accuracy = net.Score(new NDArrayIter(new Tensor(images, count, 2, 9, 11), new Tensor(labels, count), 50));
        Assert.True(accuracy >= 0.95, $"accuracy {accuracy}");
    }

    private static double CrossEntropy(Tensor probabilities, Tensor labels)
    {
        int classes = probabilities.Shape[^1];
        double loss = 0;
        for (int r = 0; r < labels.Length; r++)
        {
            loss -= Math.Log(probabilities.Span[(r * classes) + (int)labels.Span[r]]);
        }

        return loss;
    }

    // LinearRegressionOutput's gradient is (output - label) / width (MXNet divides by the outputs per sample).
    private static double SquaredError(Tensor output, Tensor labels)
    {
        double width = output.Length / output.Shape[0];
        double loss = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            double d = output.Span[i] - labels.Span[i];
            loss += 0.5 * d * d / width;
        }

        return loss;
    }
}

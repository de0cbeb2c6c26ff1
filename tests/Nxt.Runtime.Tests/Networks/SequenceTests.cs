namespace Nxt.Runtime.Tests.Networks;

/// <summary>MXNet's fused RNN (LSTM) and SequenceLast: shapes, names, input gradients, and a task that needs memory.</summary>
public class SequenceTests
{
    [Fact]
    public void An_lstm_has_MXNet_s_unfused_parameter_names_in_the_fused_layout_and_steps_of_the_state_size()
    {
        Assert.Equal(["data", "lstm_l0_i2h_weight", "lstm_l0_h2h_weight", "lstm_l0_i2h_bias", "lstm_l0_h2h_bias", "fc_weight", "fc_bias", "softmax_label"], LstmNet.ArgumentNames);
        using var net = new LstmNet();
        int[] Shape(string name) => net.Description.Parameters.Single(p => p.Name == name).ShapeFor(0);
        Assert.Equal([4 * 5, 3], Shape("lstm_l0_i2h_weight"));
        Assert.Equal([4 * 5, 5], Shape("lstm_l0_h2h_weight"));
        Assert.Equal([4 * 5], Shape("lstm_l0_h2h_bias"));
        Assert.Equal([7, 6, 5], net.Description.Nodes.Single(n => n.Name == "lstm").ShapeFor(7));
        Assert.Equal([7, 5], net.Description.Nodes.Single(n => n.Name == "last").ShapeFor(7));
    }

    [Fact]
    public void Slice_axis_and_transpose_move_the_values_as_MXNet_does()
    {
        using var net = new SliceTranspose();
        net.Bind(2, forTraining: false);
        net.InitParams();
        var x = Enumerable.Range(0, 2 * 24).Select(i => (float)i).ToArray();
        net.Forward(new DataBatch(new Tensor(x, 2, 2, 3, 4), null), isTrain: false);
        var y = net.GetOutputs()[0];
        Assert.Equal([2, 2, 2, 3], y.Shape.ToArray());

        // moved[s, a, b, c] = cut[s, b, c, a] = x[s, b, c, a + 1]
        for (int s = 0; s < 2; s++)
        {
            for (int a = 0; a < 2; a++)
            {
                for (int b = 0; b < 2; b++)
                {
                    for (int c = 0; c < 3; c++)
                    {
                        Assert.Equal(x[(s * 24) + (b * 12) + (c * 4) + a + 1], y[s, a, b, c]);
                    }
                }
            }
        }
    }

    [Fact]
    public void Slice_takes_what_python_s_slicing_takes()
    {
        using var net = new SliceOnly();
        net.Bind(2, forTraining: false);
        var x = Enumerable.Range(0, 2 * 10).Select(i => (float)i).ToArray();
        net.Forward(new DataBatch(new Tensor(x, 2, 2, 5), null), isTrain: false);
        var y = net.GetOutputs()[0];
        Assert.Equal([2, 1, 2], y.Shape.ToArray());
        // x[s, 1:, -1:0:-2]: row 1, columns 4 and 2 (the walk stops before column 0).
        Assert.Equal([9f, 7f, 19f, 17f], y.ToArray());
    }

    [Fact]
    public void Sum_and_mean_reduce_one_axis_as_MXNet_does()
    {
        using var net = new ReduceZoo { Seed = 1 };
        Assert.Equal([7, 5], net.Description.Nodes.Single(n => n.Name == "total").ShapeFor(7));
        Assert.Equal([7, 3, 1], net.Description.Nodes.Single(n => n.Name == "average").ShapeFor(7));
    }

    [Fact]
    public void The_input_gradient_of_an_lstm_matches_finite_differences()
    {
        using var net = new LstmNet { Seed = 4 };
        net.Bind(2, inputsNeedGrad: true);
        net.InitParams(new Uniform(0.5f));
        var data = TestData.Random(2 * 18, 5);
        var labels = new Tensor([1f, 2f], 2);
        net.ForwardBackward(new DataBatch(new Tensor(data, 2, 6, 3), labels));
        var analytic = net.GetInputGradient("data").ToArray();
        var numeric = TestData.NumericGradient(data, () =>
        {
            net.Forward(new DataBatch(new Tensor(data, 2, 6, 3), labels), isTrain: true);
            var p = net.GetOutputs()[0].ToArray();
            return -Math.Log(p[1]) - Math.Log(p[3 + 2]);
        });
        TestData.AssertClose(numeric, analytic, 2e-3, 2e-2, "data gradient");
    }

    [Fact]
    public void Given_initial_states_get_their_gradients_and_the_parameters_theirs_as_finite_differences_say()
    {
        using var net = new SeededRecurrent { Seed = 4 };
        Assert.Equal(["data", "h0", "c0", "g0"], SeededRecurrent.DataNames);
        net.Bind(2, inputsNeedGrad: true);
        net.InitParams(new Uniform(0.5f));
        var inputs = net.Description.Inputs.Select((d, i) => TestData.Random(2 * d.SampleLength, (ulong)(30 + i))).ToArray();
        var labels = new Tensor([1f, 2f], 2);
        DataBatch Batch() => new(net.Description.Inputs.Select((d, i) => new Tensor(inputs[i], [.. d.ShapeFor(2)])).ToArray(), [labels]);
        GradientCheck.AllParameters(net, Batch(), (outputs, b) => GradientCheck.CrossEntropy(outputs, b));

        net.ForwardBackward(Batch());
        for (int i = 1; i < inputs.Length; i++)
        {
            string name = net.Description.Inputs[i].Name;
            var analytic = net.GetInputGradient(name).ToArray();
            Assert.Contains(analytic, g => Math.Abs(g) > 1e-3); // the states matter to the loss
            var numeric = TestData.NumericGradient(inputs[i], () =>
            {
                net.Forward(Batch(), isTrain: true);
                var p = net.GetOutputs()[0].ToArray();
                return -Math.Log(p[1]) - Math.Log(p[3 + 2]);
            });
            TestData.AssertClose(numeric, analytic, 2e-3, 2e-2, $"{name} gradient");
        }
    }

    [Fact]
    public void Final_states_are_the_last_steps_of_each_direction_and_their_gradients_match_finite_differences()
    {
        using var net = new FinalStates { Seed = 5 };
        net.Bind(2);
        net.InitParams(new Uniform(0.5f));
        var data = new Tensor(TestData.Random(2 * 15, 12), 2, 5, 3);
        net.Forward(new DataBatch(data, new Tensor([1f, 2f], 2)), isTrain: false);
        Assert.Equal(["softmax_output", "cells_output"], FinalStates.OutputNames);

        // The top layer's final hidden states are its output's last step (forward units) and first step (reverse units).
        using var probe = new FinalStatesProbe { Seed = 5 };
        probe.InitParams(new Uniform(0.5f));
        probe.SetParams(net.GetParams().ArgParams.Where(p => p.Key.StartsWith("lstm_", StringComparison.Ordinal)).ToDictionary(p => p.Key, p => p.Value), new Dictionary<string, Tensor>());
        probe.Bind(2, forTraining: false);
        probe.Forward(new DataBatch(data, null), isTrain: false);
        var sequence = probe.GetOutputs()[FinalStatesProbe.OutputNames.ToList().IndexOf("lstm_output")].ToArray();  // (2, 5, 8)
        var hidden = probe.GetOutputs()[FinalStatesProbe.OutputNames.ToList().IndexOf("hidden_output")].ToArray(); // (2, 4, 4): slots l0, r0, l1, r1
        for (int sample = 0; sample < 2; sample++)
        {
            for (int j = 0; j < 4; j++)
            {
                Assert.Equal(sequence[(((sample * 5) + 4) * 8) + j], hidden[(((sample * 4) + 2) * 4) + j]);
                Assert.Equal(sequence[(sample * 5 * 8) + 4 + j], hidden[(((sample * 4) + 3) * 4) + j]);
            }
        }

        GradientCheck.AllParameters(net, new DataBatch(data, new Tensor([1f, 2f], 2)), (outputs, b) => GradientCheck.CrossEntropy(outputs, b));
    }

    [Fact]
    public void Dropout_between_layers_drops_in_training_only()
    {
        using var dropped = new DroppedStack { Seed = 2 };
        using var plain = new UndroppedStack { Seed = 2 };
        dropped.InitParams(new Uniform(0.5f));
        plain.InitParams(new Uniform(0.5f));
        plain.SetParams(dropped.GetParams().ArgParams, dropped.GetParams().AuxParams);
        var data = new Tensor(TestData.Random(4 * 18, 8), 4, 6, 3);
        Assert.Equal(plain.Predict(data).ToArray(), dropped.Predict(data).ToArray());

        var batch = new DataBatch(data, new Tensor([0f, 1, 2, 0], 4));
        dropped.Bind(4);
        dropped.Forward(batch, isTrain: true);
        var first = dropped.GetOutputs()[0].ToArray();
        dropped.Forward(batch, isTrain: true);
        Assert.NotEqual(first, dropped.GetOutputs()[0].ToArray()); // a new mask each pass
        Assert.NotEqual(plain.Predict(data).ToArray(), first);
    }

    [Fact]
    public void Embedding_lstm_and_its_last_step_learn_whether_token_7_occurs_in_twenty()
    {
        var (train, trainLabels) = Tokens(3000, 1);
        var (test, testLabels) = Tokens(500, 2);
        using var net = new SequenceClassifier { Seed = 3 };
        net.Fit(new NDArrayIter(train, trainLabels, 50, shuffle: true, seed: 4), numEpoch: 12, optimizer: new Adam(0.01f), initializer: new Xavier(), log: TextWriter.Null);
        double accuracy = net.Score(new NDArrayIter(test, testLabels, 100));
        Assert.True(accuracy >= 0.95, $"test accuracy {accuracy:F4}");
    }

    [Fact]
    public void A_tagger_s_per_step_softmax_takes_a_label_per_step_and_its_gradients_match_finite_differences()
    {
        using var net = new SequenceTagger { Seed = 2 };
        Assert.Equal([5, 12], net.Description.Labels.Single().ShapeFor(5));
        net.Bind(2);
        net.InitParams(new Uniform(0.5f));
        var (tokens, tags) = SeenSeven(2, 3);
        GradientCheck.AllParameters(net, new DataBatch(tokens, tags), (outputs, b) => GradientCheck.CrossEntropy(outputs, b));
    }

    [Fact]
    public void A_tagger_learns_at_every_step_whether_token_7_came_so_far()
    {
        var (train, trainTags) = SeenSeven(3000, 5);
        var (test, testTags) = SeenSeven(500, 6);
        using var net = new SequenceTagger { Seed = 7 };
        net.Fit(new NDArrayIter(train, trainTags, 50, shuffle: true, seed: 8), numEpoch: 8, optimizer: new Adam(0.01f), initializer: new Xavier(), log: TextWriter.Null);
        var metric = new Accuracy();
        double accuracy = net.Score(new NDArrayIter(test, testTags, 100), metric);
        Assert.Equal(500 * 12, metric.NumInst); // one instance per step
        Assert.True(accuracy >= 0.95, $"per-step test accuracy {accuracy:F4}");
    }

    [Fact]
    public void A_tagger_s_training_steps_on_the_device_match_the_cpu()
    {
        var (tokens, tags) = SeenSeven(4, 9);
        Gpu.DeviceComparison.TrainingStepsMatch(() => new SequenceTagger(), Gpu.TestDevice.Accelerated, () => new Sgd(0.05f, momentum: 0.9f), batch: new DataBatch(tokens, tags));
    }

    // Sequences of 12 ids in [0, 10), a 7 in two of three; the tag of a step is 1 once a 7 has come.
    private static (Tensor Tokens, Tensor Tags) SeenSeven(int count, ulong seed)
    {
        var random = new RandomSource(seed);
        var ids = new float[count * 12];
        var tags = new float[count * 12];
        for (int s = 0; s < count; s++)
        {
            for (int t = 0; t < 12; t++)
            {
                int id = Math.Min(8, (int)(random.NextFloat() * 9));
                ids[(s * 12) + t] = id >= 7 ? id + 1 : id;
            }

            if (s % 3 != 0)
            {
                ids[(s * 12) + Math.Min(11, (int)(random.NextFloat() * 12))] = 7;
            }

            bool seen = false;
            for (int t = 0; t < 12; t++)
            {
                seen |= ids[(s * 12) + t] == 7;
                tags[(s * 12) + t] = seen ? 1 : 0;
            }
        }

        return (new Tensor(ids, count, 12), new Tensor(tags, count, 12));
    }

    // Sequences of 20 ids in [0, 10), half of them holding a 7 somewhere (label 1), half none (label 0).
    private static (Tensor Tokens, Tensor Labels) Tokens(int count, ulong seed)
    {
        var random = new RandomSource(seed);
        var ids = new float[count * 20];
        var labels = new float[count];
        for (int s = 0; s < count; s++)
        {
            labels[s] = s % 2;
            for (int t = 0; t < 20; t++)
            {
                int id = Math.Min(8, (int)(random.NextFloat() * 9));
                ids[(s * 20) + t] = id >= 7 ? id + 1 : id; // 0..6, 8, 9: never 7
            }

            if (labels[s] == 1)
            {
                ids[(s * 20) + Math.Min(19, (int)(random.NextFloat() * 20))] = 7;
            }
        }

        return (new Tensor(ids, count, 20), new Tensor(labels, count));
    }
}

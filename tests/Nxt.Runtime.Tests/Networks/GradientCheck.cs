namespace Nxt.Runtime.Tests.Networks;

/// <summary>
/// Checks a generated backward plan: for every element of every parameter, the gradient the
/// plan computes against central finite differences of the loss the forward plan computes.
/// </summary>
internal static class GradientCheck
{
    /// <param name="loss">The scalar loss whose gradient the network's loss layers produce, from its outputs and the batch.</param>
    /// <param name="rebindEachPass">Bind before every forward pass, so that dropout draws the same mask each time.</param>
    /// <param name="only">Check just these parameters (the others may, by design, get no gradient).</param>
    public static void AllParameters(Module net, DataBatch batch, Func<IReadOnlyList<Tensor>, DataBatch, double> loss, bool rebindEachPass = false, IReadOnlyCollection<string>? only = null)
    {
        int batchSize = batch.BatchSize;
        double Loss()
        {
            if (rebindEachPass)
            {
                net.Bind(batchSize);
            }

            net.Forward(batch, isTrain: true);
            return loss(net.GetOutputs(), batch);
        }

        Loss();
        net.Backward();
        var (args, _) = net.GetParams();
        Assert.NotEmpty(args);
        foreach (var (name, value) in args.Where(a => only is null || only.Contains(a.Key)))
        {
            var analytic = net.GetGradient(name).ToArray();
            var values = value.ToArray();
            var numeric = TestData.NumericGradient(values, () =>
            {
                net.SetParams(new Dictionary<string, Tensor> { [name] = new Tensor(values, value.Shape.ToArray()) }, allowMissing: true);
                return Loss();
            }, step: 1e-3f);
            net.SetParams(new Dictionary<string, Tensor> { [name] = value }, allowMissing: true);
            TestData.AssertClose(numeric, analytic, 3e-3, 2e-2, $"{net.GetType().Name} d(loss)/d({name})");
        }
    }

    /// <summary>Σ_rows -gradScale · log p[label]: the loss SoftmaxOutput's gradient belongs to.</summary>
    public static double CrossEntropy(IReadOnlyList<Tensor> outputs, DataBatch batch, float gradScale = 1)
    {
        // One row of scores per label: a sample's, or one per position (SoftmaxOutput with PreserveShape).
        var p = outputs[0];
        int classes = p.Shape[^1];
        double loss = 0;
        for (int r = 0; r < batch.Label!.Length; r++)
        {
            loss -= gradScale * Math.Log(p.Span[(r * classes) + (int)batch.Label.Span[r]]);
        }

        return loss;
    }
}

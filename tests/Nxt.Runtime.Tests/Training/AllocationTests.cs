using Nxt.Runtime.Tests.Networks;

namespace Nxt.Runtime.Tests.Training;

/// <summary>After Bind, the training step and inference allocate nothing on the managed heap.</summary>
public class AllocationTests
{
    public static TheoryData<string> Networks() => new() { nameof(ShapedNet), nameof(TinyResidual), nameof(TinyInception), nameof(BlockNet), nameof(CustomNet), nameof(CustomLayerNet), nameof(IgnoreNet) };

    [Theory]
    [MemberData(nameof(Networks))]
    public void A_training_step_and_a_prediction_allocate_nothing_after_warm_up(string network)
    {
        using Module net = network switch
        {
            nameof(ShapedNet) => new ShapedNet(),
            nameof(TinyResidual) => new TinyResidual(),
            nameof(TinyInception) => new TinyInception(),
            nameof(BlockNet) => new BlockNet(),
            nameof(CustomNet) => new CustomNet(),
            nameof(CustomLayerNet) => new CustomLayerNet(),
            _ => new IgnoreNet(),
        };
        net.Seed = 1;
        net.Bind(64);
        net.InitParams();
        net.InitOptimizer(new Adam());
        var shape = net.Description.Data.ShapeFor(256);
        var iter = new NDArrayIter(new Tensor(TestData.Random(shape.Aggregate(1, (a, b) => a * b), 2), shape), new Tensor(new float[256], 256), 64, shuffle: true);
        var metric = new CompositeMetric(new Accuracy(), new F1(F1Average.Macro), new CrossEntropy());

        void Epoch()
        {
            while (iter.MoveNext())
            {
                net.ForwardBackward(iter.Current);
                net.Update();
                net.UpdateMetric(metric, iter.Current);
                net.Forward(iter.Current, isTrain: false);
            }

            iter.Reset();
        }

        // Warm-up: JIT, per-thread GEMM buffers. Two epochs: on a loaded machine the tiered JIT's
        // background promotions can finish late, and one measured epoch once saw 2 KB from them.
        Epoch();
        Epoch();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Epoch();
        Epoch();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated == 0, $"{network}: two epochs allocated {allocated} bytes");
    }
}

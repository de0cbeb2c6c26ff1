using Nxt.Runtime.Tests.Networks;

namespace Nxt.Runtime.Tests.Training;

/// <summary>After Bind, the training step and inference allocate nothing on the managed heap.</summary>
public class AllocationTests
{
    [Fact]
    public void A_training_step_and_a_prediction_allocate_nothing_after_warm_up()
    {
        using var net = new ShapedNet { Seed = 1 };
        net.Bind(64);
        net.InitParams();
        net.InitOptimizer(new Sgd(0.1f, momentum: 0.9f));
        var iter = new NDArrayIter(new Tensor(TestData.Random(256 * 12, 2), 256, 3, 4), new Tensor(new float[256], 256), 64, shuffle: true);
        var metric = new Accuracy();

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

        Epoch(); // warm-up: JIT, per-thread GEMM buffers
        long before = GC.GetAllocatedBytesForCurrentThread();
        Epoch();
        Epoch();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }
}

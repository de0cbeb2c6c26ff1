using Nxt.Runtime.Tests.Gpu;
using Nxt.Runtime.Tests.Networks;

namespace Nxt.Runtime.Tests.Distributed;

/// <summary>Several devices in one process (MXNet's context list): each runs a replica on its slice of the batch.</summary>
public class SeveralDevicesTests
{
    public static TheoryData<string> DevicePairs() => new() { "cpu", "ilgpu-cpu" };

    [Theory]
    [MemberData(nameof(DevicePairs))]
    public void Two_devices_end_20_momentum_steps_where_one_device_does(string kind)
    {
        var device = kind == "cpu" ? Device.Cpu : Device.IlgpuCpu;
        using var one = new TwoInputTwoHead { Seed = 6 };
        using var two = new TwoInputTwoHead { Seed = 6 };
        one.Bind(8, device: device);
        two.Bind(8, devices: [device, device]);
        Assert.Equal([device, device], two.Devices);
        foreach (var net in new Module[] { one, two })
        {
            net.InitParams(new Uniform(0.5f));
            net.InitOptimizer(new Sgd(0.05f, momentum: 0.9f));
        }

        for (int step = 0; step < 20; step++)
        {
            var batch = DeviceComparison.RandomBatch(one, 8);
            one.ForwardBackward(batch);
            two.ForwardBackward(batch);
            for (int o = 0; o < one.GetOutputs().Count; o++)
            {
                TestData.AssertClose(one.GetOutputs()[o].Span, two.GetOutputs()[o].Span, 1e-5, 1e-4, $"step {step}: output {o}");
            }

            one.Update();
            two.Update();
        }

        var (expected, _) = one.GetParams();
        var (actual, _) = two.GetParams();
        foreach (var (name, value) in expected)
        {
            TestData.AssertClose(value.Span, actual[name].Span, 1e-5, 0, $"{name} after 20 steps on two {kind} devices");
        }
    }

    [Fact]
    public void Uneven_work_loads_split_the_batch_and_Fit_keeps_the_devices()
    {
        using var net = new TinyMlp { Seed = 2 };
        net.Bind(10, devices: [Device.Cpu, Device.Cpu, Device.Cpu], workLoad: [2f, 1f, 1f]);
        var data = new Tensor(TestData.Random(40 * 6, 3), 40, 6);
        var labels = new Tensor(Enumerable.Range(0, 40).Select(i => (float)(i % 3)).ToArray(), 40);
        net.Fit(new NDArrayIter(data, labels, 10), new NDArrayIter(data, labels, 7), numEpoch: 2, log: TextWriter.Null);
        Assert.Equal(3, net.Devices.Count);
        Assert.Equal(40, net.Predict(new NDArrayIter(data, null, 10)).Shape[0]);
        Assert.Throws<ArgumentException>(() => net.Bind(10, devices: [Device.Cpu, Device.Cpu], workLoad: [1f]));
        Assert.Throws<ArgumentException>(() => net.Bind(10, device: Device.Cpu, devices: [Device.Cpu]));
    }
}

using System;
using ILGPU;
using ILGPU.Runtime;

namespace Nxt.Gpu;

/// <summary>MXNet <c>Embedding</c> on the device (<see cref="Nxt.Cpu.EmbeddingKernels"/>).</summary>
public static class EmbeddingKernels
{
    // The ids come back to the host to be checked (a kernel cannot throw): a buffer per thread, grown once.
    [ThreadStatic]
    private static float[]? s_hostIds;

    /// <summary>
    /// <c>y[i, :] = weight[ids[i], :]</c>; the ids are checked on the host first, so an id out of
    /// range is the CPU's error naming the sample, never a read outside the table.
    /// </summary>
    public static void Forward(DeviceSpan ids, DeviceSpan weight, DeviceSpan y, int idsPerSample, int inputDim, int outputDim)
    {
        CheckIds(ids, idsPerSample, inputDim);
        Launcher.Run(y.Owner, ForwardKernel, y.Length, ids.View, weight.View, y.View, outputDim);
    }

    /// <summary><c>dweight (+)= Σ over positions i of id r: dy[i, :]</c>, into row r, by atomic adds.</summary>
    public static void BackwardWeight(DeviceSpan ids, DeviceSpan dy, DeviceSpan dweight, int inputDim, int outputDim, bool accumulate)
    {
        var table = dweight.View.SubView(0, (long)inputDim * outputDim);
        if (!accumulate)
        {
            Launcher.Run(dweight.Owner, ClearKernel, (int)table.Length, table);
        }

        Launcher.Run(dweight.Owner, ScatterKernel, dy.Length, ids.View, dy.View, table, outputDim);
    }

    internal static void ForwardKernel(Index1D i, ArrayView<float> ids, ArrayView<float> weight, ArrayView<float> y, int outputDim)
        => y[i] = weight[((int)ids[i / outputDim] * outputDim) + (i % outputDim)];

    internal static void ClearKernel(Index1D i, ArrayView<float> values) => values[i] = 0f;

    internal static void ScatterKernel(Index1D i, ArrayView<float> ids, ArrayView<float> dy, ArrayView<float> dweight, int outputDim)
        => Atomic.Add(ref dweight[((int)ids[i / outputDim] * outputDim) + (i % outputDim)], dy[i]);

    private static void CheckIds(DeviceSpan ids, int idsPerSample, int inputDim)
    {
        int count = ids.Length;
        if (s_hostIds is null || s_hostIds.Length < count)
        {
            s_hostIds = new float[count];
        }

        var host = s_hostIds.AsSpan(0, count);
        ids.View.CopyToCPU(ids.Owner.Stream, host);
        ids.Owner.Synchronize();
        for (int i = 0; i < host.Length; i++)
        {
            Nxt.Cpu.EmbeddingKernels.Id(host[i], i, idsPerSample, inputDim);
        }
    }
}

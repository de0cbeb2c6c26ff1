using ILGPU;
using ILGPU.Runtime;

namespace Nxt.Gpu;

/// <summary>Sequence steps on the device (<see cref="Nxt.Cpu.SequenceKernels"/>).</summary>
public static class SequenceKernels
{
    /// <summary>MXNet <c>SequenceLast</c>: <c>y[r, :] = x[r, T-1, :]</c> for <c>x (N, T, W)</c>.</summary>
    public static void LastStep(DeviceSpan x, DeviceSpan y, int n, int steps, int width)
        => Launcher.Run(y.Owner, LastStepKernel, n * width, x.View, y.View, steps, width);

    /// <summary><c>dx[r, T-1, :] (+)= dy[r, :]</c>, the other steps zero (or as they were).</summary>
    public static void LastStepBackward(DeviceSpan dy, DeviceSpan dx, int n, int steps, int width, bool accumulate)
        => Launcher.Run(dx.Owner, LastStepBackwardKernel, n * steps * width, dy.View, dx.View, steps, width, SpecializedValue.New(accumulate ? 1 : 0));

    internal static void LastStepKernel(Index1D e, ArrayView<float> x, ArrayView<float> y, int steps, int width)
    {
        int r = e / width, k = e % width;
        y[e] = x[(((r * steps) + steps - 1) * width) + k];
    }

    // One thread per element of dx.
    internal static void LastStepBackwardKernel(Index1D e, ArrayView<float> dy, ArrayView<float> dx, int steps, int width, SpecializedValue<int> accumulate)
    {
        int k = e % width, t = (e / width) % steps, r = e / (width * steps);
        float g = t == steps - 1 ? dy[(r * width) + k] : 0f;
        dx[e] = accumulate.Value == 1 ? dx[e] + g : g;
    }

    /// <summary>MXNet <c>SequenceMask</c>: <c>y = x</c>, but <paramref name="value"/> at each sample's steps from its length on.</summary>
    public static void Mask(DeviceSpan x, DeviceSpan lengths, DeviceSpan y, int n, int steps, int width, float value)
        => Launcher.Run(y.Owner, MaskKernel, n * steps * width, x.View, lengths.View, y.View, new MaskShape(steps, width, value));

    /// <summary>The gradient of <see cref="Mask"/>: <c>dy</c> on the kept steps, zero on the masked ones.</summary>
    public static void MaskBackward(DeviceSpan dy, DeviceSpan lengths, DeviceSpan dx, int n, int steps, int width, bool accumulate)
        => Launcher.Run(dx.Owner, MaskBackwardKernel, n * steps * width, dy.View, lengths.View, dx.View, new MaskShape(steps, width, 0f), SpecializedValue.New(accumulate ? 1 : 0));

    /// <summary>An input that gets no gradient (a sequence's lengths): zero, or left as it is when adding.</summary>
    public static void NoGradient(DeviceSpan dx, int length, bool accumulate)
    {
        if (!accumulate)
        {
            Launcher.Run(dx.Owner, ClearKernel, length, dx.View);
        }
    }

    internal static void MaskKernel(Index1D e, ArrayView<float> x, ArrayView<float> lengths, ArrayView<float> y, MaskShape shape)
    {
        int t = (e / shape.Width) % shape.Steps, r = e / (shape.Width * shape.Steps);
        y[e] = t < Nxt.Cpu.SequenceKernels.KeptSteps(lengths[r], shape.Steps) ? x[e] : shape.Value;
    }

    internal static void MaskBackwardKernel(Index1D e, ArrayView<float> dy, ArrayView<float> lengths, ArrayView<float> dx, MaskShape shape, SpecializedValue<int> accumulate)
    {
        int t = (e / shape.Width) % shape.Steps, r = e / (shape.Width * shape.Steps);
        float g = t < Nxt.Cpu.SequenceKernels.KeptSteps(lengths[r], shape.Steps) ? dy[e] : 0f;
        dx[e] = accumulate.Value == 1 ? dx[e] + g : g;
    }

    internal static void ClearKernel(Index1D i, ArrayView<float> values) => values[i] = 0f;

    /// <summary>A sequence's steps and step width, and the masking value, one kernel argument.</summary>
    internal readonly record struct MaskShape(int Steps, int Width, float Value);
}

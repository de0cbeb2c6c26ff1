using ILGPU;
using ILGPU.Runtime;

namespace Nxt.Gpu;

/// <summary>
/// Dropout on the device (<see cref="Nxt.Cpu.DropoutKernels"/>). The mask comes from a counter-based
/// hash of a per-pass seed and the element's index, so no generator state lives on the device and
/// no host round trip draws it; the masks differ from the CPU backend's, the distribution does not.
/// </summary>
public static class DropoutKernels
{
    /// <summary>Draws the mask (<c>1/(1-p)</c> with probability <c>1-p</c>, else 0) and applies it: <c>y = x · mask</c>.</summary>
    public static void ForwardTraining(DeviceSpan x, DeviceSpan mask, DeviceSpan y, float p, DeviceRandom random)
    {
        Launcher.Run(y.Owner, MaskKernel, mask.Length, mask.View, random.NextSeed(), p);
        Pointwise.Run(Pointwise.Mul, x, mask, default, y);
    }

    /// <summary><c>dx (+)= dy · mask</c>.</summary>
    public static void Backward(DeviceSpan dy, DeviceSpan mask, DeviceSpan dx, bool accumulate) => Pointwise.Run(Pointwise.Mul, dy, mask, default, dx, 0f, accumulate);

    internal static void MaskKernel(Index1D i, ArrayView<float> mask, ulong seed, float p)
    {
        // SplitMix64's finaliser over (seed, index): independent uniform bits per element.
        ulong z = seed + ((ulong)(uint)i.X * 0x9E3779B97F4A7C15UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        // 24 bits as a signed int: an unsigned-to-float conversion goes through double, which
        // OpenCL devices without fp64 reject (the OpenCL compilation test found it).
        float uniform = (int)(z >> 40) * (1.0f / (1 << 24));
        mask[i] = uniform >= p ? 1f / (1f - p) : 0f;
    }
}

/// <summary>Per-pass seeds for device-side random numbers, drawn from the module's seeded generator.</summary>
public sealed class DeviceRandom
{
    private ulong _seed;
    private ulong _draws;

    /// <summary>Starts a pass with <paramref name="seed"/>.</summary>
    public void Reset(ulong seed)
    {
        _seed = seed;
        _draws = 0;
    }

    /// <summary>A distinct seed for each kernel that draws in this pass.</summary>
    public ulong NextSeed() => _seed + (++_draws * 0xD1B54A32D192ED03UL);
}

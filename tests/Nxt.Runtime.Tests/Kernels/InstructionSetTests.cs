using System.Numerics;
using System.Runtime.Intrinsics;
using Nxt.Cpu;

namespace Nxt.Runtime.Tests.Kernels;

/// <summary>
/// <c>.ci/run</c> runs the kernel tests again with .NET's instruction-set switches off, so that
/// every path the machine can execute is checked against the references: the AVX-512 microkernel,
/// the AVX2 one (<c>DOTNET_EnableAVX512=0</c>), 128-bit vectors (<c>DOTNET_EnableAVX2=0</c>:
/// SSE here, the width of ARM's AdvSimd) and no SIMD at all (<c>DOTNET_EnableHWIntrinsic=0</c>:
/// <c>Vector&lt;T&gt;</c> in software, the scalar path). These tests fail if a switch is set and the process still
/// has the wider path, as .NET 10 did with <c>DOTNET_EnableAVX512F</c>, which it ignores: the
/// "AVX2" runs would then have tested AVX-512 again.
/// </summary>
public class InstructionSetTests
{
    [Fact]
    public void Without_AVX512_the_GEMM_runs_the_256_bit_microkernel()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX512") != "0")
        {
            Assert.Equal(Vector512.IsHardwareAccelerated, Gemm.KernelName.StartsWith("AVX-512", StringComparison.Ordinal));
            return;
        }

        Assert.False(Vector512.IsHardwareAccelerated, "DOTNET_EnableAVX512=0 left 512-bit vectors accelerated");
        Assert.Equal($"Vector<float> 6x{2 * Vector<float>.Count}", Gemm.KernelName);
    }

    [Fact]
    public void Without_AVX2_vectors_are_128_bits()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_EnableAVX2") != "0")
        {
            Assert.True(Vector<float>.Count >= 4, $"Vector<float> holds {Vector<float>.Count} floats");
            return;
        }

        Assert.False(Vector256.IsHardwareAccelerated, "DOTNET_EnableAVX2=0 left 256-bit vectors accelerated");
        Assert.Equal(4, Vector<float>.Count);
        Assert.Equal("Vector<float> 6x8", Gemm.KernelName);
    }

    [Fact]
    public void Without_hardware_intrinsics_nothing_is_accelerated()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_EnableHWIntrinsic") != "0")
        {
            Assert.Equal(Vector512.IsHardwareAccelerated, Gemm.KernelName.StartsWith("AVX-512", StringComparison.Ordinal));
            return;
        }

        Assert.False(Vector.IsHardwareAccelerated, "DOTNET_EnableHWIntrinsic=0 left Vector<T> accelerated");
        Assert.False(Vector128.IsHardwareAccelerated, "DOTNET_EnableHWIntrinsic=0 left 128-bit vectors accelerated");
        Assert.StartsWith("Vector<float> 6x", Gemm.KernelName);
    }
}

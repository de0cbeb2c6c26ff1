namespace Nxt.TorchSharpBenchmarks;

/// <summary>
/// <c>--isa avx2</c>: both frameworks on the AVX2 path of an AVX-512 machine. BenchmarkDotNet runs
/// each benchmark in a child process, which inherits these variables, so they take effect where
/// the runtimes start. .NET 10 reads <c>DOTNET_EnableAVX512</c> (the older per-subset
/// <c>DOTNET_EnableAVX512F</c> is ignored: it leaves AVX-512 on); libtorch picks its kernels by
/// <c>ATEN_CPU_CAPABILITY</c>, MKL by <c>MKL_ENABLE_INSTRUCTIONS</c>, oneDNN by <c>ONEDNN_MAX_CPU_ISA</c>.
/// </summary>
internal static class InstructionSet
{
    private static readonly (string Name, string Value)[] s_avx2 =
    [
        ("DOTNET_EnableAVX512", "0"),
        ("ATEN_CPU_CAPABILITY", "avx2"),
        ("MKL_ENABLE_INSTRUCTIONS", "AVX2"),
        ("ONEDNN_MAX_CPU_ISA", "AVX2"),
    ];

    /// <summary>Applies and removes <c>--isa NAME</c> from the arguments; fails on a set it does not know.</summary>
    public static string[] Apply(string[] args)
    {
        int at = Array.IndexOf(args, "--isa");
        if (at < 0)
        {
            return args;
        }

        string isa = at + 1 < args.Length ? args[at + 1] : "";
        if (isa != "avx2")
        {
            throw new ArgumentException($"--isa takes avx2 (the path an AVX-512 machine can be limited to); got '{isa}'.");
        }

        foreach (var (name, value) in s_avx2)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        return [.. args[..at], .. args[(at + 2)..]];
    }

    /// <summary>The paths a benchmark process runs on, for its log: Nxt's GEMM microkernel and libtorch's kernel set.</summary>
    public static string Describe()
        => $"Nxt GEMM {Cpu.Gemm.KernelName}; libtorch {Environment.GetEnvironmentVariable("ATEN_CPU_CAPABILITY") ?? "its own choice"}";
}

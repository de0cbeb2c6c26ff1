using BenchmarkDotNet.Running;

namespace Nxt.GeneratorBenchmarks;

/// <summary>Run with: dotnet run -c Release --project bench/Nxt.GeneratorBenchmarks -- --filter '*'</summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}

using System.Globalization;
using System.Reflection;

namespace Nxt.TorchSharpBenchmarks;

/// <summary>
/// Before and after a change in one process (the ab mode): a <c>static bool</c> field of Nxt.Runtime
/// that the change reads (added for the experiment, removed with it) is switched off and on in
/// alternating blocks of steps, and each "on" block is compared with the "off" block before it.
/// On a VM whose two vCPUs the host moves near and far apart for seconds at a time, separate
/// processes (or BenchmarkDotNet runs) of the two builds differ by more than most changes;
/// neighbouring blocks see the same placement, so their ratio does not.
/// </summary>
internal static class PairedSwitch
{
    public static void Run(string workload, string field, int blocks, int stepsPerBlock)
    {
        var flag = FindFlag(field);
        var alone = NxtAlone.Named(workload);
        alone.Setup();
        for (int i = 0; i < 4 * stepsPerBlock; i++)
        {
            flag.SetValue(null, i % 2 == 1); // both paths JIT-compiled and tiered up before timing
            alone.Step();
        }

        var off = new List<double>();
        var on = new List<double>();
        for (int block = 0; block < 2 * blocks; block++)
        {
            bool enabled = block % 2 == 1;
            flag.SetValue(null, enabled);
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            for (int i = 0; i < stepsPerBlock; i++)
            {
                alone.Step();
            }

            double microseconds = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMicroseconds / stepsPerBlock;
            (enabled ? on : off).Add(microseconds);
        }

        alone.Cleanup();
        var ratios = on.Zip(off, (after, before) => after / before).ToList();
        Console.WriteLine($"{workload}, {field} false: {Quartiles(off, "F1")} µs a step");
        Console.WriteLine($"{workload}, {field} true:  {Quartiles(on, "F1")} µs a step");
        Console.WriteLine($"true / false, each block against the one before: {Quartiles(ratios, "F3")} ({blocks} pairs of {stepsPerBlock} steps)");
    }

    private static FieldInfo FindFlag(string field)
    {
        int dot = field.LastIndexOf('.');
        var type = dot > 0 ? typeof(Nxt.Module).Assembly.GetType(field[..dot]) : null;
        var flag = type?.GetField(field[(dot + 1)..], BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic);
        if (flag is null || flag.FieldType != typeof(bool) || flag.IsInitOnly || flag.IsLiteral)
        {
            throw new ArgumentException($"ab needs a writable static bool field of Nxt.Runtime, as Namespace.Type.Field (e.g. Nxt.Cpu.Gemm.Experiment); '{field}' is none.");
        }

        return flag;
    }

    private static string Quartiles(List<double> values, string format)
    {
        var sorted = values.Order().ToArray();
        string At(double q) => sorted[(int)(q * (sorted.Length - 1))].ToString(format, CultureInfo.InvariantCulture);
        return $"median {At(0.5)} (quartiles {At(0.25)}-{At(0.75)})";
    }
}

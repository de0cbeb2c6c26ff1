using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Nxt.DeviceTestRunner;
using Xunit;
using Xunit.Sdk;

// Usage: Nxt.DeviceTestRunner CLASS [CLASS...]   (class names without namespace)
// Runs every [Fact] and every [Theory] case of those classes of Nxt.Runtime.Tests, one at a time,
// honouring Skip, and prints one line per test. The exit code is the number of failures (at most 100).
if (args.Length == 0)
{
    Console.Error.WriteLine("Usage: Nxt.DeviceTestRunner CLASS [CLASS...]: the test classes of Nxt.Runtime.Tests to run, by name.");
    return 2;
}

var tests = typeof(Nxt.Runtime.Tests.Gpu.CudaTests).Assembly;
var classes = tests.GetTypes().Where(t => args.Contains(t.Name) && t.IsClass && !t.IsAbstract).ToList();
var unknown = args.Except(classes.Select(c => c.Name)).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"No test class named {string.Join(", ", unknown)} in {tests.GetName().Name}.");
    return 2;
}

int passed = 0, failed = 0, skipped = 0;
foreach (var type in classes)
{
    foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance).OrderBy(m => m.MetadataToken))
    {
        if (method.GetCustomAttribute<FactAttribute>() is not { } fact)
        {
            continue;
        }

        string name = $"{type.Name}.{method.Name}";
        if (fact.Skip is { } reason)
        {
            skipped++;
            Console.WriteLine($"SKIP {name}: {reason}");
            continue;
        }

        var data = method.GetCustomAttributes<DataAttribute>().ToList();
        var cases = data.Count == 0 ? [[]] : data.SelectMany(d => d.GetData(method)).ToList();
        foreach (object?[] arguments in cases)
        {
            string label = arguments.Length == 0 ? name : $"{name}({string.Join(", ", arguments.Select(Describe))})";
            var clock = Stopwatch.StartNew();
            try
            {
                TestCase.Run(type, method, arguments);
                passed++;
                Console.WriteLine($"PASS {label} ({clock.Elapsed.TotalSeconds:F1} s)");
            }
            catch (Exception error)
            {
                failed++;
                Console.WriteLine($"FAIL {label} ({clock.Elapsed.TotalSeconds:F1} s)\n     {error.GetType().Name}: {error.Message.Replace("\n", "\n     ", StringComparison.Ordinal)}");
            }
        }
    }
}

Console.WriteLine($"{passed} passed, {failed} failed, {skipped} skipped");
return Math.Min(failed, 100);

static string Describe(object? value) => value switch
{
    null => "null",
    Type t => t.Name,
    string s => $"\"{s}\"",
    IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
    _ => value.ToString() ?? "",
};

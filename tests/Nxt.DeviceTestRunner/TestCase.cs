using System.Reflection;
using System.Runtime.ExceptionServices;
using Xunit.Abstractions;

namespace Nxt.DeviceTestRunner;

/// <summary>One test method on a fresh instance of its class, as xunit runs it: the constructor may take an output helper, the method may return a task, the instance is disposed after.</summary>
internal static class TestCase
{
    public static void Run(Type type, MethodInfo method, object?[] arguments)
    {
        var constructor = type.GetConstructors().Single();
        object?[] constructorArguments = constructor.GetParameters()
            .Select(p => p.ParameterType == typeof(ITestOutputHelper)
                ? new ConsoleOutput()
                : throw new NotSupportedException($"{type.Name}'s constructor takes a {p.ParameterType.Name}; this runner gives only an ITestOutputHelper."))
            .ToArray();
        object instance = constructor.Invoke(constructorArguments);
        try
        {
            object? result = method.Invoke(instance, arguments);
            if (result is Task task)
            {
                task.GetAwaiter().GetResult();
            }
        }
        catch (TargetInvocationException wrapped) when (wrapped.InnerException is { } inner)
        {
            ExceptionDispatchInfo.Capture(inner).Throw();
        }
        finally
        {
            (instance as IDisposable)?.Dispose();
        }
    }

    private sealed class ConsoleOutput : ITestOutputHelper
    {
        public void WriteLine(string message) => Console.WriteLine("     " + message);

        public void WriteLine(string format, params object[] args) => WriteLine(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));
    }
}

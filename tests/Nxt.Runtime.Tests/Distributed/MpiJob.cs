using System.Diagnostics;

namespace Nxt.Runtime.Tests.Distributed;

/// <summary>Runs the distributed worker program as an MPI job of N processes, with a time bound.</summary>
internal static class MpiJob
{
    /// <summary>MPICH's launcher, or null where it is not installed.</summary>
    public static string? Launcher { get; } = new[] { "/usr/bin/mpiexec.mpich", "/usr/local/bin/mpiexec.mpich" }.FirstOrDefault(File.Exists);

    private static string Worker => Path.Combine(AppContext.BaseDirectory, "Nxt.DistributedWorker.dll");

    /// <summary>The exit code, the output and the seconds the job took; fails the test past <paramref name="timeoutSeconds"/>.</summary>
    public static (int ExitCode, string Output, double Seconds) Run(int workers, int timeoutSeconds, params string[] arguments)
    {
        var start = new ProcessStartInfo(Launcher!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { "-np", workers.ToString(System.Globalization.CultureInfo.InvariantCulture), "dotnet", Worker }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(timeoutSeconds)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"the MPI job '{string.Join(' ', arguments)}' of {workers} workers ran past {timeoutSeconds} s: a worker hangs");
        }

        process.WaitForExit();
        return (process.ExitCode, output.Result + error.Result, clock.Elapsed.TotalSeconds);
    }

    /// <summary>A folder of its own for one test's files.</summary>
    public static string TempFolder()
    {
        string folder = Path.Combine(Path.GetTempPath(), "nxt-mpi-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }
}

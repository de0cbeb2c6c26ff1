using System.Diagnostics;
using Nxt.CheckpointWriter;

namespace Nxt.Runtime.Tests.Reliability;

/// <summary>
/// A process killed while saving leaves a loadable checkpoint: the one it last finished, or the
/// one it was renaming into place, never a torn or mixed file.
/// </summary>
public class CheckpointCrashTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("nxt-crash-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Killing_the_saver_at_random_moments_never_leaves_a_broken_checkpoint()
    {
        string prefix = Path.Combine(_folder, "wide");
        var random = new Random(12345);
        int loads = 0;
        for (int round = 0; round < 25; round++)
        {
            int lastFinished = RunAndKill(prefix, random.Next(0, 120));
            using var net = new WideNet();
            net.LoadCheckpoint(prefix, 1);
            var values = net.GetParams().ArgParams.Values.SelectMany(t => t.ToArray()).Distinct().ToArray();
            float round_k = Assert.Single(values); // one whole round, never a mix of two
            Assert.InRange(round_k, lastFinished, lastFinished + 1); // the last one printed, or one renamed just before the kill
            loads++;
        }

        Assert.Equal(25, loads);
    }

    // Starts the writer, waits for its first finished save, lets it run a random while longer,
    // kills it, and returns the last round it reported finished.
    private static int RunAndKill(string prefix, int extraMilliseconds)
    {
        string writer = Path.Combine(AppContext.BaseDirectory, "Nxt.CheckpointWriter.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(writer);
        start.ArgumentList.Add(prefix);
        using var process = Process.Start(start)!;
        int last = 0;
        using var firstSave = new ManualResetEventSlim();
        process.OutputDataReceived += (_, e) =>
        {
            if (int.TryParse(e.Data, out int k))
            {
                Volatile.Write(ref last, k);
                firstSave.Set();
            }
        };
        process.BeginOutputReadLine();
        if (!firstSave.Wait(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("the checkpoint writer never finished a save: " + process.StandardError.ReadToEnd());
        }

        Thread.Sleep(extraMilliseconds);
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
        return Volatile.Read(ref last);
    }
}

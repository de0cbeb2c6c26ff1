using System;
using System.IO;
using System.Text;

namespace Nxt.Checkpoints;

/// <summary>
/// Writes a file so that a crash leaves the old one: a temporary file of its own beside it (one
/// per call, so two threads saving the same path never share one), flushed to disk and closed,
/// then renamed over it. A failure names the file the caller asked for, not the temporary one.
/// </summary>
internal static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        string fullPath = Path.GetFullPath(path);
        if (Directory.Exists(fullPath))
        {
            throw new IOException($"Cannot write '{fullPath}': it is a directory.");
        }

        string temporary = $"{fullPath}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw new IOException($"Could not write '{fullPath}': {Reason(ex)}. The previous file, if any, is unchanged.", ex);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    public static void WriteText(string path, string text) => Write(path, stream => stream.Write(Encoding.UTF8.GetBytes(text)));

    private static string Reason(Exception ex) => ex switch
    {
        DirectoryNotFoundException => "its folder does not exist",
        UnauthorizedAccessException => "access to its folder is denied",
        IOException when ex.HResult == 28 || ex.Message.Contains("No space left", StringComparison.Ordinal) => "the disk is full",
        _ => ex.GetType().Name,
    };

    private static void TryDelete(string temporary)
    {
        try
        {
            File.Delete(temporary);
        }
        catch (IOException)
        {
            // Left behind only if the disk itself fails; the target is untouched either way.
        }
    }
}

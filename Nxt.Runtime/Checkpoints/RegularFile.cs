using System;
using System.IO;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Nxt.Checkpoints;

/// <summary>
/// Opens a checkpoint for reading only if it is a regular file: a directory, a missing file, a
/// pipe or a device (<c>/dev/zero</c>) each get a clear error, and a FIFO never blocks the open.
/// </summary>
internal static partial class RegularFile
{
    public static FileStream OpenRead(string path, string what)
    {
        if (Directory.Exists(path))
        {
            throw new InvalidDataException($"Checkpoint {what} '{path}' is a directory, not a file.");
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Checkpoint {what} '{path}' do not exist.", path);
        }

        var stream = new FileStream(Open(path), FileAccess.Read, bufferSize: 1 << 16);
        if (!stream.CanSeek || IsDevice(path))
        {
            stream.Dispose();
            throw new InvalidDataException($"Checkpoint {what} '{path}' is not a regular file (a pipe or a device); save checkpoints to files.");
        }

        return stream;
    }

    // On Linux a FIFO's open blocks until a writer comes: open it non-blocking, then refuse it
    // (a pipe cannot seek). Elsewhere the ordinary open.
    private static SafeFileHandle Open(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }

        const int ReadOnlyNonBlocking = 0x800; // O_RDONLY | O_NONBLOCK (Linux)
        const int CloseOnExec = 0x80000;       // O_CLOEXEC
        int fd = OpenFile(path, ReadOnlyNonBlocking | CloseOnExec);
        if (fd < 0)
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read); // reports the reason as .NET would
        }

        return new SafeFileHandle(fd, ownsHandle: true);
    }

    // Character and block devices seek; their paths are what gives them away (/dev/shm holds
    // ordinary files in memory, and stays allowed).
    private static bool IsDevice(string path)
    {
        string full = Path.GetFullPath(path);
        return OperatingSystem.IsLinux() && full.StartsWith("/dev/", StringComparison.Ordinal) && !full.StartsWith("/dev/shm/", StringComparison.Ordinal);
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int OpenFile(string path, int flags);
}

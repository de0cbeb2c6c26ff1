using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Nxt.TorchSharpBenchmarks;

/// <summary>
/// Makes TorchSharp 0.107's native binding load on a libstdc++ older than GCC 13's (Debian 12's).
/// <c>libLibTorchSharp.so</c> requires the version <c>GLIBCXX_3.4.32</c> for one symbol only,
/// <c>std::ios_base_library_init()</c>, which GCC 13 made every translation unit that includes
/// &lt;iostream&gt; call and which is empty there. So, before TorchSharp loads: the requirement
/// is marked weak in the binding's ELF version table (the loader then accepts its absence), and
/// an empty definition of the symbol is loaded globally from a shim compiled with the system's C
/// compiler. Nothing is done where the system library already has the version.
/// </summary>
internal static class LibTorchLoader
{
    private const string MissingVersion = "GLIBCXX_3.4.32";
    private const string Symbol = "_ZSt21ios_base_library_initv";
    private const uint VerneedSection = 0x6ffffffe; // SHT_GNU_verneed
    private const ushort WeakFlag = 0x2;            // VER_FLG_WEAK
    private static bool s_prepared;

    public static void Prepare()
    {
        if (s_prepared || !OperatingSystem.IsLinux() || SystemHasVersion())
        {
            s_prepared = true;
            return;
        }

        string binding = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        if (!File.Exists(binding))
        {
            throw new FileNotFoundException($"TorchSharp's native binding is not at {binding}; build the bench project for linux-x64.", binding);
        }

        WeakenVersionRequirement(binding);
        LoadShim(Path.Combine(AppContext.BaseDirectory, "libnxt_iosinit_shim.so"));
        s_prepared = true;
    }

    private static bool SystemHasVersion()
    {
        nint libstdcxx = dlopen("libstdc++.so.6", RtldNow);
        return libstdcxx != 0 && dlvsym(libstdcxx, Symbol, MissingVersion) != 0;
    }

    /// <summary>Sets VER_FLG_WEAK on the binding's requirement of <see cref="MissingVersion"/> (ELF64, little-endian).</summary>
    private static void WeakenVersionRequirement(string path)
    {
        byte[] elf = File.ReadAllBytes(path);
        var span = elf.AsSpan();
        long sectionTable = BinaryPrimitives.ReadInt64LittleEndian(span[0x28..]);
        int entrySize = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3A..]);
        int count = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3C..]);
        for (int s = 0; s < count; s++)
        {
            var header = span[(int)(sectionTable + (s * entrySize))..];
            if (BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) != VerneedSection)
            {
                continue;
            }

            long offset = BinaryPrimitives.ReadInt64LittleEndian(header[0x18..]);
            int strings = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[0x28..]);
            int needed = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[0x2C..]);
            long stringTable = BinaryPrimitives.ReadInt64LittleEndian(span[(int)(sectionTable + (strings * entrySize) + 0x18)..]);
            long verneed = offset;
            for (int v = 0; v < needed; v++)
            {
                int auxCount = BinaryPrimitives.ReadUInt16LittleEndian(span[(int)(verneed + 2)..]);
                long aux = verneed + BinaryPrimitives.ReadUInt32LittleEndian(span[(int)(verneed + 8)..]);
                for (int a = 0; a < auxCount; a++)
                {
                    long name = stringTable + BinaryPrimitives.ReadUInt32LittleEndian(span[(int)(aux + 8)..]);
                    if (ReadString(span, name) == MissingVersion)
                    {
                        ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(span[(int)(aux + 4)..]);
                        if ((flags & WeakFlag) == 0)
                        {
                            BinaryPrimitives.WriteUInt16LittleEndian(span[(int)(aux + 4)..], (ushort)(flags | WeakFlag));
                            File.WriteAllBytes(path, elf);
                        }

                        return;
                    }

                    aux += BinaryPrimitives.ReadUInt32LittleEndian(span[(int)(aux + 12)..]);
                }

                verneed += BinaryPrimitives.ReadUInt32LittleEndian(span[(int)(verneed + 12)..]);
            }
        }
    }

    private static void LoadShim(string path)
    {
        if (!File.Exists(path))
        {
            string source = Path.ChangeExtension(path, ".c");
            File.WriteAllText(source, $"/* GCC 13's std::ios_base_library_init() is empty. */\nvoid {Symbol}(void) {{}}\n");
            using var cc = Process.Start(new ProcessStartInfo("cc", $"-shared -fPIC -o \"{path}\" \"{source}\"") { RedirectStandardError = true })
                ?? throw new InvalidOperationException("Could not start the C compiler (cc) to build the libstdc++ shim TorchSharp needs here.");
            string errors = cc.StandardError.ReadToEnd();
            cc.WaitForExit();
            if (cc.ExitCode != 0)
            {
                throw new InvalidOperationException($"cc failed to build {path}: {errors}");
            }
        }

        if (dlopen(path, RtldNow | RtldGlobal) == 0)
        {
            throw new InvalidOperationException($"Could not load {path}: {Marshal.PtrToStringUTF8(dlerror())}");
        }
    }

    private static string ReadString(ReadOnlySpan<byte> data, long offset)
    {
        var rest = data[(int)offset..];
        return Encoding.ASCII.GetString(rest[..rest.IndexOf((byte)0)]);
    }

    private const int RtldNow = 0x2;
    private const int RtldGlobal = 0x100;

    [DllImport("libc", EntryPoint = "dlopen")]
    private static extern nint dlopen(string file, int mode);

    [DllImport("libc", EntryPoint = "dlvsym")]
    private static extern nint dlvsym(nint handle, string symbol, string version);

    [DllImport("libc", EntryPoint = "dlerror")]
    private static extern nint dlerror();
}

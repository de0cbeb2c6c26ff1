using System;
using System.Runtime.InteropServices;

namespace Nxt.Checkpoints;

/// <summary>
/// CRC-32 (IEEE 802.3, as zlib and PNG), of a tensor's little-endian bytes: what a checkpoint
/// records so that a flipped byte is found on load. Table-driven, 64 MiB at a time, so tensors
/// past 2 GiB of bytes are covered too.
/// </summary>
internal static class Checksum
{
    private static readonly uint[] s_table = Table();

    public static uint Of(ReadOnlySpan<float> values)
    {
        uint crc = 0xFFFFFFFFu;
        const int chunk = 1 << 24;
        for (int start = 0; start < values.Length; start += chunk)
        {
            foreach (byte b in MemoryMarshal.AsBytes(values.Slice(start, Math.Min(chunk, values.Length - start))))
            {
                crc = s_table[(crc ^ b) & 0xFF] ^ (crc >> 8);
            }
        }

        return ~crc;
    }

    private static uint[] Table()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Nxt.Cpu;

/// <summary>
/// Short runs of floats copied, cleared or added inline: im2col and its adjoint move one output
/// row at a time, often 8 to 32 floats, where a call into memmove costs as much as the move.
/// 256-bit vectors, then 128-bit ones (ARM's width), then single floats.
/// </summary>
internal static unsafe class ColumnRun
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy(float* src, float* dst, int count)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= count - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256.Store(Vector256.Load(src + i), dst + i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= count - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                Vector128.Store(Vector128.Load(src + i), dst + i);
            }
        }

        for (; i < count; i++)
        {
            dst[i] = src[i];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Clear(float* dst, int count)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= count - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256.Store(Vector256<float>.Zero, dst + i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= count - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                Vector128.Store(Vector128<float>.Zero, dst + i);
            }
        }

        for (; i < count; i++)
        {
            dst[i] = 0f;
        }
    }

    /// <summary><c>dst[i] += src[i]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(float* src, float* dst, int count)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= count - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256.Store(Vector256.Load(dst + i) + Vector256.Load(src + i), dst + i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= count - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                Vector128.Store(Vector128.Load(dst + i) + Vector128.Load(src + i), dst + i);
            }
        }

        for (; i < count; i++)
        {
            dst[i] += src[i];
        }
    }
}

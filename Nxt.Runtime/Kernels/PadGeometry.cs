namespace Nxt.Kernels;

/// <summary>
/// One plane's border: the input (Height, Width), the rows and columns added before each, and the
/// output size; <c>Mode</c> 0 constant, 1 edge, 2 reflect.
/// </summary>
public readonly record struct PadGeometry(int Height, int Width, int Top, int Left, int OutHeight, int OutWidth, int Mode)
{
    /// <summary>The input row or column an output one reads (-1: the constant), along an axis of <paramref name="size"/> shifted by <paramref name="before"/>.</summary>
    internal static int Source(int output, int before, int size, int mode)
    {
        int i = output - before;
        if ((uint)i < (uint)size)
        {
            return i;
        }

        if (mode == 0)
        {
            return -1;
        }

        if (mode == 1)
        {
            return i < 0 ? 0 : size - 1;
        }

        return i < 0 ? -i : (2 * (size - 1)) - i;
    }
}

using ILGPU;

namespace Nxt.Gpu;

/// <summary>A sum over the threads of one group, in shared memory.</summary>
internal static class GroupSum
{
    /// <summary>
    /// The group's sum of each thread's <paramref name="value"/>, returned to every thread (a tree in
    /// <paramref name="partial"/>, shared memory of <paramref name="groupSize"/> floats, a power of two).
    /// </summary>
    public static float Of(ArrayView<float> partial, float value, int groupSize)
    {
        partial[Group.IdxX] = value;
        Group.Barrier();
        for (int stride = groupSize / 2; stride > 0; stride /= 2)
        {
            if (Group.IdxX < stride)
            {
                partial[Group.IdxX] += partial[Group.IdxX + stride];
            }

            Group.Barrier();
        }

        float sum = partial[0];
        Group.Barrier();
        return sum;
    }
}

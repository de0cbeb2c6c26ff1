namespace Nxt;

/// <summary>
/// MXNet <c>slice(begin, end, step)</c> over a sample's axes, as Python slices them: per axis
/// (the first entry is axis 1, the batch is never sliced) elements from <see cref="Begin"/> up to
/// <see cref="End"/> in steps of <see cref="Step"/>; a negative index counts from the end, an
/// index past either end is clamped (so <c>int.MaxValue</c> is an open end), a negative step walks
/// backwards; axes past an array's length are taken whole. The gradient goes back to the taken
/// elements, zero elsewhere.
/// </summary>
public sealed class SliceAttribute : LayerAttribute
{
    /// <summary>The first index taken on each axis (MXNet <c>begin</c>; default the start, or the end for a negative step).</summary>
    public int[] Begin { get; set; } = [];

    /// <summary>The index each axis stops before (MXNet <c>end</c>; default past the end, or before the start for a negative step).</summary>
    public int[] End { get; set; } = [];

    /// <summary>The step on each axis (MXNet <c>step</c>; default 1, never 0).</summary>
    public int[] Step { get; set; } = [];
}

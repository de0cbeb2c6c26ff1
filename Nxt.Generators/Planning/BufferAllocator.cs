using System.Collections.Generic;
using System.Linq;

namespace Nxt.Generators.Planning;

/// <summary>
/// Places buffers with known lifetimes in one arena so that buffers live at the same time
/// never overlap: greedy by size (largest first, each at the lowest offset that fits between
/// the conflicting buffers already placed), as TFLite's arena planner does. A buffer may
/// take exactly the place of one whose last reader writes it element by element (an in-place
/// activation).
/// </summary>
internal sealed class BufferAllocator
{
    private readonly List<Lifetime> _requests = new();

    /// <summary>What was asked for, by request id.</summary>
    public IReadOnlyList<Lifetime> Requests => _requests;

    /// <summary>Where each request was placed, after <see cref="Place"/>.</summary>
    public IReadOnlyList<int> Offsets { get; private set; } = System.Array.Empty<int>();

    /// <summary>True when two requests may share memory: their lifetimes are disjoint, or one writes in place of the other.</summary>
    public static bool MayShare(Lifetime a, Lifetime b) => !Overlaps(a, b) || IsInPlacePair(a, b);

    /// <summary>Asks for <paramref name="size"/> floats per sample live over [<paramref name="start"/>, <paramref name="end"/>], both inclusive.</summary>
    /// <param name="inPlaceOf">A request whose place this one may take: it ends where this one starts, and this one's writer reads it element by element.</param>
    public int Request(int size, int start, int end, int inPlaceOf = -1)
    {
        _requests.Add(new Lifetime(_requests.Count, size, start, end, inPlaceOf));
        return _requests.Count - 1;
    }

    /// <summary>Places every request; returns the offsets (by request id) and the arena's size.</summary>
    public (int[] Offsets, int Size) Place()
    {
        var offsets = Enumerable.Repeat(-1, _requests.Count).ToArray();
        var placed = new List<Lifetime>();
        int size = 0;
        foreach (var request in _requests.OrderByDescending(r => r.Size).ThenBy(r => r.Start).ThenBy(r => r.Id))
        {
            var conflicts = placed.Where(p => Overlaps(p, request)).ToList();
            var candidates = new[] { 0 }.Concat(conflicts.Select(p => offsets[p.Id] + p.Size));
            var partner = conflicts.FirstOrDefault(p => IsInPlacePair(p, request) && p.Size == request.Size);
            if (partner is not null)
            {
                candidates = new[] { offsets[partner.Id] }.Concat(candidates);
            }

            foreach (int offset in candidates)
            {
                if (conflicts.All(p => (p == partner && offset == offsets[p.Id]) || offset + request.Size <= offsets[p.Id] || offsets[p.Id] + p.Size <= offset))
                {
                    offsets[request.Id] = offset;
                    break;
                }
            }

            placed.Add(request);
            size = System.Math.Max(size, offsets[request.Id] + request.Size);
        }

        Offsets = offsets;
        return (offsets, size);
    }

    private static bool Overlaps(Lifetime a, Lifetime b) => a.Start <= b.End && b.Start <= a.End;

    private static bool IsInPlacePair(Lifetime a, Lifetime b)
        => (b.InPlaceOf == a.Id && a.End == b.Start) || (a.InPlaceOf == b.Id && b.End == a.Start);

    /// <summary>A buffer of <paramref name="Size"/> floats per sample, live over plan positions [Start, End].</summary>
    internal sealed record Lifetime(int Id, int Size, int Start, int End, int InPlaceOf);
}

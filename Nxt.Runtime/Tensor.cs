using System;
using System.Globalization;
using System.Text;

namespace Nxt;

/// <summary>
/// A float32 tensor: a shape and a window onto storage. A module's tensors are windows onto
/// the buffers it allocated at <c>Bind</c>, so reading a node's tensor shows its live value
/// and nothing is copied.
/// </summary>
public sealed class Tensor
{
    private readonly float[] _storage;
    private readonly int _offset;
    private readonly int[] _shape;
    private readonly string? _unavailable;

    /// <summary>Wraps <paramref name="data"/> (not copied) as a tensor of the given shape.</summary>
    public Tensor(float[] data, params int[] shape)
        : this(data, 0, shape)
    {
    }

    // Private: a public (data, offset, params shape) overload would capture `new Tensor(data, n)`.
    private Tensor(float[] data, int offset, int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        long length = 1;
        foreach (int d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentException($"Tensor shape {FormatShape(shape)} has a negative dimension.", nameof(shape));
            }

            // Saturate rather than wrap: (65536, 65536, 65536, 65536) must not come out as 0.
            length = d == 0 || length <= Array.MaxLength / d ? length * d : long.MaxValue;
        }

        if (length > Array.MaxLength)
        {
            throw new ArgumentException($"Tensor shape {FormatShape(shape)} has more elements than a tensor can hold ({Array.MaxLength}).", nameof(shape));
        }

        if (offset < 0 || offset + length > data.Length)
        {
            throw new ArgumentException(
                $"Tensor shape {FormatShape(shape)} needs {length} elements from offset {offset}, but the storage holds {data.Length}.",
                nameof(data));
        }

        _storage = data;
        _offset = offset;
        _shape = (int[])shape.Clone();
        Length = (int)length;
    }

    // A tensor with a shape but no readable value: reading it throws with the reason.
    private Tensor(int[] shape, string unavailable)
    {
        _storage = [];
        _shape = (int[])shape.Clone();
        _unavailable = unavailable;
        long length = 1;
        foreach (int d in shape)
        {
            length *= d;
        }

        Length = (int)length;
    }

    /// <summary>A window onto <c>storage[offset..]</c> with the given shape (no copy).</summary>
    internal static Tensor View(float[] storage, int offset, int[] shape) => new(storage, offset, shape);

    /// <summary>A node value the plan does not keep: it has a shape, and reading it throws <paramref name="reason"/>.</summary>
    internal static Tensor Unavailable(int[] shape, string reason) => new(shape, reason);

    /// <summary>A new zero-filled tensor of the given shape.</summary>
    public static Tensor Zeros(params int[] shape)
    {
        long length = 1;
        foreach (int d in shape)
        {
            length *= d;
        }

        return new Tensor(new float[length], shape);
    }

    /// <summary>The dimensions, outermost first.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>The number of elements.</summary>
    public int Length { get; }

    /// <summary>The number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>The elements in row-major order.</summary>
    public Span<float> Span => Readable.AsSpan(_offset, Length);

    /// <summary>One element by its multi-dimensional index.</summary>
    public float this[params int[] index]
    {
        get => Readable[_offset + FlatIndex(index)];
        set => Readable[_offset + FlatIndex(index)] = value;
    }

    /// <summary>
    /// The same elements under another shape with the same element count (no copy), e.g.
    /// images <c>(N, 28, 28)</c> as <c>(N, 784)</c>. One dimension may be -1: it is inferred.
    /// </summary>
    public Tensor Reshape(params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        int[] resolved = (int[])shape.Clone();
        int inferred = Array.IndexOf(resolved, -1);
        long known = 1;
        for (int i = 0; i < resolved.Length; i++)
        {
            if (i != inferred)
            {
                known *= resolved[i];
            }
        }

        if (inferred >= 0 && known > 0 && Length % known == 0)
        {
            resolved[inferred] = (int)(Length / known);
            known *= resolved[inferred];
        }

        if (known != Length)
        {
            throw new ArgumentException($"Cannot reshape {ShapeString} ({Length} elements) to {FormatShape(shape)}.", nameof(shape));
        }

        return View(Readable, _offset, resolved);
    }

    /// <summary>A copy of the elements.</summary>
    public float[] ToArray() => Span.ToArray();

    /// <summary>The shape as MXNet prints it, e.g. <c>(64,784)</c>.</summary>
    public string ShapeString => FormatShape(_shape);

    /// <summary>
    /// The values as MXNet prints an NDArray: nested rows, aligned numbers, only the first and last
    /// three entries of each axis above 1000 elements, then <c>&lt;Tensor 2x3 @cpu(0)&gt;</c>.
    /// </summary>
    public override string ToString()
        => _unavailable is null ? TensorText.Format(Span, _shape) : $"<Tensor {string.Join('x', _shape)}: its values are on a device>";

    internal float[] Storage => Readable;

    private float[] Readable => _unavailable is null ? _storage : throw new InvalidOperationException(_unavailable);

    internal int Offset => _offset;

    /// <summary>Formats a shape as <c>(d0,d1,...)</c>.</summary>
    public static string FormatShape(ReadOnlySpan<int> shape)
    {
        var sb = new StringBuilder("(");
        for (int i = 0; i < shape.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            sb.Append(shape[i].ToString(CultureInfo.InvariantCulture));
        }

        return sb.Append(')').ToString();
    }

    private int FlatIndex(int[] index)
    {
        if (index.Length != _shape.Length)
        {
            throw new ArgumentException($"Index has {index.Length} dimensions but the tensor {ShapeString} has {_shape.Length}.", nameof(index));
        }

        int flat = 0;
        for (int i = 0; i < index.Length; i++)
        {
            if ((uint)index[i] >= (uint)_shape[i])
            {
                throw new IndexOutOfRangeException($"Index {index[i]} is outside dimension {i} of size {_shape[i]} in tensor {ShapeString}.");
            }

            flat = (flat * _shape[i]) + index[i];
        }

        return flat;
    }
}

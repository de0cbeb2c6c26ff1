using System;

using Nxt.Kernels;

namespace Nxt.Cpu;

/// <summary>
/// MXNet <c>broadcast_add</c>, <c>_sub</c>, <c>_mul</c>, <c>_div</c> over a sample's axes
/// (<see cref="BroadcastGeometry"/>); <c>op</c> is 0 to 3 in that order. Each operand's gradient
/// sums the output gradient over the axes it was broadcast along.
/// </summary>
public static class BroadcastKernels
{
    /// <summary><c>y = a op b</c>, each operand repeated along its axes of size 1.</summary>
    public static void Forward(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y, int n, in BroadcastGeometry g, int op)
    {
        int o = 0;
        for (int s = 0; s < n; s++)
        {
            var sa = a.Slice(s * g.ALength, g.ALength);
            var sb = b.Slice(s * g.BLength, g.BLength);
            for (int i0 = 0; i0 < g.O0; i0++)
            {
                for (int i1 = 0; i1 < g.O1; i1++)
                {
                    for (int i2 = 0; i2 < g.O2; i2++)
                    {
                        for (int i3 = 0; i3 < g.O3; i3++, o++)
                        {
                            y[o] = Apply(sa[g.AIndex(i0, i1, i2, i3)], sb[g.BIndex(i0, i1, i2, i3)], op);
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// The gradient of operand <paramref name="operand"/> (0: a, 1: b), written or added: per
    /// element of it, the sum over the output elements that read it of <c>dy · ∂(a op b)</c>.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> dy, Span<float> dTarget, int n, in BroadcastGeometry g, int op, int operand, bool accumulate)
    {
        var (t0, t1, t2, t3) = operand == 0 ? (g.A0, g.A1, g.A2, g.A3) : (g.B0, g.B1, g.B2, g.B3);
        int targetLength = t0 * t1 * t2 * t3;
        for (int s = 0; s < n; s++)
        {
            var target = dTarget.Slice(s * targetLength, targetLength);
            if (!accumulate)
            {
                target.Clear();
            }

            var sa = a.Slice(s * g.ALength, g.ALength);
            var sb = b.Slice(s * g.BLength, g.BLength);
            var sdy = dy.Slice(s * g.OutLength, g.OutLength);
            int o = 0;
            for (int i0 = 0; i0 < g.O0; i0++)
            {
                for (int i1 = 0; i1 < g.O1; i1++)
                {
                    for (int i2 = 0; i2 < g.O2; i2++)
                    {
                        for (int i3 = 0; i3 < g.O3; i3++, o++)
                        {
                            float va = sa[g.AIndex(i0, i1, i2, i3)], vb = sb[g.BIndex(i0, i1, i2, i3)];
                            target[BroadcastGeometry.Offset(i0, i1, i2, i3, t0, t1, t2, t3)] += sdy[o] * Partial(va, vb, op, operand);
                        }
                    }
                }
            }
        }
    }

    internal static float Apply(float a, float b, int op) => op switch
    {
        0 => a + b,
        1 => a - b,
        2 => a * b,
        _ => a / b,
    };

    /// <summary>∂(a op b)/∂a (operand 0) or ∂b (operand 1); plain branches, as the device kernels call it too.</summary>
    internal static float Partial(float a, float b, int op, int operand)
    {
        if (op == 0)
        {
            return 1f;
        }

        if (op == 1)
        {
            return operand == 0 ? 1f : -1f;
        }

        if (op == 2)
        {
            return operand == 0 ? b : a;
        }

        return operand == 0 ? 1f / b : -a / (b * b);
    }
}

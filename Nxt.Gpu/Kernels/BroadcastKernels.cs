using ILGPU;
using ILGPU.Runtime;
using Nxt.Kernels;

namespace Nxt.Gpu;

/// <summary>
/// MXNet's broadcast element-wise operations on the device (<see cref="Nxt.Cpu.BroadcastKernels"/>):
/// a thread per output element forward; backward a thread per element of the operand, summing
/// over the axes it was broadcast along (no atomics).
/// </summary>
public static class BroadcastKernels
{
    /// <summary><c>y = a op b</c>, each operand repeated along its axes of size 1.</summary>
    public static void Forward(DeviceSpan a, DeviceSpan b, DeviceSpan y, int n, in BroadcastGeometry g, int op)
        => Launcher.Run(y.Owner, ForwardKernel, n * g.OutLength, a.View, b.View, y.View, SpecializedValue.New(g), SpecializedValue.New(op));

    /// <summary>The gradient of operand <paramref name="operand"/> (0: a, 1: b), written or added.</summary>
    public static void Backward(DeviceSpan a, DeviceSpan b, DeviceSpan dy, DeviceSpan dTarget, int n, in BroadcastGeometry g, int op, int operand, bool accumulate)
    {
        int length = operand == 0 ? g.ALength : g.BLength;
        Launcher.Run(dTarget.Owner, BackwardKernel, n * length, a.View, b.View, dy.View, dTarget.View, SpecializedValue.New(g), SpecializedValue.New(new Flags(op, operand, accumulate ? 1 : 0)));
    }

    internal static void ForwardKernel(Index1D e, ArrayView<float> a, ArrayView<float> b, ArrayView<float> y, SpecializedValue<BroadcastGeometry> geometry, SpecializedValue<int> op)
    {
        var g = geometry.Value;
        int s = e / g.OutLength, o = e % g.OutLength;
        int i3 = o % g.O3, i2 = o / g.O3 % g.O2, i1 = o / (g.O3 * g.O2) % g.O1, i0 = o / (g.O3 * g.O2 * g.O1);
        y[e] = Nxt.Cpu.BroadcastKernels.Apply(a[(s * g.ALength) + g.AIndex(i0, i1, i2, i3)], b[(s * g.BLength) + g.BIndex(i0, i1, i2, i3)], op.Value);
    }

    internal static void BackwardKernel(Index1D e, ArrayView<float> a, ArrayView<float> b, ArrayView<float> dy, ArrayView<float> dTarget, SpecializedValue<BroadcastGeometry> geometry, SpecializedValue<Flags> flags)
    {
        var g = geometry.Value;
        var f = flags.Value;
        int t0 = f.Operand == 0 ? g.A0 : g.B0, t1 = f.Operand == 0 ? g.A1 : g.B1, t2 = f.Operand == 0 ? g.A2 : g.B2, t3 = f.Operand == 0 ? g.A3 : g.B3;
        int length = t0 * t1 * t2 * t3, s = e / length, t = e % length;
        int j3 = t % t3, j2 = t / t3 % t2, j1 = t / (t3 * t2) % t1, j0 = t / (t3 * t2 * t1);
        float sum = 0f;
        // Along an axis the operand was broadcast on (its size 1), every output coordinate read this element.
        for (int i0 = t0 == 1 ? 0 : j0; i0 < (t0 == 1 ? g.O0 : j0 + 1); i0++)
        {
            for (int i1 = t1 == 1 ? 0 : j1; i1 < (t1 == 1 ? g.O1 : j1 + 1); i1++)
            {
                for (int i2 = t2 == 1 ? 0 : j2; i2 < (t2 == 1 ? g.O2 : j2 + 1); i2++)
                {
                    for (int i3 = t3 == 1 ? 0 : j3; i3 < (t3 == 1 ? g.O3 : j3 + 1); i3++)
                    {
                        int o = (s * g.OutLength) + ((((((i0 * g.O1) + i1) * g.O2) + i2) * g.O3) + i3);
                        float va = a[(s * g.ALength) + g.AIndex(i0, i1, i2, i3)], vb = b[(s * g.BLength) + g.BIndex(i0, i1, i2, i3)];
                        sum += dy[o] * Nxt.Cpu.BroadcastKernels.Partial(va, vb, f.Op, f.Operand);
                    }
                }
            }
        }

        dTarget[e] = f.Accumulate == 1 ? dTarget[e] + sum : sum;
    }

    /// <summary>The operation, the operand whose gradient this is, and whether to add, one kernel argument.</summary>
    internal readonly record struct Flags(int Op, int Operand, int Accumulate);
}

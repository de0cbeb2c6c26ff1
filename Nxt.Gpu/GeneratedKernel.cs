using System;
using ILGPU;

namespace Nxt.Gpu;

/// <summary>
/// Launches the kernels the generator writes into a network's device plan (its element-wise
/// regions): one thread per element of <c>extent</c>, the buffers passed as one struct of views.
/// </summary>
public static class GeneratedKernel
{
    /// <summary>Runs <paramref name="kernel"/> over <paramref name="extent"/>'s elements on its device, loading it the first time.</summary>
    public static void Run<TViews>(Action<Index1D, TViews> kernel, DeviceSpan extent, TViews views)
        where TViews : struct
        => Launcher.Run(extent.Owner, kernel, extent.Length, views);

    /// <summary>
    /// <paramref name="span"/>'s view after checking it has <paramref name="extent"/>'s length; an
    /// absent span (a gradient this Bind does not want) gives a placeholder the kernel never touches.
    /// </summary>
    public static ArrayView<float> View(DeviceSpan span, DeviceSpan extent, string name)
    {
        if (span.IsEmpty)
        {
            return extent.Owner.ViewOrPlaceholder(span);
        }

        if (span.Length != extent.Length)
        {
            throw new ArgumentException($"A generated element-wise kernel expected {extent.Length} floats of {name}, and got {span.Length}.", name);
        }

        return span.View;
    }
}

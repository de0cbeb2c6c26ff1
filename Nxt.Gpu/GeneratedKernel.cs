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
    /// Runs <paramref name="kernel"/> with <paramref name="threads"/> threads on <paramref name="device"/>'s
    /// device: a region's parameter gradients, one thread per position in a sample summing over the batch.
    /// </summary>
    public static void Run<TViews>(Action<Index1D, TViews> kernel, DeviceSpan device, int threads, TViews views)
        where TViews : struct
        => Launcher.Run(device.Owner, kernel, threads, views);

    /// <summary>
    /// A parameter's view (one value per element of a sample) after checking it holds
    /// <paramref name="length"/> floats; an absent span (a gradient this Bind does not want) gives
    /// a placeholder on <paramref name="device"/>'s device that the kernel never touches.
    /// </summary>
    public static ArrayView<float> Parameter(DeviceSpan span, int length, DeviceSpan device, string name)
    {
        if (span.IsEmpty)
        {
            return device.Owner.ViewOrPlaceholder(span);
        }

        if (span.Length != length)
        {
            throw new ArgumentException($"A generated element-wise kernel expected {length} floats of {name}, and got {span.Length}.", name);
        }

        return span.View;
    }

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

namespace Nxt;

/// <summary>Where a module's buffers live and its plan runs.</summary>
public sealed class Device
{
    private Device(string name) => Name = name;

    /// <summary>The SIMD CPU backend, always available.</summary>
    public static Device Cpu { get; } = new("cpu(0)");

    /// <summary>The device as MXNet prints a context, e.g. <c>cpu(0)</c>.</summary>
    public string Name { get; }

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>How <c>Backward</c> treats parameter gradients (MXNet <c>grad_req</c>).</summary>
public enum GradReq
{
    /// <summary>Each backward pass overwrites the gradients.</summary>
    Write,
    /// <summary>Each backward pass adds to the gradients (accumulate over several batches).</summary>
    Add,
    /// <summary>No parameter gradients are computed (frozen).</summary>
    Null,
}

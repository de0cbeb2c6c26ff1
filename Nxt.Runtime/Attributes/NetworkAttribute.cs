using System;

namespace Nxt;

/// <summary>
/// Marks a <c>partial class</c> as a network declaration. Each field below it that carries a
/// node attribute (<see cref="InputAttribute"/>, <see cref="FullyConnectedAttribute"/>, ...)
/// is one node of the graph, in declaration order. The build generates the
/// <see cref="Module"/> subclass that trains and runs it.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class NetworkAttribute : Attribute
{
    /// <summary>
    /// Fuse operators into the kernels before them (bias, activation and residual add into a
    /// GEMM, convolution or BatchNorm; an activation into an add). On by default; off gives one
    /// kernel per operator, which computes the same values up to float rounding, and keeps every
    /// intermediate value readable.
    /// </summary>
    public bool Fuse { get; set; } = true;

    /// <summary>
    /// An MXNet symbol file (<c>prefix-symbol.json</c>, listed as an <c>AdditionalFiles</c> item of
    /// the project) to take the network's nodes from, the build-time twin of <c>mx.sym.load</c>.
    /// The class then declares only its <see cref="InputAttribute"/> fields, named like the
    /// symbol's data inputs; every MXNet operator Nxt has is imported with its attributes and
    /// MXNet's argument names, and what cannot be imported is an NXT0012 error naming the file,
    /// line, node and operator.
    /// </summary>
    public string? Symbol { get; set; }
}

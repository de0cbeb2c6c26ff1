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
}

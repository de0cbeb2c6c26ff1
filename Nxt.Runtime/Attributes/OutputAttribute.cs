using System;

namespace Nxt;

/// <summary>
/// Makes a node one of the network's outputs (MXNet <c>Group</c>) besides its loss layers:
/// <c>GetOutputs()</c> returns it as <c>&lt;name&gt;_output</c>. Put it next to the node attribute.
/// </summary>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class OutputAttribute : Attribute
{
}

using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Nxt.Generators.Operators.Plans;

/// <summary>
/// One argument of a kernel call, as data: the C# text it renders to, the plan locals it reads
/// (so the plan declares exactly those), and whether it names a type of the kernels' own
/// namespace (<c>Epilogue.Relu</c>, rendered per backend) or is taken by the CPU kernels only
/// (a worker's workspace). <see cref="WrapBefore"/> starts a continuation line before it, to
/// keep long calls readable.
/// </summary>
internal sealed class Arg
{
    private Arg(string text, IReadOnlyList<string> locals, bool inKernelNamespace = false, bool cpuOnly = false, bool wrapBefore = false, string? name = null)
    {
        Name = name;
        Text = text;
        Locals = locals;
        InKernelNamespace = inKernelNamespace;
        CpuOnly = cpuOnly;
        WrapBefore = wrapBefore;
    }

    /// <summary>The parameter name of a named argument (<c>accumulate</c>), or null.</summary>
    public string? Name { get; }

    /// <summary>The value's text, without the name or the kernel namespace.</summary>
    public string Text { get; }

    public IReadOnlyList<string> Locals { get; }

    public bool InKernelNamespace { get; }

    public bool CpuOnly { get; }

    public bool WrapBefore { get; }

    /// <summary>A plan local: a buffer slice or a flag.</summary>
    public static Arg Local(string name) => new(name, new[] { name });

    /// <summary>Text that reads no local: a constant, a field, a member of the plan's base class.</summary>
    public static Arg Raw(string text) => new(text, System.Array.Empty<string>());

    /// <summary>Text that reads the given locals.</summary>
    public static Arg Expression(string text, params string[] locals) => new(text, locals);

    /// <summary>A type or member of the backend's kernel namespace: <c>Epilogue.Relu</c>.</summary>
    public static Arg Kernel(string text) => new(text, System.Array.Empty<string>(), inKernelNamespace: true);

    /// <summary>Where an argument's text names the class of the network's generated kernels, which each backend names (<see cref="Emit.KernelBackend"/>).</summary>
    public const string GeneratedClass = "{GeneratedKernels}";

    /// <summary>The class of the network's generated element-wise kernels.</summary>
    public static Arg GeneratedKernels { get; } = Raw(GeneratedClass);

    /// <summary>Text that mentions <see cref="GeneratedClass"/> (<c>new {GeneratedKernels}.act1Epilogue(...)</c>) and reads the given locals.</summary>
    public static Arg Generated(string text, params string[] locals) => new(text, locals);

    /// <summary><c>default</c>: an absent buffer.</summary>
    public static Arg Default { get; } = Raw("default");

    /// <summary>The bound batch size.</summary>
    public static Arg N { get; } = Local("n");

    public static Arg Int(int value) => Raw(value.ToString(CultureInfo.InvariantCulture));

    /// <summary>A float literal that round-trips, e.g. <c>0.5f</c>.</summary>
    public static Arg Float(double value) => Raw(FloatText(value));

    public static Arg Bool(bool value) => Raw(value ? "true" : "false");

    /// <summary>Rows of a batch: <c>n</c>, or <c>n * 4</c> with several rows per sample.</summary>
    public static Arg Rows(int perSample) => perSample == 1 ? N : Expression($"n * {perSample.ToString(CultureInfo.InvariantCulture)}", "n");

    public static string FloatText(double value) => ((float)value).ToString("R", CultureInfo.InvariantCulture) + "f";

    /// <summary>A named argument: <c>accumulate: true</c>.</summary>
    public Arg Named(string name) => new(Text, Locals, InKernelNamespace, CpuOnly, WrapBefore, name);

    /// <summary>Only the CPU kernels take this argument.</summary>
    public Arg OnlyOnCpu() => new(Text, Locals, InKernelNamespace, cpuOnly: true, WrapBefore, Name);

    /// <summary>Starts a continuation line before this argument.</summary>
    public Arg OnNewLine() => new(Text, Locals, InKernelNamespace, CpuOnly, wrapBefore: true, Name);

    /// <summary>Either of two flags: <c>a || b</c>.</summary>
    public static Arg Or(Arg a, Arg b) => new($"{a.Text} || {b.Text}", a.Locals.Concat(b.Locals).ToArray());
}

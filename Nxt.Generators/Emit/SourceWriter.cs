using System;
using System.Globalization;
using System.Text;

namespace Nxt.Generators.Emit;

/// <summary>Builds indented source text; every number is written with the invariant culture.</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;

    public SourceWriter Line(string line = "")
    {
        if (line.Length > 0)
        {
            _text.Append(' ', _indent * 4);
        }

        _text.Append(line).Append('\n');
        return this;
    }

    public SourceWriter Open(string line)
    {
        Line(line);
        Line("{");
        _indent++;
        return this;
    }

    public SourceWriter Close(string suffix = "")
    {
        _indent--;
        return Line("}" + suffix);
    }

    /// <summary>A float literal that round-trips, e.g. <c>0.5f</c>.</summary>
    public static string Float(double value) => ((float)value).ToString("R", CultureInfo.InvariantCulture) + "f";

    public static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A C# verbatim string literal.</summary>
    public static string Verbatim(string text) => "@\"" + text.Replace("\"", "\"\"") + "\"";

    /// <summary>A C# regular string literal (names are identifiers, so only quotes and backslashes need care).</summary>
    public static string Quote(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    public override string ToString() => _text.ToString();
}

/// <summary>The fully qualified names emitted code refers to, in one table.</summary>
internal static class Names
{
    public const string Module = "global::Nxt.Module";
    public const string Layout = "global::Nxt.NetworkLayout";
    public const string BufferSpec = "global::Nxt.BufferSpec";
    public const string BufferKind = "global::Nxt.BufferKind";
    public const string InferredShapes = "global::Nxt.InferredShapes";
    public const string Span = "global::System.Span<float>";
    public const string DeviceSpan = "global::Nxt.Gpu.DeviceSpan";
    public const string Device = "global::Nxt.Device";
    public const string DeviceExecutor = "global::Nxt.DeviceExecutor";
    public const string GpuPlan = "global::Nxt.Gpu.GpuPlan";
    public const string NotSupported = "global::System.NotSupportedException";
    public const string ReadOnlyList = "global::System.Collections.Generic.IReadOnlyList<string>";
    public const string AsReadOnly = "global::System.Array.AsReadOnly";
    public const string InvalidOperation = "global::System.InvalidOperationException";
    public const string Dense = "global::Nxt.Cpu.DenseKernels";
    public const string Activation = "global::Nxt.Cpu.ActivationKernels";
    public const string Dropout = "global::Nxt.Cpu.DropoutKernels";
    public const string Softmax = "global::Nxt.Cpu.SoftmaxKernels";
    public const string Convolution = "global::Nxt.Cpu.ConvolutionKernels";
    public const string Pooling = "global::Nxt.Cpu.PoolingKernels";
    public const string BatchNorm = "global::Nxt.Cpu.BatchNormKernels";
    public const string Leaky = "global::Nxt.Cpu.LeakyReLUKernels";
    public const string Binary = "global::Nxt.Cpu.BinaryKernels";
    public const string Concat = "global::Nxt.Cpu.ConcatKernels";
    public const string Regression = "global::Nxt.Cpu.RegressionKernels";
    public const string Elementwise = "global::Nxt.Cpu.ElementwiseKernels";
    public const string Epilogue = "global::Nxt.Cpu.Epilogue";
    public const string GeneratedCode = "[global::System.CodeDom.Compiler.GeneratedCode(\"Nxt.Generators\", \"" + GeneratorVersion + "\")]";
    public const string GeneratorVersion = "0.1.0";
}

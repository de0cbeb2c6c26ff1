using System.Collections.Generic;
using System.Linq;
using System.Text;
using Nxt.Generators.Operators.Plans;

namespace Nxt.Generators.Emit;

/// <summary>
/// Writes plan statements as C# for one backend: kernel classes in its namespace, CPU-only
/// arguments left out where its kernels take none, and every local a statement reads recorded,
/// so the plan declares exactly those.
/// </summary>
internal sealed class StepRenderer
{
    private readonly KernelBackend _backend;

    public StepRenderer(KernelBackend backend) => _backend = backend;

    /// <summary>The locals the rendered statements read.</summary>
    public HashSet<string> UsedLocals { get; } = new();

    public void Render(SourceWriter writer, IEnumerable<Statement> statements)
    {
        foreach (var statement in statements)
        {
            switch (statement)
            {
                case Comment { Text.Length: 0 }:
                    writer.Line();
                    break;
                case Comment comment:
                    writer.Line("// " + comment.Text);
                    break;
                case Call call:
                    WriteCall(writer, call);
                    break;
                case Conditional conditional:
                    writer.Open($"if ({Text(conditional.Condition)})");
                    Render(writer, conditional.Then);
                    writer.Close();
                    if (conditional.Otherwise is not null)
                    {
                        writer.Open("else");
                        Render(writer, conditional.Otherwise);
                        writer.Close();
                    }

                    break;
                case GradientsReady ready when _backend.ReportsReadyGradients:
                    string final = ready.FirstName == ready.LastName ? $"{ready.FirstName}'s gradient is final" : $"the gradients {ready.FirstName} to {ready.LastName} are final";
                    writer.Line($"ParameterGradientsReady({SourceWriter.Int(ready.From)}); // {final}");
                    break;
                case GradientsReady:
                    break; // a device's gradients are summed after the pass, on the host
                default:
                    throw new System.InvalidOperationException($"No rendering for {statement.GetType().Name}.");
            }
        }
    }

    private void WriteCall(SourceWriter writer, Call call)
    {
        var line = new StringBuilder(Text(call.Target)).Append('.').Append(call.Method).Append('(');
        bool first = true;
        foreach (var arg in call.Args.Where(a => _backend.TakesCpuOnlyArguments || !a.CpuOnly))
        {
            if (!first && arg.WrapBefore)
            {
                writer.Line(line.Append(',').ToString());
                line.Clear().Append("    ");
            }
            else if (!first)
            {
                line.Append(", ");
            }

            line.Append(Text(arg));
            first = false;
        }

        line.Append(");");
        if (call.Comment is not null)
        {
            line.Append(" // ").Append(call.Comment);
        }

        writer.Line(line.ToString());
    }

    private string Text(Arg arg)
    {
        UsedLocals.UnionWith(arg.Locals);
        string value = arg.InKernelNamespace ? _backend.KernelNamespace + arg.Text : arg.Text.Replace(Arg.GeneratedClass, _backend.GeneratedKernelsClass);
        return arg.Name is null ? value : arg.Name + ": " + value;
    }
}

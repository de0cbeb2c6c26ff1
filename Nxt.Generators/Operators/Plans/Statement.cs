using System.Collections.Generic;

namespace Nxt.Generators.Operators.Plans;

/// <summary>One statement of a forward or backward plan, as data; a renderer per backend writes it.</summary>
internal abstract class Statement
{
}

/// <summary>
/// A call: <c>Target.Method(args);</c>. The target is a kernel class of the backend
/// (<see cref="Arg.Kernel"/>), or an instance the plan holds (a custom operator, a buffer).
/// </summary>
internal sealed class Call : Statement
{
    public Call(Arg target, string method, IReadOnlyList<Arg> args, string? comment = null)
    {
        Target = target;
        Method = method;
        Args = args;
        Comment = comment;
    }

    public Arg Target { get; }

    public string Method { get; }

    public IReadOnlyList<Arg> Args { get; }

    /// <summary>A trailing comment, e.g. the operator an op code stands for.</summary>
    public string? Comment { get; }
}

/// <summary><c>if (condition) { then } else { otherwise }</c>; no else when <see cref="Otherwise"/> is null.</summary>
internal sealed class Conditional : Statement
{
    public Conditional(Arg condition, IReadOnlyList<Statement> then, IReadOnlyList<Statement>? otherwise = null)
    {
        Condition = condition;
        Then = then;
        Otherwise = otherwise;
    }

    public Arg Condition { get; }

    public IReadOnlyList<Statement> Then { get; }

    public IReadOnlyList<Statement>? Otherwise { get; }
}

/// <summary>A comment line (an empty text is a blank line).</summary>
internal sealed class Comment : Statement
{
    public Comment(string text) => Text = text;

    public string Text { get; }
}

/// <summary>
/// The parameter gradients from offset <see cref="From"/> to the end are final (a backward plan
/// says so as it goes, so that a data-parallel job can start summing them over the workers).
/// </summary>
internal sealed class GradientsReady : Statement
{
    public GradientsReady(int from, string firstName, string lastName)
    {
        From = from;
        FirstName = firstName;
        LastName = lastName;
    }

    public int From { get; }

    /// <summary>The parameter at <see cref="From"/>.</summary>
    public string FirstName { get; }

    /// <summary>The last parameter of the buffer.</summary>
    public string LastName { get; }
}

using System;
using System.Collections.Generic;

namespace Nxt.Generators.Operators.Plans;

/// <summary>Collects the statements an operator's forward or backward step is made of.</summary>
internal sealed class PlanSteps
{
    private readonly List<Statement> _statements = new();

    public IReadOnlyList<Statement> Statements => _statements;

    /// <summary>A call into one of the backend's kernel classes: <c>DenseKernels.Forward(...)</c>.</summary>
    public PlanSteps Kernel(string kernelClass, string method, params Arg[] args) => Add(new Call(Arg.Kernel(kernelClass), method, args));

    /// <summary>A kernel call with a trailing comment.</summary>
    public PlanSteps KernelWithComment(string comment, string kernelClass, string method, params Arg[] args) => Add(new Call(Arg.Kernel(kernelClass), method, args, comment));

    /// <summary>A call on an instance the plan holds.</summary>
    public PlanSteps Invoke(Arg target, string method, params Arg[] args) => Add(new Call(target, method, args));

    public PlanSteps Comment(string text) => Add(new Comment(text));

    public PlanSteps Blank() => Add(new Comment(string.Empty));

    /// <summary>Tells the module that the parameter gradients from <paramref name="from"/> on are final.</summary>
    public PlanSteps GradientsReady(int from, string firstName, string lastName) => Add(new GradientsReady(from, firstName, lastName));

    /// <summary>Statements run only when <paramref name="condition"/> holds.</summary>
    public PlanSteps If(Arg condition, Action<PlanSteps> then, Action<PlanSteps>? otherwise = null)
    {
        var thenSteps = new PlanSteps();
        then(thenSteps);
        PlanSteps? elseSteps = null;
        if (otherwise is not null)
        {
            elseSteps = new PlanSteps();
            otherwise(elseSteps);
        }

        return Add(new Conditional(condition, thenSteps.Statements, elseSteps?.Statements));
    }

    /// <summary>One kernel call under its flag: <c>if (flag) { call }</c>.</summary>
    public PlanSteps Guarded(Arg condition, string kernelClass, string method, params Arg[] args)
        => If(condition, s => s.Kernel(kernelClass, method, args));

    private PlanSteps Add(Statement statement)
    {
        _statements.Add(statement);
        return this;
    }
}

using System.Collections.Generic;
using System.Linq;

namespace Nxt.Generators.Operators.Expressions;

/// <summary>How a <see cref="Expr.Select"/> compares its two operands.</summary>
internal enum Comparison
{
    Greater,
    GreaterOrEqual,
    LessOrEqual,
}

/// <summary>
/// The value of one element as an element-wise operator computes it: named values (a region's
/// inputs and members, or a gradient), float constants, arithmetic, the functions of
/// <c>ElementwiseMath</c> and a compare-and-select. Generated kernels render one expression per
/// member for each backend (<see cref="ExprDialect"/>), so the CPU's vector loops, its scalar
/// tail and the GPU kernel compute the same formula.
/// </summary>
internal abstract class Expr
{
    public static Expr Named(string name) => new NamedExpr(name);

    public static Expr Const(double value) => new ConstExpr((float)value);

    /// <summary>A function of <c>ElementwiseMath</c>: Exp, Log, Abs, Tanh, Erf, Max, Min.</summary>
    public static Expr Call(string function, params Expr[] args) => new CallExpr(function, args);

    /// <summary><c>a cmp b ? ifTrue : ifFalse</c>, per element (a compare-and-blend in the vector loops).</summary>
    public static Expr Select(Expr a, Comparison comparison, Expr b, Expr ifTrue, Expr ifFalse) => new SelectExpr(a, comparison, b, ifTrue, ifFalse);

    public static Expr operator +(Expr a, Expr b) => new BinaryExpr('+', a, b);

    public static Expr operator -(Expr a, Expr b) => new BinaryExpr('-', a, b);

    public static Expr operator *(Expr a, Expr b) => new BinaryExpr('*', a, b);

    public static Expr operator /(Expr a, Expr b) => new BinaryExpr('/', a, b);

    public static Expr operator -(Expr a) => new NegateExpr(a);

    public static Expr Exp(Expr x) => Call("Exp", x);

    public static Expr Log(Expr x) => Call("Log", x);

    public static Expr Abs(Expr x) => Call("Abs", x);

    public static Expr Tanh(Expr x) => Call("Tanh", x);

    public static Expr Erf(Expr x) => Call("Erf", x);

    public static Expr Max(Expr a, Expr b) => Call("Max", a, b);

    public static Expr Min(Expr a, Expr b) => Call("Min", a, b);

    public static Expr Zero => Const(0);

    public static Expr One => Const(1);

    /// <summary>The expression as C# in <paramref name="dialect"/>.</summary>
    public abstract string Render(ExprDialect dialect);

    /// <summary>The named values it reads.</summary>
    public abstract IEnumerable<string> Names();

    /// <summary>As <see cref="Render"/>, parenthesised where it is an operand of an operator.</summary>
    public virtual string RenderOperand(ExprDialect dialect) => Render(dialect);
}

internal sealed class NamedExpr : Expr
{
    public NamedExpr(string name) => Name = name;

    public string Name { get; }

    public override string Render(ExprDialect dialect) => Name;

    public override IEnumerable<string> Names() => new[] { Name };
}

internal sealed class ConstExpr : Expr
{
    public ConstExpr(float value) => Value = value;

    public float Value { get; }

    public override string Render(ExprDialect dialect) => dialect.Constant(Value);

    public override IEnumerable<string> Names() => System.Array.Empty<string>();
}

internal sealed class BinaryExpr : Expr
{
    public BinaryExpr(char op, Expr a, Expr b)
    {
        Op = op;
        A = a;
        B = b;
    }

    public char Op { get; }

    public Expr A { get; }

    public Expr B { get; }

    public override string Render(ExprDialect dialect) => $"{A.RenderOperand(dialect)} {Op} {B.RenderOperand(dialect)}";

    public override IEnumerable<string> Names() => A.Names().Concat(B.Names());

    public override string RenderOperand(ExprDialect dialect) => "(" + Render(dialect) + ")";
}

internal sealed class NegateExpr : Expr
{
    public NegateExpr(Expr x) => X = x;

    public Expr X { get; }

    public override string Render(ExprDialect dialect) => "-" + X.RenderOperand(dialect);

    public override IEnumerable<string> Names() => X.Names();

    public override string RenderOperand(ExprDialect dialect) => "(" + Render(dialect) + ")";
}

internal sealed class CallExpr : Expr
{
    public CallExpr(string function, IReadOnlyList<Expr> args)
    {
        Function = function;
        Args = args;
    }

    public string Function { get; }

    public IReadOnlyList<Expr> Args { get; }

    public override string Render(ExprDialect dialect)
    {
        var args = new string[Args.Count];
        for (int i = 0; i < args.Length; i++)
        {
            args[i] = Args[i].Render(dialect);
        }

        return dialect.Call(Function, args);
    }

    public override IEnumerable<string> Names() => Args.SelectMany(a => a.Names());
}

internal sealed class SelectExpr : Expr
{
    public SelectExpr(Expr a, Comparison comparison, Expr b, Expr ifTrue, Expr ifFalse)
    {
        A = a;
        Comparison = comparison;
        B = b;
        IfTrue = ifTrue;
        IfFalse = ifFalse;
    }

    public Expr A { get; }

    public Comparison Comparison { get; }

    public Expr B { get; }

    public Expr IfTrue { get; }

    public Expr IfFalse { get; }

    public override string Render(ExprDialect dialect)
        => dialect.Select(A.Render(dialect), Comparison, B.Render(dialect), IfTrue.Render(dialect), IfFalse.Render(dialect));

    public override IEnumerable<string> Names() => new[] { A, B, IfTrue, IfFalse }.SelectMany(e => e.Names());

    public override string RenderOperand(ExprDialect dialect) => dialect.IsVector ? Render(dialect) : "(" + Render(dialect) + ")";
}

using System.Linq;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Operators.Plans;

namespace Nxt.Generators.Operators;

/// <summary>What convolution and pooling share: window checks and the named geometry constant their kernels take.</summary>
internal static class Windows
{
    public static string FieldName(InferredNode node) => "s_" + node.Name + "Geometry";

    public static Arg Field(InferredNode node) => Arg.Raw(FieldName(node));

    public static bool All(EquatableArray<int> values, int value) => values.All(v => v == value);

    public static (string?, string)? Check(string name, string op, EquatableArray<int> kernel, EquatableArray<int> stride, EquatableArray<int> pad, EquatableArray<int> dilate, bool global)
    {
        if (!global && kernel.Any(k => k < 1))
        {
            return ("Kernel", $"{op} '{name}' has kernel {Shapes.Fixed(kernel)}: every size must be at least 1");
        }

        if (stride.Any(s => s < 1))
        {
            return ("Stride", $"{op} '{name}' has stride {Shapes.Fixed(stride)}: every stride must be at least 1");
        }

        if (pad.Any(p => p < 0))
        {
            return ("Pad", $"{op} '{name}' has pad {Shapes.Fixed(pad)}: padding cannot be negative");
        }

        if (dilate.Any(d => d < 1))
        {
            return ("Dilate", $"{op} '{name}' has dilate {Shapes.Fixed(dilate)}: every dilation must be at least 1");
        }

        return null;
    }
}

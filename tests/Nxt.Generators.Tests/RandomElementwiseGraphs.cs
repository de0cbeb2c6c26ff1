using System.Globalization;
using System.Text;

namespace Nxt.Generators.Tests;

/// <summary>
/// Random networks whose middle is a graph of element-wise operators: two dense layers (or, in
/// a third of them, two convolutions over 2×3×3 images), a
/// second data input (<c>extra</c>, read by element-wise nodes directly) and a learned
/// <c>[Variable]</c> broadcast over the batch feed
/// several element-wise nodes (every such operator, scalar and two-node forms, sums of two or
/// three, PReLU with its learned slopes, values read by several nodes, outputs in the middle,
/// dead ends), and a dense head reads the last. Each is rendered twice, fused and
/// <c>[Network(Fuse = false)]</c>. A smooth graph avoids kinks (relu, leaky, elu, prelu, clip),
/// so that finite differences apply; every divisor is a sigmoid's or softrelu's value plus one.
/// </summary>
internal sealed class RandomElementwiseGraph
{
    public const int Width = 6;
    public const int Classes = 3;

    private readonly List<string> _members = new();

    private RandomElementwiseGraph(string name, bool smooth, bool convolutional)
    {
        Name = name;
        Smooth = smooth;
        SampleShape = convolutional ? [2, 3, 3] : [Width];
    }

    public string Name { get; }

    /// <summary>The data inputs' and the element-wise nodes' shape: <c>(6)</c>, or <c>(2, 3, 3)</c> after convolutions.</summary>
    public int[] SampleShape { get; }

    /// <summary>No kinks: finite differences hold.</summary>
    public bool Smooth { get; }

    public static RandomElementwiseGraph Create(Random random, int index)
    {
        var graph = new RandomElementwiseGraph("G" + index.ToString(CultureInfo.InvariantCulture), smooth: index % 2 == 0, convolutional: index % 3 == 1);
        graph.Build(random);
        return graph;
    }

    /// <summary>The fused and the unfused classes.</summary>
    public string Render()
    {
        var text = new StringBuilder();
        foreach (bool fuse in new[] { true, false })
        {
            text.Append(fuse ? "[Network]\n" : "[Network(Fuse = false)]\n");
            text.Append("public partial class ").Append(Name).Append(fuse ? string.Empty : "Unfused").Append("\n{\n");
            foreach (string member in _members)
            {
                text.Append("    ").Append(member).Append('\n');
            }

            text.Append("}\n\n");
        }

        return text.ToString();
    }

    private void Build(Random random)
    {
        var values = new List<string> { "fa", "fb", "extra", "shift" };
        var positive = new List<string>();
        string shape = string.Join(", ", SampleShape);
        _members.Add($"[Input({shape})] Tensor data;");
        _members.Add($"[Input({shape})] Tensor extra;");
        if (SampleShape.Length == 1)
        {
            _members.Add($"[FullyConnected({Width})] Tensor fa;");
            _members.Add($"[FullyConnected({Width}, From = \"data\")] Tensor fb;");
        }
        else
        {
            // PReLU's slopes are one per channel here: the regions read them across each plane.
            _members.Add($"[Convolution({SampleShape[0]}, Kernel = 3, Pad = 1)] Tensor fa;");
            _members.Add($"[Convolution({SampleShape[0]}, Kernel = 3, Pad = 1, From = \"data\")] Tensor fb;");
        }

        _members.Add($"[Variable({shape})] Tensor shift;");
        int count = random.Next(3, 10);
        for (int k = 0; k < count; k++)
        {
            string name = "e" + k.ToString(CultureInfo.InvariantCulture);
            string Pick() => values[random.Next(values.Count)];

            // Later nodes favour recent values, so chains form as well as fans.
            string Recent() => values[Math.Max(0, values.Count - 1 - random.Next(Math.Min(3, values.Count)))];
            string scalar = F((random.NextDouble() * 3) - 1.5);
            var (attribute, isPositive) = random.Next(Smooth ? 14 : 20) switch
            {
                0 => ($"Add(\"{Recent()}\", \"{Pick()}\")", false),
                1 => ($"Sub(\"{Recent()}\", \"{Pick()}\")", false),
                2 => ($"Mul(\"{Recent()}\", \"{Pick()}\")", false),
                3 when positive.Count > 0 => ($"Div(\"{Recent()}\", \"{positive[random.Next(positive.Count)]}\")", false),
                4 => ($"Add(\"{Recent()}\", Scalar = {scalar})", false),
                5 => ($"Mul(\"{Recent()}\", Scalar = {scalar})", false),
                6 => ($"Div(\"{Recent()}\", Scalar = {F(random.Next(2) == 0 ? 2 : -4)})", false),
                7 => ($"Sub(\"{Recent()}\", Scalar = {scalar})", false),
                8 => ($"Activation(Act.Sigmoid, From = \"{Recent()}\")", true),
                9 => ($"Activation(Act.Tanh, From = \"{Recent()}\")", false),
                10 => ($"Activation(Act.SoftRelu, From = \"{Recent()}\")", true),
                11 => ($"Activation(Act.SoftSign, From = \"{Recent()}\")", false),
                12 => ($"LeakyReLU(LeakyAct.Gelu, From = \"{Recent()}\")", false),
                13 => ($"ElementwiseSum(\"{Recent()}\", \"{Pick()}\"{(random.Next(2) == 0 ? $", \"{Pick()}\"" : string.Empty)})", false),
                14 => ($"Activation(Act.Relu, From = \"{Recent()}\")", false),
                15 => ($"LeakyReLU(LeakyAct.Leaky, From = \"{Recent()}\", Slope = {F(random.NextDouble())})", false),
                16 => ($"LeakyReLU(LeakyAct.Elu, From = \"{Recent()}\", Slope = {F(random.NextDouble())})", false),
                17 => ($"Clip(-0.75, 0.75, From = \"{Recent()}\")", false),
                18 => ($"LeakyReLU(LeakyAct.PRelu, From = \"{Recent()}\")", false),
                _ => ($"Activation(Act.Sigmoid, From = \"{Recent()}\")", true),
            };

            // An output in the middle now and then: the region must store it.
            string output = random.Next(6) == 0 ? ", Output" : string.Empty;
            _members.Add($"[{attribute}{output}] Tensor {name};");
            values.Add(name);
            if (isPositive)
            {
                // A divisor in [1, 2): a sigmoid's or softrelu's value plus one, kept away from zero.
                string divisor = name + "p";
                _members.Add($"[Add(\"{name}\", Scalar = 1)] Tensor {divisor};");
                values.Add(divisor);
                positive.Add(divisor);
            }
        }

        _members.Add($"[FullyConnected({Classes}, From = \"{values[^1]}\")] Tensor head;");
        _members.Add("[SoftmaxOutput] Tensor softmax;");
    }

    private static string F(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Nxt;

/// <summary>
/// Writes a tensor's values as MXNet prints an NDArray (through NumPy's printer): nested
/// brackets, one row per line, numbers aligned on their decimal points with trailing zeros
/// dropped (<c>1.</c>, <c>0.125</c>), scientific notation when magnitudes call for it, and above
/// 1000 elements only the first and last three entries of each axis around <c>...</c>; then
/// <c>&lt;Tensor 2x3 @cpu(0)&gt;</c>.
/// </summary>
internal static class TensorText
{
    private const int SummaryThreshold = 1000;
    private const int EdgeItems = 3;
    private const int LineWidth = 75;

    public static string Format(ReadOnlySpan<float> values, ReadOnlySpan<int> shape)
    {
        int[] dims = shape.ToArray();
        bool summarise = values.Length > SummaryThreshold;
        var shown = new List<float>();
        Collect(values, dims, 0, 0, summarise, shown);
        var style = NumberStyle.For(shown);

        var text = new StringBuilder();
        if (dims.Length == 0)
        {
            text.Append(style.Write(values[0]));
        }
        else
        {
            WriteAxis(text, values, dims, 0, 0, summarise, style);
        }

        text.Append('\n').Append("<Tensor ").Append(string.Join('x', dims)).Append(" @cpu(0)>");
        return text.ToString();
    }

    // The elements whose text is printed, which alone decide the widths (as NumPy does).
    private static void Collect(ReadOnlySpan<float> values, int[] dims, int axis, int offset, bool summarise, List<float> shown)
    {
        if (axis == dims.Length)
        {
            shown.Add(values[offset]);
            return;
        }

        int stride = Stride(dims, axis);
        foreach (int i in Indices(dims[axis], summarise))
        {
            if (i >= 0)
            {
                Collect(values, dims, axis + 1, offset + (i * stride), summarise, shown);
            }
        }
    }

    private static void WriteAxis(StringBuilder text, ReadOnlySpan<float> values, int[] dims, int axis, int offset, bool summarise, NumberStyle style)
    {
        text.Append('[');
        int stride = Stride(dims, axis);
        bool innermost = axis == dims.Length - 1;
        int lineStart = text.Length - (axis + 1); // the row's indentation counts towards its width
        bool first = true;
        foreach (int i in Indices(dims[axis], summarise))
        {
            if (innermost)
            {
                string word = i < 0 ? "..." : style.Write(values[offset + i]);
                if (!first && text.Length - lineStart + 1 + word.Length + dims.Length > LineWidth)
                {
                    text.Append('\n').Append(' ', axis + 1);
                    lineStart = text.Length - (axis + 1);
                }
                else if (!first)
                {
                    text.Append(' ');
                }

                text.Append(word);
            }
            else
            {
                if (!first)
                {
                    // Rows end a line; blocks of rank 3 and more leave a blank line between them, as NumPy does.
                    text.Append('\n', dims.Length - axis - 1).Append(' ', axis + 1);
                }

                if (i < 0)
                {
                    text.Append("...");
                }
                else
                {
                    WriteAxis(text, values, dims, axis + 1, offset + (i * stride), summarise, style);
                }
            }

            first = false;
        }

        text.Append(']');
    }

    // The indices printed along an axis; -1 stands for the "..." of a summarised one.
    private static IEnumerable<int> Indices(int length, bool summarise)
    {
        if (!summarise || length <= 2 * EdgeItems)
        {
            for (int i = 0; i < length; i++)
            {
                yield return i;
            }

            yield break;
        }

        for (int i = 0; i < EdgeItems; i++)
        {
            yield return i;
        }

        yield return -1;
        for (int i = length - EdgeItems; i < length; i++)
        {
            yield return i;
        }
    }

    private static int Stride(int[] dims, int axis)
    {
        int stride = 1;
        for (int d = axis + 1; d < dims.Length; d++)
        {
            stride *= dims[d];
        }

        return stride;
    }

    /// <summary>
    /// How the numbers are written (NumPy's <c>maxprec</c> mode): each to at most 8 decimals with
    /// trailing zeros dropped, padded to share the widest integer and fraction parts; scientific
    /// when the largest magnitude is 1e8 or more, or the smallest non-zero one is under 1e-4 or a
    /// thousandth of the largest (NumPy's rule).
    /// </summary>
    private sealed class NumberStyle
    {
        private readonly bool _scientific;
        private readonly int _integerWidth;
        private readonly int _fractionWidth;

        private NumberStyle(bool scientific, int integerWidth, int fractionWidth)
        {
            _scientific = scientific;
            _integerWidth = integerWidth;
            _fractionWidth = fractionWidth;
        }

        public static NumberStyle For(List<float> shown)
        {
            double largest = 0, smallest = double.PositiveInfinity;
            foreach (float v in shown)
            {
                if (float.IsFinite(v) && v != 0)
                {
                    largest = Math.Max(largest, Math.Abs(v));
                    smallest = Math.Min(smallest, Math.Abs(v));
                }
            }

            bool scientific = largest >= 1e8 || (largest > 0 && (smallest < 1e-4 || largest / smallest > 1e3));
            int integerWidth = 0, fractionWidth = 0, specialWidth = 0;
            foreach (float v in shown)
            {
                var (integer, fraction, _) = Parts(v, scientific);
                if (float.IsFinite(v))
                {
                    integerWidth = Math.Max(integerWidth, integer.Length);
                    fractionWidth = Math.Max(fractionWidth, fraction.Length);
                }
                else
                {
                    specialWidth = Math.Max(specialWidth, integer.Length);
                }
            }

            // nan and inf fill the whole field of a number, point and fraction included.
            integerWidth = Math.Max(integerWidth, specialWidth - fractionWidth - 1);
            return new NumberStyle(scientific, integerWidth, fractionWidth);
        }

        public string Write(float value)
        {
            var (integer, fraction, exponent) = Parts(value, _scientific);
            if (!float.IsFinite(value))
            {
                // NumPy right-aligns nan and inf in the whole field.
                return integer.PadLeft(_integerWidth + 1 + _fractionWidth + exponent.Length);
            }

            // Fractions are padded with spaces, mantissas (an exponent follows) with zeros, as NumPy does.
            return integer.PadLeft(_integerWidth) + "." + fraction.PadRight(_fractionWidth, _scientific ? '0' : ' ') + exponent;
        }

        // "-2", "25", "" or "-1", "5", "e-05"; nan and inf whole in the first part.
        private static (string Integer, string Fraction, string Exponent) Parts(float value, bool scientific)
        {
            if (float.IsNaN(value))
            {
                return ("nan", string.Empty, string.Empty);
            }

            if (float.IsInfinity(value))
            {
                return (value > 0 ? "inf" : "-inf", string.Empty, string.Empty);
            }

            string text;
            string exponent = string.Empty;
            if (scientific)
            {
                text = value.ToString("0.########e+00", CultureInfo.InvariantCulture);
                int e = text.IndexOf('e', StringComparison.Ordinal);
                exponent = text[e..];
                text = text[..e];
            }
            else
            {
                text = ((double)value).ToString("0.########", CultureInfo.InvariantCulture);
            }

            int dot = text.IndexOf('.', StringComparison.Ordinal);
            return dot < 0 ? (text, string.Empty, exponent) : (text[..dot], text[(dot + 1)..], exponent);
        }
    }
}

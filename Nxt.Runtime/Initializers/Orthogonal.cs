using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace Nxt;

/// <summary>
/// MXNet <c>Orthogonal</c> (Saxe et al.): the weight, seen as a <c>(rows, rest)</c> matrix, gets
/// orthonormal rows (or columns, whichever are fewer) from a random matrix, times <c>scale</c>.
/// </summary>
public sealed class Orthogonal(float scale = 1.414f) : Initializer
{
    /// <inheritdoc/>
    protected override void InitWeight(Span<float> values, ReadOnlySpan<int> shape, RandomSource random)
    {
        int rows = shape.Length > 0 ? shape[0] : 1;
        int columns = values.Length / Math.Max(rows, 1);
        bool byRows = rows <= columns;
        int count = byRows ? rows : columns, length = byRows ? columns : rows;
        var vectors = new double[count][];
        for (int v = 0; v < count; v++)
        {
            // Modified Gram-Schmidt on Gaussian vectors: orthonormal with probability 1.
            var vector = new double[length];
            for (int i = 0; i < length; i++)
            {
                vector[i] = random.NextGaussian();
            }

            for (int u = 0; u < v; u++)
            {
                double dot = 0;
                for (int i = 0; i < length; i++)
                {
                    dot += vector[i] * vectors[u][i];
                }

                for (int i = 0; i < length; i++)
                {
                    vector[i] -= dot * vectors[u][i];
                }
            }

            double norm = 0;
            foreach (double x in vector)
            {
                norm += x * x;
            }

            norm = Math.Sqrt(norm);
            for (int i = 0; i < length; i++)
            {
                vector[i] /= norm;
            }

            vectors[v] = vector;
        }

        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                values[(r * columns) + c] = (float)(scale * (byRows ? vectors[r][c] : vectors[c][r]));
            }
        }
    }
}

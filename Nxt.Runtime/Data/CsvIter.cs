using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace Nxt;

/// <summary>
/// MXNet <c>CSVIter</c>: batches from a CSV file of samples (one per line, the values of one
/// sample in row-major order, no header) and an optional CSV file of labels (one line each, of
/// <c>labelShape</c> values: one by default, several for a regression head).
/// The files are read once into memory; batching, shuffling and the last batch behave as
/// <see cref="NDArrayIter"/>.
/// </summary>
public sealed class CsvIter : InMemoryIter
{
    /// <summary>Reads <paramref name="dataPath"/> (and <paramref name="labelPath"/>, each line <paramref name="labelShape"/> values, default one) and batches them.</summary>
    public CsvIter(string dataPath, int[] sampleShape, string? labelPath, int batchSize, bool shuffle = false, LastBatchHandle lastBatchHandle = LastBatchHandle.Pad, ulong seed = 0, int[]? labelShape = null, int numParts = 1, int partIndex = 0)
        : base(Create(dataPath, sampleShape, labelPath, labelShape, batchSize, shuffle, lastBatchHandle, seed, numParts, partIndex))
    {
    }

    private static NDArrayIter Create(string dataPath, int[] sampleShape, string? labelPath, int[]? labelShape, int batchSize, bool shuffle, LastBatchHandle lastBatchHandle, ulong seed, int numParts, int partIndex)
    {
        var data = Read(dataPath, PerSample(sampleShape, nameof(sampleShape)), out int rows);
        Tensor? label = null;
        if (labelPath is not null)
        {
            // A label of one value per line batches as (batch), as MXNet's default label_shape (1,) does.
            labelShape = labelShape is null || labelShape is [1] ? [] : labelShape;
            var labels = Read(labelPath, PerSample(labelShape, nameof(labelShape)), out int labelRows);
            if (labelRows != rows)
            {
                throw new InvalidDataException($"CsvIter: '{dataPath}' has {rows} samples but '{labelPath}' has {labelRows} labels.");
            }

            label = new Tensor(labels, WithRows(rows, labelShape));
        }

        return new NDArrayIter(new Tensor(data, WithRows(rows, sampleShape)), label, batchSize, shuffle, lastBatchHandle, seed, numParts, partIndex);
    }

    private static int PerSample(int[] shape, string argument)
    {
        ArgumentNullException.ThrowIfNull(shape, argument);
        int perSample = 1;
        foreach (int d in shape)
        {
            perSample *= d > 0 ? d : throw new ArgumentException($"CsvIter: shape {Tensor.FormatShape(shape)} has a dimension below 1.", argument);
        }

        return perSample;
    }

    private static int[] WithRows(int rows, int[] sampleShape)
    {
        var shape = new int[sampleShape.Length + 1];
        shape[0] = rows;
        sampleShape.CopyTo(shape, 1);
        return shape;
    }

    private static float[] Read(string path, int columns, out int rows)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"CsvIter: '{path}' does not exist.", path);
        }

        var values = new List<float>();
        rows = 0;
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (line.Trim().Length == 0)
            {
                continue;
            }

            string[] cells = line.Split(',');
            if (cells.Length != columns)
            {
                throw new InvalidDataException($"CsvIter: line {lineNumber} of '{path}' has {cells.Length} values, but each line must hold {columns}.");
            }

            foreach (string cell in cells)
            {
                if (!float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out float value))
                {
                    throw new InvalidDataException($"CsvIter: line {lineNumber} of '{path}' has '{cell.Trim()}', which is not a number.");
                }

                values.Add(value);
            }

            rows++;
        }

        if (rows == 0)
        {
            throw new InvalidDataException($"CsvIter: '{path}' holds no samples.");
        }

        return values.ToArray();
    }
}

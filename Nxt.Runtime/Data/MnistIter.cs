namespace Nxt;

/// <summary>
/// MXNet <c>MNISTIter</c>: batches straight from a pair of IDX files (images and labels, plain
/// or gzip), pixels scaled to [0, 1], as <c>(batch, 1, rows, cols)</c> or, with
/// <paramref name="flat"/>, <c>(batch, rows·cols)</c>. Batching, shuffling and the last batch
/// behave as <see cref="NDArrayIter"/>.
/// </summary>
public sealed class MnistIter(string imagePath, string labelPath, int batchSize, bool flat = false, bool shuffle = false, LastBatchHandle lastBatchHandle = LastBatchHandle.Pad, ulong seed = 0, int numParts = 1, int partIndex = 0)
    : InMemoryIter(Create(imagePath, labelPath, batchSize, flat, shuffle, lastBatchHandle, seed, numParts, partIndex))
{
    private static NDArrayIter Create(string imagePath, string labelPath, int batchSize, bool flat, bool shuffle, LastBatchHandle lastBatchHandle, ulong seed, int numParts, int partIndex)
    {
        var images = IdxReader.ReadImages(imagePath);
        var labels = IdxReader.ReadLabels(labelPath);
        if (labels.Length != images.Shape[0])
        {
            throw new System.IO.InvalidDataException($"MnistIter: '{imagePath}' has {images.Shape[0]} images but '{labelPath}' has {labels.Length} labels.");
        }

        var shaped = flat ? images.Reshape(images.Shape[0], -1) : images.Reshape(images.Shape[0], 1, images.Shape[1], images.Shape[2]);
        return new NDArrayIter(shaped, labels, batchSize, shuffle, lastBatchHandle, seed, numParts, partIndex);
    }
}

using System;
using System.IO;

namespace Nxt;

/// <summary>Thrown when a data set's files are not where they were looked for; the message says how to get them.</summary>
public sealed class DatasetNotFoundException : Exception
{
    /// <summary>Creates the exception with its instructions.</summary>
    public DatasetNotFoundException(string message)
        : base(message)
    {
    }
}

/// <summary>
/// Fashion-MNIST (70,000 28x28 grey images of clothing, 10 classes), read from its four IDX
/// files. Looks in <c>NXT_FASHION_MNIST</c> if set, else where Debian's
/// <c>dataset-fashion-mnist</c> package installs it.
/// </summary>
public sealed class FashionMnist
{
    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package puts the files.</summary>
    public const string DebianDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>The class names, by label.</summary>
    public static readonly string[] ClassNames =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    private FashionMnist(Tensor trainImages, Tensor trainLabels, Tensor testImages, Tensor testLabels)
    {
        TrainImages = trainImages;
        TrainLabels = trainLabels;
        TestImages = testImages;
        TestLabels = testLabels;
    }

    /// <summary>60,000 training images <c>(60000, 28, 28)</c> in [0, 1].</summary>
    public Tensor TrainImages { get; }

    /// <summary>60,000 training labels.</summary>
    public Tensor TrainLabels { get; }

    /// <summary>10,000 test images <c>(10000, 28, 28)</c> in [0, 1].</summary>
    public Tensor TestImages { get; }

    /// <summary>10,000 test labels.</summary>
    public Tensor TestLabels { get; }

    /// <summary>The folder the data set is looked for in when none is given.</summary>
    public static string DefaultDirectory
        => Environment.GetEnvironmentVariable("NXT_FASHION_MNIST") is { Length: > 0 } configured ? configured : DebianDirectory;

    /// <summary>True when all four files are in <paramref name="directory"/> (default: <see cref="DefaultDirectory"/>).</summary>
    public static bool IsAvailable(string? directory = null) => MissingFile(directory ?? DefaultDirectory) is null;

    /// <summary>Loads the data set, or throws <see cref="DatasetNotFoundException"/> saying how to install it.</summary>
    public static FashionMnist Load(string? directory = null)
    {
        directory ??= DefaultDirectory;
        string? missing = MissingFile(directory);
        if (missing is not null)
        {
            throw new DatasetNotFoundException(
                $"Fashion-MNIST was not found: '{missing}' does not exist.{Environment.NewLine}" +
                $"Install it with:  sudo apt-get install dataset-fashion-mnist   (Debian/Ubuntu; files go to {DebianDirectory}){Environment.NewLine}" +
                "or set NXT_FASHION_MNIST to a folder holding train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, " +
                "t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz.");
        }

        return new FashionMnist(
            IdxReader.ReadImages(Path.Combine(directory, FileNames[0])),
            IdxReader.ReadLabels(Path.Combine(directory, FileNames[1])),
            IdxReader.ReadImages(Path.Combine(directory, FileNames[2])),
            IdxReader.ReadLabels(Path.Combine(directory, FileNames[3])));
    }

    private static readonly string[] FileNames =
        ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"];

    private static string? MissingFile(string directory)
    {
        foreach (string name in FileNames)
        {
            string path = Path.Combine(directory, name);
            if (!File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }
}

using System;
using System.Collections.Generic;
using System.IO;

namespace Nxt.Checkpoints;

/// <summary>The formats a checkpoint's parameters can be written in.</summary>
public enum CheckpointFormat
{
    /// <summary>safetensors: readable from Python with the <c>safetensors</c> package (default).</summary>
    SafeTensors,
    /// <summary>MXNet's NDArray list, readable by <c>mx.nd.load</c>.</summary>
    MXNet,
}

/// <summary>Reads a parameters file in either format, told apart by its first bytes.</summary>
public static class CheckpointFile
{
    /// <summary>The named tensors of <paramref name="path"/> and its string metadata (none for MXNet files).</summary>
    /// <param name="path">The file.</param>
    /// <param name="what">What the file holds, for messages: "parameters", "optimizer states".</param>
    public static (List<KeyValuePair<string, Tensor>> Tensors, Dictionary<string, string> Metadata) Load(string path, string what = "parameters")
    {
        using var stream = RegularFile.OpenRead(path, what);

        // The format from the first bytes, before anything else is read.
        Span<byte> start = stackalloc byte[16];
        int read = stream.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
        start = start[..read];
        stream.Position = 0;
        if (ParamsFile.Looks(start))
        {
            return (ParamsFile.Load(path, stream), new Dictionary<string, string>());
        }

        if (SafeTensorsFile.Looks(start))
        {
            return SafeTensorsFile.Load(path, stream);
        }

        throw new InvalidDataException($"Checkpoint {what} '{path}' is neither a safetensors file (an 8-byte header length, then '{{') nor an MXNet .params file (its magic number); it starts with {Convert.ToHexString(start)} and has {stream.Length} bytes.");
    }

    /// <summary>Writes named tensors in <paramref name="format"/>, atomically.</summary>
    public static void Save(string path, IReadOnlyList<KeyValuePair<string, Tensor>> tensors, CheckpointFormat format, IReadOnlyDictionary<string, string>? metadata = null)
    {
        if (format == CheckpointFormat.MXNet)
        {
            ParamsFile.Save(path, tensors);
        }
        else
        {
            SafeTensorsFile.Save(path, tensors, metadata);
        }
    }
}

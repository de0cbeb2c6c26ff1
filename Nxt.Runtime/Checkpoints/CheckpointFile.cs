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
    public static (List<KeyValuePair<string, Tensor>> Tensors, Dictionary<string, string> Metadata) Load(string path)
    {
        byte[] bytes = ParamsFile.ReadAll(path);
        if (ParamsFile.Looks(bytes))
        {
            return (ParamsFile.Load(path, bytes), new Dictionary<string, string>());
        }

        if (SafeTensorsFile.Looks(bytes))
        {
            return SafeTensorsFile.Load(path, bytes);
        }

        throw new InvalidDataException($"Checkpoint '{path}' is neither a safetensors file nor an MXNet .params file ({bytes.Length} bytes).");
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

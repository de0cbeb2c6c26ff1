using System;
using System.IO;
using System.Linq;
using System.Text;

namespace FortunesCharLstm;

/// <summary>The English text of Debian's <c>fortunes</c> package, the files of <c>/usr/share/games/fortunes/</c> one after the other.</summary>
public static class Fortunes
{
    public const string DefaultDirectory = "/usr/share/games/fortunes";

    /// <summary>
    /// The plain-text collections (not the <c>.dat</c> indexes, their <c>.u8</c> copies, nor the
    /// <c>off/</c> folder) in name order, read as Latin-1 as the package ships them.
    /// </summary>
    public static string Load(string directory = DefaultDirectory)
    {
        var files = Directory.Exists(directory)
            ? Directory.GetFiles(directory).Where(f => Path.GetExtension(f) is not (".dat" or ".u8")).OrderBy(f => f, StringComparer.Ordinal).ToArray()
            : [];
        if (files.Length == 0)
        {
            throw new FileNotFoundException($"No fortune files in {directory}: install them with 'apt-get install fortunes'.");
        }

        var text = new StringBuilder();
        foreach (string file in files)
        {
            text.Append(File.ReadAllText(file, Encoding.Latin1));
        }

        return text.ToString();
    }
}

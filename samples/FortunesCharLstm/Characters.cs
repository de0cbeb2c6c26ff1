using System;

namespace FortunesCharLstm;

/// <summary>
/// The model's alphabet: the newline, the printable ASCII characters, and one id for anything
/// else (tabs become spaces first).
/// </summary>
public static class Characters
{
    /// <summary>Ids: newline, the 95 printable ASCII characters, other.</summary>
    public const int Count = CharLstm.Alphabet;

    private const int Other = Count - 1;

    public static int Id(char c) => c switch
    {
        '\n' => 0,
        '\t' => 1,
        >= ' ' and <= '~' => c - ' ' + 1,
        _ => Other,
    };

    public static char Char(int id) => id switch
    {
        0 => '\n',
        Other => '?',
        _ => (char)(id - 1 + ' '),
    };

    /// <summary>The ids of <paramref name="text"/>, as the floats the network reads.</summary>
    public static float[] Ids(ReadOnlySpan<char> text)
    {
        var ids = new float[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            ids[i] = Id(text[i]);
        }

        return ids;
    }
}

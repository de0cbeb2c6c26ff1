using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;

namespace Nxt.Generators.Operators;

/// <summary>An operator's attributes as MXNet's symbol JSON spells them: <c>"kernel": "(3, 3)"</c>, <c>"no_bias": "True"</c>.</summary>
internal sealed class MxnetAttributeList
{
    private readonly List<KeyValuePair<string, string>> _items = new();

    public IReadOnlyList<KeyValuePair<string, string>> Items => _items;

    public void Add(string key, string value) => _items.Add(new(key, value));

    public void Add(string key, int value) => Add(key, MxnetText.Number(value));

    public void AddIf(string key, string value, bool condition)
    {
        if (condition)
        {
            Add(key, value);
        }
    }
}

/// <summary>Values as MXNet's symbol JSON writes them: invariant numbers, <c>(3, 3)</c> tuples, lower-case enum names.</summary>
internal static class MxnetText
{
    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Real(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string Tuple(EquatableArray<int> values) => "(" + string.Join(", ", values.Select(Number)) + ")";

    public static string Enum<TEnum>(TEnum value)
        where TEnum : struct => value.ToString()!.ToLowerInvariant();
}

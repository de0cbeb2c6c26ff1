using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Nxt.Generators.Parsing.Symbol;

/// <summary>A JSON value with the line it starts on (1-based), for errors that point into the file.</summary>
internal abstract class JsonValue
{
    protected JsonValue(int line) => Line = line;

    public int Line { get; }
}

internal sealed class JsonObject : JsonValue
{
    public JsonObject(int line, List<KeyValuePair<string, JsonValue>> members)
        : base(line) => Members = members;

    public List<KeyValuePair<string, JsonValue>> Members { get; }

    /// <summary>The member named <paramref name="key"/>, or null.</summary>
    public JsonValue? this[string key]
    {
        get
        {
            foreach (var member in Members)
            {
                if (member.Key == key)
                {
                    return member.Value;
                }
            }

            return null;
        }
    }
}

internal sealed class JsonArray : JsonValue
{
    public JsonArray(int line, List<JsonValue> items)
        : base(line) => Items = items;

    public List<JsonValue> Items { get; }
}

/// <summary>A string, number, true, false or null, kept as its text (numbers unparsed until asked).</summary>
internal sealed class JsonScalar : JsonValue
{
    public JsonScalar(int line, string text, bool isString)
        : base(line)
    {
        Text = text;
        IsString = isString;
    }

    public string Text { get; }

    public bool IsString { get; }

    public bool TryInt(out int value)
    {
        value = 0;
        return !IsString && int.TryParse(Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
    }
}

/// <summary>A malformed file: what was expected and the line where it was not found.</summary>
internal sealed class JsonException : System.Exception
{
    public JsonException(int line, string message)
        : base(message) => Line = line;

    public int Line { get; }
}

/// <summary>
/// A small, strict JSON reader (RFC 8259) for the symbol files the generator imports: the
/// generator targets netstandard2.0 and loads into the compiler, so it takes no JSON package.
/// </summary>
internal sealed class JsonReader
{
    private const int MaxDepth = 64;
    private readonly string _text;
    private int _position;
    private int _line = 1;

    private JsonReader(string text) => _text = text;

    /// <summary>The document's single value; a <see cref="JsonException"/> names the line of the first mistake.</summary>
    public static JsonValue Parse(string text)
    {
        var reader = new JsonReader(text);
        var value = reader.Value(0);
        reader.SkipSpace();
        if (reader._position < text.Length)
        {
            throw new JsonException(reader._line, $"text after the end of the JSON document ('{reader._text[reader._position]}')");
        }

        return value;
    }

    private JsonValue Value(int depth)
    {
        if (depth > MaxDepth)
        {
            throw new JsonException(_line, $"nested deeper than {MaxDepth} levels");
        }

        SkipSpace();
        if (_position >= _text.Length)
        {
            throw new JsonException(_line, "the file ends where a value was expected");
        }

        int line = _line;
        char c = _text[_position];
        switch (c)
        {
            case '{':
                return Object(line, depth);
            case '[':
                return Array(line, depth);
            case '"':
                return new JsonScalar(line, String(), isString: true);
            default:
                if (c == '-' || (c >= '0' && c <= '9'))
                {
                    return new JsonScalar(line, Number(), isString: false);
                }

                foreach (string word in new[] { "true", "false", "null" })
                {
                    if (string.CompareOrdinal(_text, _position, word, 0, word.Length) == 0)
                    {
                        _position += word.Length;
                        return new JsonScalar(line, word, isString: false);
                    }
                }

                throw new JsonException(line, $"unexpected character '{c}' where a value was expected");
        }
    }

    private JsonObject Object(int line, int depth)
    {
        _position++; // {
        var members = new List<KeyValuePair<string, JsonValue>>();
        SkipSpace();
        if (Peek() == '}')
        {
            _position++;
            return new JsonObject(line, members);
        }

        while (true)
        {
            SkipSpace();
            if (Peek() != '"')
            {
                throw new JsonException(_line, "expected a quoted member name");
            }

            string key = String();
            Expect(':');
            members.Add(new KeyValuePair<string, JsonValue>(key, Value(depth + 1)));
            SkipSpace();
            char next = Peek();
            _position++;
            if (next == '}')
            {
                return new JsonObject(line, members);
            }

            if (next != ',')
            {
                throw new JsonException(_line, "expected ',' or '}' after an object member");
            }
        }
    }

    private JsonArray Array(int line, int depth)
    {
        _position++; // [
        var items = new List<JsonValue>();
        SkipSpace();
        if (Peek() == ']')
        {
            _position++;
            return new JsonArray(line, items);
        }

        while (true)
        {
            items.Add(Value(depth + 1));
            SkipSpace();
            char next = Peek();
            _position++;
            if (next == ']')
            {
                return new JsonArray(line, items);
            }

            if (next != ',')
            {
                throw new JsonException(_line, "expected ',' or ']' after an array item");
            }
        }
    }

    private string String()
    {
        int line = _line;
        _position++; // "
        var text = new StringBuilder();
        while (true)
        {
            if (_position >= _text.Length)
            {
                throw new JsonException(line, "a string is not closed");
            }

            char c = _text[_position++];
            if (c == '"')
            {
                return text.ToString();
            }

            if (c == '\n')
            {
                throw new JsonException(line, "a string runs past the end of its line");
            }

            if (c != '\\')
            {
                text.Append(c);
                continue;
            }

            char escape = _position < _text.Length ? _text[_position++] : '\0';
            switch (escape)
            {
                case '"': text.Append('"'); break;
                case '\\': text.Append('\\'); break;
                case '/': text.Append('/'); break;
                case 'b': text.Append('\b'); break;
                case 'f': text.Append('\f'); break;
                case 'n': text.Append('\n'); break;
                case 'r': text.Append('\r'); break;
                case 't': text.Append('\t'); break;
                case 'u' when _position + 4 <= _text.Length && int.TryParse(_text.Substring(_position, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int code):
                    text.Append((char)code);
                    _position += 4;
                    break;
                default:
                    throw new JsonException(_line, $"invalid escape '\\{escape}' in a string");
            }
        }
    }

    private string Number()
    {
        int start = _position;
        while (_position < _text.Length && "+-0123456789.eE".IndexOf(_text[_position]) >= 0)
        {
            _position++;
        }

        string text = _text.Substring(start, _position - start);
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            throw new JsonException(_line, $"'{text}' is not a number");
        }

        return text;
    }

    private void Expect(char c)
    {
        SkipSpace();
        if (Peek() != c)
        {
            throw new JsonException(_line, $"expected '{c}'");
        }

        _position++;
    }

    private char Peek() => _position < _text.Length ? _text[_position] : '\0';

    private void SkipSpace()
    {
        while (_position < _text.Length)
        {
            char c = _text[_position];
            if (c == '\n')
            {
                _line++;
            }
            else if (c != ' ' && c != '\t' && c != '\r')
            {
                return;
            }

            _position++;
        }
    }
}

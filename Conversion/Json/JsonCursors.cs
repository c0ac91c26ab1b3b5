using System.Text;
using System.Text.Json;

namespace Vdm.Conversion.Json;

/// <summary>
/// Walks the properties of one JSON object held as a byte slice, handing out each value as a slice of the same
/// bytes: nothing is materialised, and a value can be copied out verbatim or walked in turn. The slice must be valid
/// JSON (the caller validated it once, at the top).
/// </summary>
internal ref struct JsonObjectCursor
{
    private readonly ReadOnlySpan<byte> _json;
    private Utf8JsonReader _reader;
    private string? _unescapedName;

    public JsonObjectCursor(ReadOnlySpan<byte> json)
    {
        _json = json;
        _reader = new Utf8JsonReader(json);
        _reader.Read();
        if (_reader.TokenType != JsonTokenType.StartObject)
        {
            throw new InvalidOperationException("not a JSON object");
        }
    }

    /// <summary>The current property's name, raw (still escaped, if it was).</summary>
    public ReadOnlySpan<byte> RawName { get; private set; }

    /// <summary>The current property's value, exactly as written.</summary>
    public ReadOnlySpan<byte> Value { get; private set; }

    public bool MoveNext()
    {
        if (!_reader.Read() || _reader.TokenType != JsonTokenType.PropertyName)
        {
            return false;
        }

        RawName = _reader.ValueSpan;
        _unescapedName = _reader.ValueIsEscaped ? _reader.GetString() : null;
        _reader.Read();
        Value = JsonValues.Capture(_json, ref _reader);
        return true;
    }

    /// <summary>Proves nothing but whitespace follows the object (a second value or garbage throws <see cref="JsonException"/>).</summary>
    public void EnsureEndOfInput()
    {
        while (_reader.TokenType != JsonTokenType.EndObject || _reader.CurrentDepth > 0)
        {
            if (!_reader.Read())
            {
                return;
            }
        }

        _reader.Read();
    }

    public readonly bool NameIs(ReadOnlySpan<byte> name) =>
        _unescapedName is null ? RawName.SequenceEqual(name) : Encoding.UTF8.GetBytes(_unescapedName).AsSpan().SequenceEqual(name);

    /// <summary>The name as text, for messages.</summary>
    public readonly string Name => _unescapedName ?? Encoding.UTF8.GetString(RawName);
}

/// <summary>Walks the elements of one JSON array held as a byte slice, handing out each element as a slice.</summary>
internal ref struct JsonArrayCursor
{
    private readonly ReadOnlySpan<byte> _json;
    private Utf8JsonReader _reader;

    public JsonArrayCursor(ReadOnlySpan<byte> json)
    {
        _json = json;
        _reader = new Utf8JsonReader(json);
        _reader.Read();
        if (_reader.TokenType != JsonTokenType.StartArray)
        {
            throw new InvalidOperationException("not a JSON array");
        }
    }

    public ReadOnlySpan<byte> Current { get; private set; }

    public int Index { get; private set; } = -1;

    public bool MoveNext()
    {
        if (!_reader.Read() || _reader.TokenType == JsonTokenType.EndArray)
        {
            return false;
        }

        Current = JsonValues.Capture(_json, ref _reader);
        Index++;
        return true;
    }
}

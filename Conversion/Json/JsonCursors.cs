using System.Text.Json;

namespace Vdm.Conversion.Json;

/// <summary>Walks the properties of one JSON object, with name tests on the raw UTF-8 (no string per property).</summary>
internal struct JsonObjectCursor(JsonElement json)
{
    private JsonElement.ObjectEnumerator _properties = json.EnumerateObject();

    public readonly JsonElement Value => _properties.Current.Value;

    /// <summary>The name as text, for messages.</summary>
    public readonly string Name => _properties.Current.Name;

    public readonly JsonProperty Property => _properties.Current;

    public bool MoveNext() => _properties.MoveNext();

    public readonly bool NameIs(ReadOnlySpan<byte> name) => _properties.Current.NameEquals(name);
}

/// <summary>Walks the elements of one JSON array, counting them for error paths.</summary>
internal struct JsonArrayCursor(JsonElement json)
{
    private JsonElement.ArrayEnumerator _elements = json.EnumerateArray();

    public readonly JsonElement Current => _elements.Current;

    public int Index { get; private set; } = -1;

    public bool MoveNext()
    {
        if (!_elements.MoveNext())
        {
            return false;
        }

        Index++;
        return true;
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vdm.Conversion.Contracts;

/// <summary>A wire object whose <c>type</c> field names its shape; fields this model does not know stay in <see cref="Extra"/>.</summary>
internal interface ITypeTagged
{
    /// <summary>The JSON <c>type</c> field.</summary>
    string? Type { get; }

    /// <summary>Fields the record does not model, kept so they survive a round trip.</summary>
    Dictionary<string, JsonElement>? Extra { get; }
}

/// <summary>
/// Reads a <c>type</c>-tagged union into its concrete record, and a value of a <c>type</c> this model does not know into
/// <typeparamref name="TBase"/> itself with the type and every other field kept, so it can be reported and written back.
/// </summary>
/// <remarks>
/// <c>[JsonPolymorphic(IgnoreUnrecognizedTypeDiscriminators = true)]</c> is not used because its fallback consumes the
/// discriminator: the base record would not know which type it was. This converter reads the tag from a copy of the
/// reader (the whole value is buffered before a custom converter runs) and then hands the value to the concrete record's
/// source-generated metadata, so no reflection is involved.
/// </remarks>
internal abstract class TypeTaggedConverter<TBase> : JsonConverter<TBase>
    where TBase : class, ITypeTagged
{
    /// <summary>The concrete record for a known <c>type</c> value, or null when this model does not know it. Never <typeparamref name="TBase"/>.</summary>
    protected abstract Type? KnownType(string type);

    /// <summary>Creates the base record for an unknown <c>type</c> (null when the object had no string <c>type</c>).</summary>
    protected abstract TBase Unrecognized(string? type, Dictionary<string, JsonElement> fields);

    public override TBase? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"Expected a JSON object for {typeof(TBase).Name}, got {reader.TokenType}.");
        }

        var type = PeekType(reader);
        var known = type is null ? null : KnownType(type);
        if (known is not null)
        {
            return (TBase?)JsonSerializer.Deserialize(ref reader, options.GetTypeInfo(known));
        }

        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in JsonElement.ParseValue(ref reader).EnumerateObject())
        {
            if (type is null || !property.NameEquals("type"u8))
            {
                fields[property.Name] = property.Value;
            }
        }
        return Unrecognized(type, fields);
    }

    public override void Write(Utf8JsonWriter writer, TBase value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        if (value.GetType() != typeof(TBase))
        {
            JsonSerializer.Serialize(writer, value, options.GetTypeInfo(value.GetType()));
            return;
        }

        writer.WriteStartObject();
        if (value.Type is not null)
        {
            writer.WriteString("type"u8, value.Type);
        }
        foreach (var (name, field) in value.Extra ?? [])
        {
            writer.WritePropertyName(name);
            field.WriteTo(writer);
        }
        writer.WriteEndObject();
    }

    // The reader is a struct: this walks a copy and leaves the caller's position alone.
    private static string? PeekType(Utf8JsonReader reader)
    {
        reader.Read();
        while (reader.TokenType == JsonTokenType.PropertyName)
        {
            var isType = reader.ValueTextEquals("type"u8);
            reader.Read();
            if (isType)
            {
                return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            reader.Skip();
            reader.Read();
        }
        return null;
    }
}

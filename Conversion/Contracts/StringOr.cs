using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Vdm.Conversion.Contracts;

/// <summary>A wire value that is either a JSON string or a <typeparamref name="T"/> (content as text or blocks, a tool choice as a mode or an object).</summary>
/// <remarks>Exactly one of <see cref="Text"/> and <see cref="Value"/> is set. Properties of this type carry
/// <c>[JsonConverter(typeof(StringOrConverter&lt;T&gt;))]</c>, and <typeparamref name="T"/> is registered in <see cref="WireJsonContext"/>.</remarks>
internal sealed record StringOr<T>
    where T : class
{
    /// <summary>The value when the wire held a string.</summary>
    public string? Text { get; init; }

    /// <summary>The value when the wire held anything else.</summary>
    public T? Value { get; init; }
}

/// <summary>Reads and writes a <see cref="StringOr{T}"/> through the options' source-generated metadata for <typeparamref name="T"/>.</summary>
internal sealed class StringOrConverter<T> : JsonConverter<StringOr<T>>
    where T : class
{
    public override StringOr<T>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return new StringOr<T> { Text = reader.GetString() };
        }
        return new StringOr<T> { Value = JsonSerializer.Deserialize(ref reader, TypeInfo(options)) };
    }

    public override void Write(Utf8JsonWriter writer, StringOr<T> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        if (value.Text is not null)
        {
            writer.WriteStringValue(value.Text);
        }
        else if (value.Value is not null)
        {
            JsonSerializer.Serialize(writer, value.Value, TypeInfo(options));
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    private static JsonTypeInfo<T> TypeInfo(JsonSerializerOptions options) => (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
}

using System.Text.Json;
using Vdm.Conversion.Json;

namespace Vdm.Conversion.Request;

/// <summary>
/// Rewrites a tool's JSON schema into the subset Gemini's OpenAI-compatible endpoint accepts (peers.md §3.2 item 41):
/// no <c>$schema</c>, <c>additionalProperties</c>, <c>default</c>, <c>examples</c>; <c>$ref</c> inlined from
/// <c>$defs</c>/<c>definitions</c>; string <c>format</c> only <c>enum</c> or <c>date-time</c>; <c>const</c> as a
/// one-value <c>enum</c>; <c>["string","null"]</c> as <c>string</c> plus <c>nullable</c>; <c>enum</c> only on
/// strings; every array with <c>items</c>. Other keywords pass through unchanged.
/// </summary>
internal static class GeminiSchema
{
    // A recursive $ref would inline forever; past this depth the schema is cut to a plain object.
    private const int MaxDepth = 32;

    // The depth limit alone does not stop a definition that refers to another twice, which refers to a third twice,
    // and so on: each level doubles what is inlined (2^32 copies at the limit). Past this many bytes more than the
    // schema's own size, references are no longer inlined but left as an unconstrained schema.
    private const int MaxInlinedBytes = 1 << 20;

    public static void Write(Utf8JsonWriter writer, JsonElement schema) =>
        WriteSchema(writer, schema, schema, 0, Written(writer) + JsonValues.Raw(schema).Length + MaxInlinedBytes);

    /// <param name="limit">The writer's byte count after which no <c>$ref</c> is inlined.</param>
    private static void WriteSchema(Utf8JsonWriter writer, JsonElement schema, JsonElement root, int depth, long limit)
    {
        if (!JsonValues.IsObject(schema) || depth > MaxDepth)
        {
            writer.WriteStartObject();
            writer.WriteString("type"u8, "object"u8);
            writer.WriteEndObject();
            return;
        }

        if (schema.TryGetProperty("$ref"u8, out var reference) && Written(writer) < limit && Resolve(root, reference) is { } target)
        {
            WriteSchema(writer, target, root, depth + 1, limit);
            return;
        }

        var (type, nullable) = ReadType(schema);

        // Function parameters are an object schema even where the client left that implicit (item 35).
        var isRoot = depth == 0;
        type ??= isRoot ? "object" : null;
        writer.WriteStartObject();
        if (type is not null)
        {
            writer.WriteString("type"u8, type);
        }

        if (nullable)
        {
            writer.WriteBoolean("nullable"u8, true);
        }

        var isString = type == "string";
        var isArray = type == "array";
        var hasItems = false;
        foreach (var property in schema.EnumerateObject())
        {
            if (property.NameEquals("type"u8) || property.NameEquals("$schema"u8) || property.NameEquals("$ref"u8)
                || property.NameEquals("$defs"u8) || property.NameEquals("definitions"u8) || property.NameEquals("$id"u8)
                || property.NameEquals("$comment"u8) || property.NameEquals("additionalProperties"u8)
                || property.NameEquals("default"u8) || property.NameEquals("examples"u8) || property.NameEquals("nullable"u8))
            {
                continue;
            }

            if (property.NameEquals("properties"u8) && JsonValues.IsObject(property.Value))
            {
                writer.WriteStartObject("properties"u8);
                foreach (var field in property.Value.EnumerateObject())
                {
                    JsonValues.WritePropertyName(writer, field);
                    WriteSchema(writer, field.Value, root, depth + 1, limit);
                }

                writer.WriteEndObject();
            }
            else if (property.NameEquals("items"u8))
            {
                hasItems = true;
                writer.WritePropertyName("items"u8);
                WriteSchema(writer, JsonValues.IsArray(property.Value) ? First(property.Value) : property.Value, root, depth + 1, limit);
            }
            else if ((property.NameEquals("anyOf"u8) || property.NameEquals("oneOf"u8) || property.NameEquals("allOf"u8))
                && JsonValues.IsArray(property.Value))
            {
                // Gemini knows anyOf only; oneOf's "exactly one" and allOf's intersection are the closest it can take.
                writer.WriteStartArray("anyOf"u8);
                foreach (var option in property.Value.EnumerateArray())
                {
                    WriteSchema(writer, option, root, depth + 1, limit);
                }

                writer.WriteEndArray();
            }
            else if (property.NameEquals("format"u8))
            {
                if (isString && (JsonValues.StringEquals(property.Value, "enum"u8) || JsonValues.StringEquals(property.Value, "date-time"u8)))
                {
                    writer.WritePropertyName("format"u8);
                    writer.WriteRawValue(JsonValues.Raw(property.Value), skipInputValidation: true);
                }
            }
            else if (property.NameEquals("const"u8))
            {
                if (JsonValues.IsString(property.Value))
                {
                    writer.WriteStartArray("enum"u8);
                    writer.WriteRawValue(JsonValues.Raw(property.Value), skipInputValidation: true);
                    writer.WriteEndArray();
                }
            }
            else if (property.NameEquals("enum"u8))
            {
                if (isString || type is null)
                {
                    WriteStringEnum(writer, property.Value);
                }
            }
            else
            {
                JsonValues.WritePropertyName(writer, property);
                writer.WriteRawValue(JsonValues.Raw(property.Value), skipInputValidation: true);
            }
        }

        if (isRoot && !schema.TryGetProperty("properties"u8, out _))
        {
            writer.WriteStartObject("properties"u8);
            writer.WriteEndObject();
        }

        if (isArray && !hasItems)
        {
            writer.WriteStartObject("items"u8);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static long Written(Utf8JsonWriter writer) => writer.BytesCommitted + writer.BytesPending;

    /// <summary>The one type to declare, and whether null is allowed too (<c>["string","null"]</c>).</summary>
    private static (string? Type, bool Nullable) ReadType(JsonElement schema)
    {
        if (!schema.TryGetProperty("type"u8, out var type))
        {
            if (schema.TryGetProperty("const"u8, out var constant) && JsonValues.IsString(constant))
            {
                return ("string", false);
            }

            return (null, schema.TryGetProperty("nullable"u8, out var n) && JsonValues.IsTrue(n));
        }

        if (JsonValues.IsString(type))
        {
            return (type.GetString(), schema.TryGetProperty("nullable"u8, out var n) && JsonValues.IsTrue(n));
        }

        string? single = null;
        var nullable = false;
        if (JsonValues.IsArray(type))
        {
            foreach (var entry in type.EnumerateArray())
            {
                if (JsonValues.StringEquals(entry, "null"u8))
                {
                    nullable = true;
                }
                else if (single is null && JsonValues.IsString(entry))
                {
                    single = entry.GetString();
                }
            }
        }

        return (single, nullable);
    }

    private static void WriteStringEnum(Utf8JsonWriter writer, JsonElement values)
    {
        if (!JsonValues.IsArray(values))
        {
            return;
        }

        writer.WriteStartArray("enum"u8);
        foreach (var value in values.EnumerateArray())
        {
            if (JsonValues.IsString(value))
            {
                writer.WriteRawValue(JsonValues.Raw(value), skipInputValidation: true);
            }
        }

        writer.WriteEndArray();
    }

    /// <summary>A local reference, <c>#/$defs/Name</c> or <c>#/definitions/Name</c>; null for anything else.</summary>
    private static JsonElement? Resolve(JsonElement root, JsonElement reference)
    {
        var path = JsonValues.IsString(reference) ? reference.GetString() : null;
        if (path is null || !path.StartsWith("#/", StringComparison.Ordinal))
        {
            return null;
        }

        var current = root;
        foreach (var segment in path[2..].Split('/'))
        {
            var name = segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (!JsonValues.IsObject(current) || !current.TryGetProperty(name, out current))
            {
                return null;
            }
        }

        return current;
    }

    private static JsonElement First(JsonElement array)
    {
        foreach (var element in array.EnumerateArray())
        {
            return element;
        }

        return default;
    }
}

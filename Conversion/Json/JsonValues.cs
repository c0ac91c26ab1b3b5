using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Vdm.Conversion.Json;

/// <summary>
/// Small helpers over <see cref="JsonElement"/>s of a document parsed once: kinds, and the raw bytes of a value so
/// it can be copied out verbatim (<see cref="JsonMarshal.GetRawUtf8Value"/>), never decoded and re-encoded. An
/// absent property is <c>default(JsonElement)</c>, whose kind is <see cref="JsonValueKind.Undefined"/>.
/// </summary>
internal static class JsonValues
{
    /// <summary>The value exactly as written in the source (a string keeps its quotes and escapes).</summary>
    public static ReadOnlySpan<byte> Raw(JsonElement value) => JsonMarshal.GetRawUtf8Value(value);

    public static bool IsString(JsonElement value) => value.ValueKind == JsonValueKind.String;

    public static bool IsObject(JsonElement value) => value.ValueKind == JsonValueKind.Object;

    public static bool IsArray(JsonElement value) => value.ValueKind == JsonValueKind.Array;

    public static bool IsNull(JsonElement value) => value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null;

    public static bool IsTrue(JsonElement value) => value.ValueKind == JsonValueKind.True;

    public static bool IsNumber(JsonElement value) => value.ValueKind == JsonValueKind.Number;

    /// <summary>True for a string with at least one character.</summary>
    public static bool HasText(JsonElement value) => IsString(value) && Raw(value).Length > 2;

    /// <summary>The escaped contents of a string value, without its quotes: still valid inside any JSON string.</summary>
    public static ReadOnlySpan<byte> Inner(JsonElement stringValue) => Raw(stringValue)[1..^1];

    /// <summary>True when the value is a string equal to <paramref name="text"/> (compared unescaped).</summary>
    public static bool StringEquals(JsonElement value, ReadOnlySpan<byte> text) => IsString(value) && value.ValueEquals(text);

    public static bool TryGetInt64(JsonElement value, out long number)
    {
        number = 0;
        return IsNumber(value) && value.TryGetInt64(out number);
    }

    /// <summary>Copies a JSON value without the whitespace between tokens (strings are copied byte for byte).</summary>
    public static void WriteCompact(ReadOnlySpan<byte> json, IBufferWriter<byte> output)
    {
        var inString = false;
        var start = 0;
        for (var i = 0; i < json.Length; i++)
        {
            var b = json[i];
            if (inString)
            {
                if (b == (byte)'\\')
                {
                    i++;
                }
                else if (b == (byte)'"')
                {
                    inString = false;
                }

                continue;
            }

            if (b == (byte)'"')
            {
                inString = true;
            }
            else if (b is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
            {
                output.Write(json[start..i]);
                start = i + 1;
            }
        }

        output.Write(json[start..]);
    }

    /// <summary>Writes a property of a copied object under its own name (raw when it has no escapes, which is the rule).</summary>
    public static void WritePropertyName(Utf8JsonWriter writer, JsonProperty property)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        if (raw.IndexOf((byte)'\\') < 0)
        {
            writer.WritePropertyName(raw);
        }
        else
        {
            writer.WritePropertyName(property.Name);
        }
    }
}

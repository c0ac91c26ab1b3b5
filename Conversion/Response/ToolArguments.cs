using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Vdm.Conversion.Response;

/// <summary>
/// Turns an OpenAI tool call's <c>arguments</c> into the JSON object Anthropic's <c>tool_use.input</c> must be
/// (peers.md §3.3 items 46–48). Repair is deliberately narrow: it only accepts fixes with one possible reading, so a
/// tool never runs with parameters the model did not write. What it repairs:
/// <list type="bullet">
/// <item>trailing commas and <c>//</c> or <c>/* */</c> comments (the reader's own lenient options);</item>
/// <item>an object cut short after a complete value, by appending the missing <c>}</c>/<c>]</c> in nesting order;</item>
/// <item>an object encoded twice, i.e. a JSON string whose content is the object.</item>
/// </list>
/// Single quotes, unquoted keys and markdown fences are not repaired: a quote inside a value makes them ambiguous.
/// </summary>
internal static class ToolArguments
{
    public static readonly byte[] EmptyObject = "{}"u8.ToArray();

    private static readonly JsonReaderOptions Lenient = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>
    /// Copies the object at the reader (arguments some servers send unquoted, already validated by the reader) and
    /// leaves the reader on its closing brace.
    /// </summary>
    public static byte[] CopyObject(ref Utf8JsonReader reader)
    {
        var depth = reader.CurrentDepth;
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, ResponseJson.WriterOptions))
        {
            CopyToken(ref reader, writer);
            while (reader.Read() && reader.CurrentDepth > depth)
            {
                CopyToken(ref reader, writer);
            }

            CopyToken(ref reader, writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Normalizes the text of an <c>arguments</c> string to a compact object.</summary>
    /// <param name="problem">Why it cannot be used, when the result is false.</param>
    public static bool TryNormalize(ReadOnlySpan<byte> arguments, out byte[] input, out string? problem)
    {
        problem = null;
        arguments = arguments.Trim(" \t\r\n"u8);
        if (arguments.IsEmpty)
        {
            input = EmptyObject;
            return true;
        }

        var outcome = TryCopy(arguments, allowString: true, out input, out var inner);
        if (outcome == Outcome.Invalid && CloseTruncated(arguments) is { } closed)
        {
            outcome = TryCopy(closed, allowString: false, out input, out _);
        }

        if (outcome == Outcome.String)
        {
            outcome = TryCopy(Encoding.UTF8.GetBytes(inner!).AsSpan().Trim(" \t\r\n"u8), allowString: false, out input, out _);

            // The outer value was valid JSON: a plain string, whatever its text.
            if (outcome == Outcome.Invalid)
            {
                outcome = Outcome.OtherValue;
            }
        }

        problem = outcome switch
        {
            Outcome.Object => null,
            Outcome.Invalid => "they are not valid JSON",
            _ => "they are not a JSON object",
        };
        return problem is null;
    }

    private enum Outcome
    {
        Object,
        String,
        OtherValue,
        Invalid,
    }

    private static Outcome TryCopy(ReadOnlySpan<byte> json, bool allowString, out byte[] input, out string? text)
    {
        input = EmptyObject;
        text = null;
        try
        {
            var reader = new Utf8JsonReader(json, Lenient);
            if (!reader.Read())
            {
                return Outcome.Invalid;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                var isString = reader.TokenType == JsonTokenType.String;
                text = isString ? reader.GetString() : null;
                reader.Skip();

                // Reading past the root value proves nothing else follows it.
                reader.Read();
                return isString && allowString ? Outcome.String : Outcome.OtherValue;
            }

            var buffer = new ArrayBufferWriter<byte>(json.Length);
            using (var writer = new Utf8JsonWriter(buffer, ResponseJson.WriterOptions))
            {
                do
                {
                    CopyToken(ref reader, writer);
                }
                while (reader.Read());
            }

            input = buffer.WrittenSpan.ToArray();
            return Outcome.Object;
        }
        catch (JsonException)
        {
            return Outcome.Invalid;
        }
    }

    private static void CopyToken(ref Utf8JsonReader reader, Utf8JsonWriter writer)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                writer.WriteStartObject();
                break;
            case JsonTokenType.EndObject:
                writer.WriteEndObject();
                break;
            case JsonTokenType.StartArray:
                writer.WriteStartArray();
                break;
            case JsonTokenType.EndArray:
                writer.WriteEndArray();
                break;
            case JsonTokenType.PropertyName when reader.ValueIsEscaped:
                writer.WritePropertyName(reader.GetString()!);
                break;
            case JsonTokenType.PropertyName:
                writer.WritePropertyName(reader.ValueSpan);
                break;
            case JsonTokenType.String when reader.ValueIsEscaped:
                writer.WriteStringValue(reader.GetString());
                break;
            case JsonTokenType.String:
                writer.WriteStringValue(reader.ValueSpan);
                break;
            case JsonTokenType.Number:
                // The reader has validated the number; writing its text keeps every digit (no double round trip).
                writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
                break;
            case JsonTokenType.True:
                writer.WriteBooleanValue(true);
                break;
            case JsonTokenType.False:
                writer.WriteBooleanValue(false);
                break;
            case JsonTokenType.Null:
                writer.WriteNullValue();
                break;
            default:
                break;
        }
    }

    /// <summary>
    /// Appends the closing brackets an object cut short is missing, or returns null when the cut is inside a string
    /// or the brackets do not nest. Whether the result parses (e.g. not after a dangling key) is left to the reader.
    /// </summary>
    private static byte[]? CloseTruncated(ReadOnlySpan<byte> json)
    {
        if (json[0] != (byte)'{')
        {
            return null;
        }

        var open = new Stack<byte>();
        bool inString = false, escaped = false;
        foreach (var b in json)
        {
            if (inString)
            {
                if (escaped)
                {
                    escaped = false;
                }
                else if (b == '\\')
                {
                    escaped = true;
                }
                else if (b == '"')
                {
                    inString = false;
                }

                continue;
            }

            switch (b)
            {
                case (byte)'"':
                    inString = true;
                    break;
                case (byte)'{':
                    open.Push((byte)'}');
                    break;
                case (byte)'[':
                    open.Push((byte)']');
                    break;
                case (byte)'}' or (byte)']':
                    if (!open.TryPop(out var expected) || expected != b)
                    {
                        return null;
                    }

                    break;
                default:
                    break;
            }
        }

        if (inString || open.Count == 0)
        {
            return null;
        }

        var closed = new byte[json.Length + open.Count];
        json.CopyTo(closed);
        open.ToArray().CopyTo(closed, json.Length);
        return closed;
    }
}

using System.Buffers;
using System.Text.Json;

namespace Vdm.Conversion.Response;

/// <summary>
/// Reads a non-streaming OpenAI <c>chat.completion</c> body into <see cref="ChatCompletionParts"/> in one forward pass
/// with <see cref="Utf8JsonReader"/>. Standard fields of the wrong type are errors; non-standard extensions
/// (reasoning fields, provider cache counters) of an unexpected type are ignored, since they are optional extras.
/// </summary>
internal static class ChatCompletionReader
{
    public static ConversionError? TryRead(ReadOnlySpan<byte> body, out ChatCompletionParts parts)
    {
        parts = new ChatCompletionParts();
        try
        {
            Read(body, parts);
            return null;
        }
        catch (JsonException exception)
        {
            return Invalid(exception.Message);
        }
        catch (UpstreamShapeException exception)
        {
            return exception.Error;
        }
    }

    public static ConversionError Invalid(string detail) =>
        new(AnthropicErrorTypes.Api, $"upstream returned an invalid response: {detail}");

    private static void Read(ReadOnlySpan<byte> body, ChatCompletionParts parts)
    {
        var reader = new Utf8JsonReader(body);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw Shape("the body is not a JSON object");
        }

        var choice = (Start: -1, End: -1);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                parts.Id = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("choices"u8))
            {
                reader.Read();
                choice = FindChoice(ref reader);
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                UsageReader.Read(ref reader, parts);
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                parts.HasError = reader.TokenType != JsonTokenType.Null;
                reader.Skip();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        // Reading past the object proves nothing but whitespace follows it.
        reader.Read();

        if (choice.Start >= 0)
        {
            parts.HasChoice = true;
            var choiceReader = new Utf8JsonReader(body[choice.Start..choice.End]);
            ReadChoice(ref choiceReader, parts);
        }
    }

    /// <summary>The byte range of the choice with <c>index</c> 0, or of the first choice when none says so.</summary>
    private static (int Start, int End) FindChoice(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return (-1, -1);
        }

        Expect(ref reader, JsonTokenType.StartArray, "choices: must be an array");
        (int Start, int End) chosen = (-1, -1);
        var chosenIsZero = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            Expect(ref reader, JsonTokenType.StartObject, "choices: each choice must be an object");
            var start = (int)reader.TokenStartIndex;
            var isZero = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isIndex = reader.ValueTextEquals("index"u8);
                reader.Read();
                isZero |= isIndex && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var index) && index == 0;
                reader.Skip();
            }

            if (chosen.Start < 0 || (isZero && !chosenIsZero))
            {
                chosen = (start, (int)reader.BytesConsumed);
                chosenIsZero = isZero;
            }
        }

        return chosen;
    }

    private static void ReadChoice(ref Utf8JsonReader reader, ChatCompletionParts parts)
    {
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                MessageReader.Read(ref reader, parts);
            }
            else if (reader.ValueTextEquals("finish_reason"u8))
            {
                reader.Read();
                parts.FinishReason = OptionalString(ref reader, "choices[0].finish_reason");
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    public static string? OptionalString(ref Utf8JsonReader reader, string field) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.String => reader.GetString(),
        _ => throw Shape($"{field}: must be a string or null"),
    };

    /// <summary>The string at the reader, or null (skipping the value) for any other type.</summary>
    public static string? LenientString(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
    }

    /// <summary>The unescaped UTF-8 bytes of the current string token.</summary>
    public static byte[] StringBytes(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return reader.ValueSpan.ToArray();
        }

        var rented = ArrayPool<byte>.Shared.Rent(reader.ValueSpan.Length);
        try
        {
            var length = reader.CopyString(rented);
            return rented.AsSpan(0, length).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string problem)
    {
        if (reader.TokenType != type)
        {
            throw Shape(problem);
        }
    }

    public static Exception Shape(string problem) => new UpstreamShapeException(Invalid(problem));

    public static Exception Shape(ConversionError error) => new UpstreamShapeException(error);

    /// <summary>
    /// Unwinds the nested readers to <see cref="TryRead"/>; a <c>ref struct</c> reader cannot return errors through
    /// lambdas, and threading a result through every helper would hide the reading logic.
    /// </summary>
    private sealed class UpstreamShapeException(ConversionError error) : Exception(error.Message)
    {
        public ConversionError Error { get; } = error;
    }
}
